// The scoring key read from D1 rows (a split with no current blob) against the dataset state a request saw.
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { importSplit, makePng, row, sha256Hex, uploadImage } from '../../test/worker/support';
import { createDatabase } from '../db/database';
import { readDatasetState } from '../dataset/version';
import { ProblemError } from '../http/problem';
import { scoringKey } from './scoring-key.store';

describe('scoringKey from the D1 rows', () => {
  it('refuses rows of another version than the request saw (an import committed meanwhile), then reads the current ones', async () => {
    const png = await makePng(16, 16, 41);
    await uploadImage(png);
    const sha = await sha256Hex(png);
    const rows = Array.from({ length: 12 }, (_, i) => row(i, sha, { answer: i % 2 ? 'C' : 'A', category: i % 2 ? 'gamma' : 'alpha' }));
    expect((await importSplit('val', rows, '7'.repeat(64))).status).toBe(200);
    // Data imported before blobs existed: no pointer, so the rows are read.
    await env.DB.prepare("UPDATE splits SET scoring_key = NULL WHERE split = 'val'").run();
    const db = createDatabase(env.DB);
    const current = await readDatasetState(db);
    const seenBeforeTheImport = { ...current, version: '0123456789abcdef' };

    const refused: unknown = await scoringKey(db, env.IMAGES, 'val', seenBeforeTheImport).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).problem).toMatchObject({ status: 409, title: 'Dataset changed' });

    const key = await scoringKey(db, env.IMAGES, 'val', current);
    expect(key.size).toBe(12);
    expect(key.get(3)).toMatchObject({ answer: 'C', groups: { category: 'gamma' } });
    expect(key.get(4)).toMatchObject({ answer: 'A', groups: { category: 'alpha' } });
  });
});
