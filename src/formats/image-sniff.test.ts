import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { sniffImage } from './image-sniff';

/** Baseline JPEG header with an APP0 segment before the frame, as cameras and PIL write it. */
function jpegHeader(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...app0, 0xff, 0xc4, 0x00, 0x04, 0x00, 0x00, ...sof0]);
}

describe('sniffImage', () => {
  it('reads a PNG encoded by pngjs', () => {
    const png = new PNG({ width: 321, height: 123 });
    expect(sniffImage(PNG.sync.write(png))).toEqual({ contentType: 'image/png', width: 321, height: 123 });
  });

  it('reads the frame size of a JPEG behind APP0 and DHT segments', () => {
    expect(sniffImage(jpegHeader(640, 480))).toEqual({ contentType: 'image/jpeg', width: 640, height: 480 });
  });

  it('rejects other bytes, truncated headers and zero sizes', () => {
    expect(sniffImage(new TextEncoder().encode('GIF89a......'))).toBeNull();
    expect(sniffImage(PNG.sync.write(new PNG({ width: 2, height: 2 })).subarray(0, 20))).toBeNull();
    expect(sniffImage(jpegHeader(0, 10))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
  });
});
