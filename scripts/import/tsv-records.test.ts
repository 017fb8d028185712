import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeader, readTsvRecords, type TsvRecord } from './tsv-records';

const dir = mkdtempSync(path.join(tmpdir(), 'tsv-records-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
async function records(p: string): Promise<TsvRecord[]> {
  const out: TsvRecord[] = [];
  for await (const r of readTsvRecords(p, () => undefined)) out.push(r);
  return out;
}
const plain = (rs: TsvRecord[]) =>
  rs.map((r) => ({ line: r.line, fields: Object.fromEntries(r.fields), mismatch: r.fieldCountMismatch, unreadable: r.unreadable }));

describe('readTsvRecords', () => {
  it('reads pandas quoting: tabs, newlines and doubled quotes inside quotes, with the line each record starts on', async () => {
    const p = file('quoted.tsv', '\uFEFFindex\tquestion\tA\n0\t"a\tb"\tx\n1\t"two\nlines ""quoted"""\ty\n\n2\tplain "inner" quote\tz\n');
    expect(plain(await records(p))).toEqual([
      { line: 2, fields: { index: '0', question: 'a\tb', A: 'x' }, mismatch: false, unreadable: undefined },
      { line: 3, fields: { index: '1', question: 'two\nlines "quoted"', A: 'y' }, mismatch: false, unreadable: undefined },
      { line: 6, fields: { index: '2', question: 'plain "inner" quote', A: 'z' }, mismatch: false, unreadable: undefined },
    ]);
    expect(await readHeader(p)).toEqual(['index', 'question', 'A']);
  });

  it('accepts CRLF line ends and a last line without one, and flags short or long records', async () => {
    const p = file('crlf.tsv', 'index\tA\r\n0\tx\r\n1\r\n2\ty\textra');
    expect(plain(await records(p))).toEqual([
      { line: 2, fields: { index: '0', A: 'x' }, mismatch: false, unreadable: undefined },
      { line: 3, fields: { index: '1', A: '' }, mismatch: true, unreadable: undefined },
      { line: 4, fields: { index: '2', A: 'y' }, mismatch: true, unreadable: undefined },
    ]);
  });

  it('reads records larger than a read chunk, and a quoted field that spans chunks', async () => {
    const big = 'B'.repeat(9 << 20);
    const quoted = `${'q'.repeat(4 << 20)}\t""\n`;
    const p = file('big.tsv', `index\timage\n0\t${big}\n1\t"${quoted.replace('""', '""""')}"\n2\tsmall\n`);
    const rs = await records(p);
    expect(rs.map((r) => [r.line, r.fields.get('image')!.length])).toEqual([
      [2, big.length],
      [3, quoted.length],
      [5, 5],
    ]);
    expect(rs[1]!.fields.get('image')).toBe(quoted);
  });

  it('ends with an unreadable record where a quote is never closed', async () => {
    const p = file('open.tsv', 'index\tA\n0\tx\n1\t"never closed\n2\ty\n');
    expect(plain(await records(p))).toEqual([
      { line: 2, fields: { index: '0', A: 'x' }, mismatch: false, unreadable: undefined },
      { line: 3, fields: {}, mismatch: false, unreadable: 'a quoted field opened on this line is never closed' },
    ]);
  });
});
