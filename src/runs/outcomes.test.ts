import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SHARED_GMAI } from '../../test/node/support';
import type { ExtractedChoice } from '../scoring/extract-choice';
import {
  bitsetRange,
  countSelected,
  encodedBytes,
  encodeOutcomes,
  gzipBytes,
  MATCH_METHODS,
  pairedCounts,
  positionOf,
  RunOutcomes,
  selectionBitset,
  type PositionOutcomes,
} from './outcomes';

const SCORERS = ['vlmevalkit-2024', 'vlmevalkit-2025-08', 'vlmevalkit-2026-06'] as const;
const LETTERS: ExtractedChoice[] = ['A', 'B', 'C', 'D', 'E', 'Z'];

/** Deterministic pseudo-random numbers (mulberry32), so failures replay. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A run with a share of the positions submitted and roughly `accuracy` hits under each scorer. */
function randomRun(questionCount: number, seed: number, submittedShare = 0.9, accuracy = 0.45): PositionOutcomes[] {
  const next = random(seed);
  const entries: PositionOutcomes[] = [];
  for (let position = 0; position < questionCount; position++) {
    if (next() >= submittedShare) continue;
    const scorers = SCORERS.map(() => {
      const letter = LETTERS[Math.floor(next() * LETTERS.length)]!;
      const method = letter === 'Z' ? 'none' : MATCH_METHODS[Math.floor(next() * 4)]!;
      return { letter, method, hit: letter !== 'Z' && next() < accuracy ? (1 as const) : (0 as const) };
    });
    entries.push({ position, scorers });
  }
  return entries;
}

describe('outcome encoding', () => {
  it('round-trips every submitted position, letter, method and hit', () => {
    for (const n of [0, 1, 7, 8, 9, 4550]) {
      const entries = randomRun(n, n + 1);
      const decoded = new RunOutcomes(encodeOutcomes(n, SCORERS.length, entries));
      expect(decoded.questionCount).toBe(n);
      expect(decoded.scorerCount).toBe(3);
      expect([...decoded.entries()]).toEqual(entries);
    }
  });

  it('has the documented size: 8 + ceil(N/8)·(1+S) + N·S bytes', () => {
    expect(encodeOutcomes(4550, 3, []).length).toBe(8 + 569 * 4 + 4550 * 3);
    expect(encodedBytes(21281, 3)).toBe(8 + 2661 * 4 + 21281 * 3);
    expect(bitsetRange(4550, null)).toEqual({ offset: 8, length: 569 });
    expect(bitsetRange(4550, 2)).toEqual({ offset: 8 + 569 * 3, length: 569 });
  });

  it('puts the bitsets where bitsetRange says (what SQL substr() reads)', () => {
    const entries = randomRun(1000, 5);
    const bytes = encodeOutcomes(1000, 3, entries);
    const view = new RunOutcomes(bytes);
    const { offset, length } = bitsetRange(1000, 1);
    expect(bytes.subarray(offset, offset + length)).toEqual(view.hits(1));
    expect(view.outcome(0, entries[0]!.position)).toEqual(entries[0]!.scorers[0]);
  });

  it('refuses inconsistent input and foreign bytes', () => {
    const one = (position: number, letter: ExtractedChoice = 'A', hit: 0 | 1 = 1): PositionOutcomes => ({
      position,
      scorers: SCORERS.map(() => ({ letter, method: 'option', hit })),
    });
    expect(() => encodeOutcomes(10, 3, [one(10)])).toThrow(RangeError);
    expect(() => encodeOutcomes(10, 3, [one(3), one(3)])).toThrow(/twice/);
    expect(() => encodeOutcomes(10, 3, [one(3, 'Z', 1)])).toThrow(/Z never hits/);
    expect(() => encodeOutcomes(10, 2, [one(3)])).toThrow(/expected 2/);
    const bytes = encodeOutcomes(10, 3, [one(3)]);
    expect(() => new RunOutcomes(bytes.subarray(0, bytes.length - 1))).toThrow(/bytes, expected/);
    const other = bytes.slice();
    other[0] = 2;
    expect(() => new RunOutcomes(other)).toThrow(/unknown outcome format 2/);
  });
});

describe('bitset counts', () => {
  const n = 4550;
  const a = randomRun(n, 11);
  const b = randomRun(n, 12, 0.8, 0.6);
  const viewA = new RunOutcomes(encodeOutcomes(n, 3, a));
  const viewB = new RunOutcomes(encodeOutcomes(n, 3, b));
  const selected = new Set(Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0 || i % 7 === 1));

  it('count n and correct on a selection as a walk over the entries does', () => {
    for (let k = 0; k < 3; k++) {
      const inSelection = a.filter((e) => selected.has(e.position));
      expect(countSelected(viewA.bits(k), selectionBitset(n, selected))).toEqual({
        n: inSelection.length,
        correct: inSelection.filter((e) => e.scorers[k]!.hit).length,
      });
      expect(countSelected(viewA.bits(k))).toEqual({ n: a.length, correct: a.filter((e) => e.scorers[k]!.hit).length });
    }
  });

  it('build the paired table over the positions both runs submitted', () => {
    const hitsB = new Map(b.map((e) => [e.position, e.scorers[0]!.hit]));
    const table = { n: 0, both_correct: 0, only_a: 0, only_b: 0, neither: 0 };
    for (const e of a) {
      const hb = hitsB.get(e.position);
      if (hb === undefined || !selected.has(e.position)) continue;
      const ha = e.scorers[0]!.hit;
      table.n++;
      if (ha && hb) table.both_correct++;
      else if (ha) table.only_a++;
      else if (hb) table.only_b++;
      else table.neither++;
    }
    expect(pairedCounts(viewA.bits(0), viewB.bits(0), selectionBitset(n, selected))).toEqual(table);
    expect(table.n).toBeGreaterThan(1000);
  });

  it('refuse bitsets of different question counts', () => {
    const small = new RunOutcomes(encodeOutcomes(100, 3, []));
    expect(() => pairedCounts(viewA.bits(0), small.bits(0))).toThrow(RangeError);
    expect(() => selectionBitset(100, [100])).toThrow(RangeError);
  });

  it('map indexes to positions through the sorted index list', () => {
    const indexes = [0, 2, 5, 9, 10, 4549];
    expect(indexes.map((i) => positionOf(indexes, i))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(positionOf(indexes, 3)).toBe(-1);
    expect(positionOf([], 0)).toBe(-1);
  });
});

const MATCHING = path.join(SHARED_GMAI, 'matching');
const haveMatching = existsSync(path.join(MATCHING, 'summary.json')) && existsSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv'));
if (!haveMatching) console.warn(`SKIPPING outcome tests on real VLMEvalKit letters: ${MATCHING} is missing`);

describe.skipIf(!haveMatching)('real VAL runs (VLMEvalKit letters of ../shared/gmai/matching)', () => {
  const rows = parse(readFileSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv')), { delimiter: '\t', columns: true, relax_quotes: true }) as Array<
    Record<string, string>
  >;
  const sortedIndexes = rows.map((r) => Number(r.index)).sort((x, y) => x - y);
  const answers = new Map(rows.map((r) => [Number(r.index), r.answer]));
  const summary = JSON.parse(readFileSync(path.join(MATCHING, 'summary.json'), 'utf8')) as Record<
    string,
    { predictions: number; correct: Record<string, number> }
  >;

  function realRun(model: string): Uint8Array {
    const lines = readFileSync(path.join(MATCHING, `${model}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean);
    const entries = lines.map((line) => {
      const { index, extracted } = JSON.parse(line) as { index: number; extracted: Record<string, ExtractedChoice> };
      const scorers = SCORERS.map((s) => ({
        letter: extracted[s]!,
        method: extracted[s] === 'Z' ? ('none' as const) : ('option' as const),
        hit: extracted[s] === answers.get(index) ? (1 as const) : (0 as const),
      }));
      return { position: positionOf(sortedIndexes, index), scorers };
    });
    entries.sort((x, y) => x.position - y.position);
    return encodeOutcomes(sortedIndexes.length, SCORERS.length, entries);
  }

  it.each(Object.keys(summary))('%s: stored bits count the correct answers VLMEvalKit finds under each scorer', (model) => {
    const run = new RunOutcomes(realRun(model));
    SCORERS.forEach((scorer, k) => {
      expect(countSelected(run.bits(k))).toEqual({ n: summary[model]!.predictions, correct: summary[model]!.correct[scorer] });
    });
  });

  it('size of a run: VAL from real letters, TEST from random ones (gzip is a bound: random letters barely compress)', async () => {
    const sizes: Record<string, { raw: number; gzip: number }> = {};
    for (const model of Object.keys(summary)) {
      const bytes = realRun(model);
      sizes[`VAL ${model}`] = { raw: bytes.length, gzip: (await gzipBytes(bytes)).length };
    }
    const test = encodeOutcomes(21281, 3, randomRun(21281, 3, 1, 0.5));
    sizes['TEST random letters'] = { raw: test.length, gzip: (await gzipBytes(test)).length };
    console.log('outcome bytes per run:', JSON.stringify(sizes));
    for (const { raw, gzip } of Object.values(sizes)) expect(gzip).toBeLessThan(raw);
    expect(sizes['VAL qwen_chat']!.raw).toBe(encodedBytes(4550, 3));
  });
});
