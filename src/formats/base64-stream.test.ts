import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Chunks, encodeBase64Ascii } from './base64-stream';

const ascii = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function* from(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(ascii(chunk));
  return out;
}

describe('base64 of a byte stream', () => {
  it('encodes RFC 4648 test vectors', () => {
    const vectors = { '': '', f: 'Zg==', fo: 'Zm8=', foo: 'Zm9v', foob: 'Zm9vYg==', fooba: 'Zm9vYmE=', foobar: 'Zm9vYmFy' };
    for (const [input, output] of Object.entries(vectors)) expect(ascii(encodeBase64Ascii(new TextEncoder().encode(input)))).toBe(output);
  });

  it('gives the base64 of the whole stream however it is chunked (Node Buffer as the reference)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), async (chunks) => {
        const whole = Buffer.concat(chunks).toString('base64');
        const parts = await collect(base64Chunks(from(chunks)));
        expect(parts.join('')).toBe(whole);
        // Every piece but the last is whole base64 quads without padding.
        for (const part of parts.slice(0, -1)) expect(part).toMatch(/^(?:[A-Za-z0-9+/]{4})+$/);
      }),
    );
  });

  it('does not depend on the source keeping its chunk buffers', async () => {
    const buffer = new Uint8Array([1, 2, 3, 4]);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      yield buffer;
      buffer.set([9, 9, 9, 9]);
      yield buffer.subarray(0, 2);
    }
    expect((await collect(base64Chunks(reusing()))).join('')).toBe(Buffer.from([1, 2, 3, 4, 9, 9]).toString('base64'));
  });
});
