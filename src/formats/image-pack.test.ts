import { describe, expect, it } from 'vitest';
import { decodeImagePack, encodeImagePack, ImagePackError } from './image-pack';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const join = (parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const text = (s: string) => new TextEncoder().encode(s);
const errorNames = (body: Uint8Array) => {
  try {
    decodeImagePack(body);
  } catch (err) {
    if (err instanceof ImagePackError) return err.errors.map((e) => e.name);
    throw err;
  }
  return [];
};

describe('image pack', () => {
  it('round-trips images as views at their offsets, with the bytes after the manifest line kept whole', () => {
    const a = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(10, 0x0a, 12, 13);
    const body = join(
      encodeImagePack([
        { sha256: SHA_A, bytes: a },
        { sha256: SHA_B, bytes: b },
      ]),
    );
    expect(new TextDecoder().decode(body.subarray(0, body.indexOf(0x0a)))).toBe(`{"images":[{"sha256":"${SHA_A}","bytes":3},{"sha256":"${SHA_B}","bytes":4}]}`);
    const pack = decodeImagePack(body);
    expect([...pack.images]).toEqual([1, 2, 3, 10, 0x0a, 12, 13]);
    expect(pack.entries.map((e) => [e.sha256, e.offset, [...e.bytes]])).toEqual([
      [SHA_A, 0, [1, 2, 3]],
      [SHA_B, 3, [10, 0x0a, 12, 13]],
    ]);
    expect(pack.entries[1]!.bytes.buffer).toBe(body.buffer);
  });

  it('names the part at fault', () => {
    expect(errorNames(Uint8Array.of(1, 2, 3))).toEqual(['manifest']);
    expect(errorNames(text('{"images":\n'))).toEqual(['manifest']);
    expect(errorNames(text('{"images":[]}\n'))).toEqual(['manifest.images']);
    expect(errorNames(text(`{"images":[{"sha256":"${SHA_A}","bytes":1.5}]}\nx`))).toEqual(['manifest.images[0].bytes']);
    expect(errorNames(text(`{"images":[{"sha256":"XYZ","bytes":1}]}\nx`))).toEqual(['manifest.images[0].sha256']);
    expect(errorNames(text(`{"images":[{"sha256":"${SHA_A}","bytes":1}],"extra":1}\nx`))).toEqual(['manifest.extra']);
    expect(errorNames(text(`{"images":[{"sha256":"${SHA_A}","bytes":2}]}\nx`))).toEqual(['manifest.images']);
    expect(errorNames(text(`{"images":[{"sha256":"${SHA_A}","bytes":1}]}\nxy`))).toEqual(['manifest.images']);
  });

  it('refuses a first line longer than any manifest', () => {
    expect(errorNames(new Uint8Array(200 * 1024).fill(0x20))).toEqual(['manifest']);
  });
});
