import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const selection = '["val",["Bone"],[],[],[],[],[],[],null,"index"]';
const issued = { selection, version: 'v1' };

describe('cursor codec', () => {
  it('round-trips the key of the last row, plain or ranked', async () => {
    const plain = await encodeCursor({ key: { index: 41 }, ...issued }, undefined);
    expect(await decodeCursor(plain, selection, undefined)).toEqual({ ok: true, key: { index: 41 }, version: 'v1' });
    const ranked = await encodeCursor({ key: { rank: -3.0000000000000004e-7, index: 7 }, ...issued }, 's3cret');
    expect(await decodeCursor(ranked, selection, 's3cret')).toEqual({ ok: true, key: { rank: -3.0000000000000004e-7, index: 7 }, version: 'v1' });
  });

  it('is opaque base64url and stays short for long selections', async () => {
    const long = { selection: JSON.stringify(Array.from({ length: 1000 }, (_, i) => i)), version: 'v1' };
    const cursor = await encodeCursor({ key: { index: 999 }, ...long }, undefined);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor.length).toBeLessThan(200);
  });

  it('rejects any changed character, even in the unused low bits of the last one', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const cursor = await encodeCursor({ key: { index: 41 }, ...issued }, undefined);
    for (let i = 0; i < cursor.length; i++) {
      if (cursor[i] === '.') continue;
      // Flip the lowest of the character's six bits: the smallest possible edit.
      const changed = cursor.slice(0, i) + alphabet[alphabet.indexOf(cursor[i]!) ^ 1] + cursor.slice(i + 1);
      const result = await decodeCursor(changed, selection, undefined);
      expect(result.ok, `changed at ${i}`).toBe(false);
    }
  });

  it('rejects garbage, truncation and cursors signed with another secret', async () => {
    const cursor = await encodeCursor({ key: { index: 1 }, ...issued }, 'one');
    for (const bad of ['', '.', 'abc', 'a.b.c', cursor.slice(0, -2), `${cursor}x`, '!!!.???', await encodeCursor({ key: { index: 1 }, ...issued }, 'two')]) {
      expect(await decodeCursor(bad, selection, 'one')).toEqual({ ok: false, reason: 'is not a cursor issued by this API' });
    }
  });

  it('names a cursor reused with other filters, and tells which dataset version issued it', async () => {
    const cursor = await encodeCursor({ key: { index: 1 }, ...issued }, undefined);
    expect(await decodeCursor(cursor, selection.replace('Bone', 'Muscle'), undefined)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('other filters'),
    });
    expect(await decodeCursor(cursor, selection, undefined)).toMatchObject({ ok: true, version: 'v1' });
  });
});
