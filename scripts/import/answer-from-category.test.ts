import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, SHARED_GMAI } from '../../test/node/support';
import { answerFromCategory } from './answer-from-category';

describe('answerFromCategory', () => {
  it('takes the one option equal to the category, then one equal ignoring case and a trailing period', () => {
    expect(answerFromCategory('polyp', ['cyst', 'polyp', 'Polyp.'])).toEqual({ letter: 'B' });
    expect(answerFromCategory('Normal', ['abnormal', 'normal.'])).toEqual({ letter: 'B' });
    expect(answerFromCategory('normal.', ['abnormal', 'Normal'])).toEqual({ letter: 'B' });
  });

  it('names rows it cannot decide, without quoting the text', () => {
    const none = answerFromCategory('tumour', ['cyst', 'tumor']);
    const twice = answerFromCategory('cyst', ['cyst', 'cyst']);
    const twiceLoosely = answerFromCategory('Cyst', ['cyst', 'cyst.']);
    expect(none).toEqual({ problem: expect.stringContaining('equals no option') });
    expect(twice).toEqual({ problem: expect.stringContaining('equals 2 options') });
    expect(twiceLoosely).toEqual({ problem: expect.stringContaining('equals 2 options when case') });
    expect(answerFromCategory(null, ['a', 'b'])).toEqual({ problem: expect.stringContaining('is empty') });
    for (const r of [none, twice, twiceLoosely]) expect(JSON.stringify(r)).not.toMatch(/cyst|tumou?r/i);
  });

  it.skipIf(!HAVE_SHARED)('gives the real answer on every real VAL row (4,533 exact matches, 17 differing by a trailing period)', () => {
    const [header, ...rows] = parse(readFileSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv')), { delimiter: '\t' }) as string[][];
    const col = (name: string) => header!.indexOf(name);
    let exact = 0;
    const wrong: string[] = [];
    for (const row of rows) {
      const options = ['A', 'B', 'C', 'D', 'E'].map((l) => row[col(l)]!).filter((t) => t !== '');
      const category = row[col('category')]!;
      if (options.includes(category)) exact++;
      const match = answerFromCategory(category, options);
      if (!('letter' in match) || match.letter !== row[col('answer')]) wrong.push(row[col('index')]!);
    }
    expect(rows).toHaveLength(4550);
    expect(wrong).toEqual([]);
    expect(exact).toBe(4533);
  });
});
