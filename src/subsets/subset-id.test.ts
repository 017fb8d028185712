import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SelectionSchema, SUBSET_ID_PATTERN, wholeSplit } from '../selection/selection';
import { subsetId } from './subset-id';

const parse = (input: Record<string, unknown>) => v.parse(SelectionSchema, input);

/** RFC 4648 base32 (lower case, unpadded) of the first 10 bytes, written out independently. */
function base32Prefix(bytes: Buffer): string {
  const bits = [...bytes.subarray(0, 10)].map((b) => b.toString(2).padStart(8, '0')).join('');
  return bits
    .match(/.{5}/g)!
    .map((five) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(five, 2)])
    .join('');
}

describe('subsetId', () => {
  it('is the base32 of the first 80 bits of sha256(version, canonical selection)', async () => {
    const id = await subsetId('0123456789abcdef', wholeSplit('val'));
    // selectionKey of the whole VAL split: the split and one null/empty entry per filter.
    const key = JSON.stringify(['val', [], [], [], [], [], [], [], null]);
    expect(id).toBe(base32Prefix(createHash('sha256').update(`0123456789abcdef\n${key}`).digest()));
    expect(id).toMatch(SUBSET_ID_PATTERN);
  });

  it('is equal for equal selections however they are spelled, and differs with version, split or filters', async () => {
    const a = await subsetId('v1', parse({ split: 'val', task: ['B', 'A'], department: 'Urology', q: 'lung fundus' }));
    expect(await subsetId('v1', parse({ q: 'fundus  lung lung', department: ['Urology', 'Urology'], task: ['A', 'B', 'A'], split: 'val' }))).toBe(a);
    expect(await subsetId('v2', parse({ split: 'val', task: ['B', 'A'], department: 'Urology', q: 'lung fundus' }))).not.toBe(a);
    expect(await subsetId('v1', parse({ split: 'val', task: ['B', 'A'], department: 'Urology' }))).not.toBe(a);
    expect(await subsetId('v1', wholeSplit('val'))).not.toBe(await subsetId('v1', wholeSplit('test')));
  });
});
