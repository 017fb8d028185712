// The run store against real D1 (miniflare): idempotent inserts, keyset pages, visibility, deletes,
// and the one-query bitset read of leaderboards.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../db/database';
import { countSelected, encodeOutcomes, RunOutcomes, selectionBitset, type PositionOutcomes } from './outcomes';
import { deleteRun, getRun, getRunWithOutcomes, insertRun, listRuns, publicRunBits, setRunVisibility, type NewRun } from './runs.store';

const db = createDatabase(env.DB);
const SCORERS = ['vlmevalkit-2024', 'vlmevalkit-2025-08', 'vlmevalkit-2026-06'];
const N = 4550;

/** Position p submitted when p % every === 0; a hit under scorer k when (p + k) % 3 === 0. */
function outcomes(every: number): Uint8Array {
  const entries: PositionOutcomes[] = [];
  for (let p = 0; p < N; p += every) {
    entries.push({
      position: p,
      scorers: SCORERS.map((_, k) => ((p + k) % 3 === 0 ? { letter: 'A', method: 'option', hit: 1 } : { letter: 'Z', method: 'none', hit: 0 })),
    });
  }
  return encodeOutcomes(N, SCORERS.length, entries);
}

function run(overrides: Partial<NewRun> & { id: string }): NewRun {
  return {
    tokenId: 'tok_a',
    model: 'Model-A',
    visibility: 'public',
    split: 'val',
    datasetVersion: 'v1',
    predictionsSha256: overrides.id.padEnd(64, '0'),
    createdAt: '2026-01-01T00:00:00.000Z',
    scorers: SCORERS,
    results: { 'vlmevalkit-2024': { n: 1, correct: 0 } },
    questionCount: N,
    outcomes: outcomes(1),
    receipt: 'header.payload.signature',
    ...overrides,
  };
}

describe('runs store', () => {
  it('stores a run once: the same token, model, split, version and predictions give back the first run', async () => {
    const first = await insertRun(db, run({ id: 'run_1', predictionsSha256: 'p'.repeat(64), organization: 'Org', notes: 'n' }));
    expect(first.created).toBe(true);
    expect(first.run).toMatchObject({ id: 'run_1', organization: 'Org', scorers: SCORERS, questionCount: N });
    expect(first.run).not.toHaveProperty('outcomes');
    const again = await insertRun(db, run({ id: 'run_1b', predictionsSha256: 'p'.repeat(64) }));
    expect(again).toEqual({ created: false, run: first.run });
    expect(await getRun(db, 'run_1b')).toBeNull();
    // Another token, another model or another dataset version is another run.
    for (const [id, change] of [
      ['run_2', { tokenId: 'tok_b' }],
      ['run_3', { model: 'Model-B' }],
      ['run_4', { datasetVersion: 'v2' }],
    ] as const) {
      expect((await insertRun(db, run({ id, predictionsSha256: 'p'.repeat(64), ...change }))).created).toBe(true);
    }
  });

  it('keeps the outcome bytes exactly and refuses bytes that do not fit the question count', async () => {
    const bytes = outcomes(7);
    await insertRun(db, run({ id: 'run_bytes', outcomes: bytes }));
    const stored = await getRunWithOutcomes(db, 'run_bytes');
    expect(stored!.outcomes).toEqual(bytes);
    expect(new RunOutcomes(stored!.outcomes).questionCount).toBe(N);
    await expect(insertRun(db, run({ id: 'run_bad', questionCount: N - 1 }))).rejects.toThrow(RangeError);
  });

  it('lists newest first in keyset pages, public runs plus the viewer’s own private ones', async () => {
    const times = ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-03', '2026-02-04'];
    for (const [i, day] of times.entries()) {
      await insertRun(
        db,
        run({
          id: `list_${i}`,
          split: 'test',
          createdAt: `${day}T00:00:00.000Z`,
          visibility: i === 2 ? 'private' : 'public',
          tokenId: i === 2 ? 'tok_private' : 'tok_a',
        }),
      );
    }
    const pages = async (query: Parameters<typeof listRuns>[1]) => {
      const ids: string[][] = [];
      let after = query.after;
      do {
        const page = await listRuns(db, { ...query, after });
        ids.push(page.runs.map((r) => r.id));
        after = page.next ?? undefined;
      } while (after);
      return ids;
    };
    expect(await pages({ split: 'test', limit: 2 })).toEqual([
      ['list_4', 'list_3'],
      ['list_1', 'list_0'],
    ]);
    expect(await pages({ split: 'test', limit: 2, viewerTokenId: 'tok_private' })).toEqual([['list_4', 'list_3'], ['list_2', 'list_1'], ['list_0']]);
    expect((await listRuns(db, { split: 'test', limit: 10, allPrivate: true })).runs).toHaveLength(5);
    expect((await listRuns(db, { model: 'Model-B', limit: 10 })).runs.map((r) => r.id)).toEqual(['run_3']);
  });

  it('changes visibility and deletes, saying when there is no such run', async () => {
    expect(await setRunVisibility(db, 'list_0', 'private')).toBe(true);
    expect((await getRun(db, 'list_0'))!.visibility).toBe('private');
    expect(await setRunVisibility(db, 'nope', 'private')).toBe(false);
    expect(await deleteRun(db, 'list_0')).toBe(true);
    expect(await getRun(db, 'list_0')).toBeNull();
    expect(await deleteRun(db, 'list_0')).toBe(false);
  });

  it('reads the submitted and one scorer’s hit bits of every public run of a split and version in one query', async () => {
    for (const [id, every, visibility] of [
      ['lb_1', 1, 'public'],
      ['lb_2', 2, 'public'],
      ['lb_3', 5, 'private'],
    ] as const) {
      await insertRun(db, run({ id, split: 'val', datasetVersion: 'lb', outcomes: outcomes(every), visibility, createdAt: `2026-03-0${every}T00:00:00.000Z` }));
    }
    await insertRun(db, run({ id: 'lb_other_scorers', datasetVersion: 'lb', scorers: ['another'], outcomes: encodeOutcomes(N, 1, []) }));
    const selected = Array.from({ length: 100 }, (_, i) => i * 10); // positions 0, 10, …, 990
    for (const [k, scorer] of SCORERS.entries()) {
      const board = await publicRunBits(db, 'val', 'lb', scorer);
      expect(board.map((r) => r.id)).toEqual(['lb_1', 'lb_2']);
      // Expected counts by hand: submitted when p % every === 0, hit when (p + k) % 3 === 0.
      for (const entry of board) {
        const every = entry.id === 'lb_1' ? 1 : 2;
        const expected = (positions: number[]) => {
          const submitted = positions.filter((p) => p % every === 0);
          return { n: submitted.length, correct: submitted.filter((p) => (p + k) % 3 === 0).length };
        };
        expect(countSelected(entry.bits)).toEqual(expected(Array.from({ length: N }, (_, p) => p)));
        expect(countSelected(entry.bits, selectionBitset(N, selected))).toEqual(expected(selected));
      }
    }
    expect((await publicRunBits(db, 'val', 'lb', 'another')).map((r) => r.id)).toEqual(['lb_other_scorers']);
  });

  it('holds a TEST-sized run (21,281 questions, 3 scorers) in one row', async () => {
    const entries = Array.from({ length: 21281 }, (_, p) => ({
      position: p,
      scorers: SCORERS.map(() => ({ letter: 'B' as const, method: 'text' as const, hit: (p % 2) as 0 | 1 })),
    }));
    const bytes = encodeOutcomes(21281, 3, entries);
    await insertRun(db, run({ id: 'big', split: 'test', datasetVersion: 'big', questionCount: 21281, outcomes: bytes }));
    const [board] = await publicRunBits(db, 'test', 'big', 'vlmevalkit-2026-06');
    expect(countSelected(board!.bits)).toEqual({ n: 21281, correct: 10640 });
  });
});
