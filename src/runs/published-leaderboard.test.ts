// The bundled published leaderboard is the shared copy of the README's table, value for value.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_LEADERBOARD, PUBLISHED_SOURCE } from './published-leaderboard';

const SHARED = path.resolve(__dirname, '../../../shared/gmai/published-leaderboard.json');

describe.skipIf(!existsSync(SHARED))('published leaderboard module', () => {
  it('equals ../shared/gmai/published-leaderboard.json', () => {
    const shared = JSON.parse(readFileSync(SHARED, 'utf8')) as { source: string; models: unknown[] };
    expect(PUBLISHED_SOURCE).toBe(shared.source);
    expect(PUBLISHED_LEADERBOARD).toEqual(shared.models);
    expect(PUBLISHED_LEADERBOARD.filter((m) => m.rank !== null)).toHaveLength(29);
  });
});
