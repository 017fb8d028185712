import { describe, expect, it } from 'vitest';
import { api, importSplit, makePng, row, sha256Hex, uploadImage } from '../../test/worker/support';

interface Splits {
  dataset_version: string;
  data: { split: string; questions: number; answers_public: boolean; scoring_available: boolean }[];
}

async function splits(): Promise<Splits> {
  const res = await api('/v1/splits');
  expect(res.status).toBe(200);
  return (await res.json()) as Splits;
}

describe('GET /v1/splits', () => {
  it('lists both splits before any import', async () => {
    expect(await splits()).toEqual({
      dataset_version: 'empty',
      data: [
        { split: 'val', questions: 0, answers_public: true, scoring_available: false },
        { split: 'test', questions: 0, answers_public: false, scoring_available: false },
      ],
    });
  });

  it('reports sizes, and scoring on TEST only once an answer key is imported', async () => {
    const png = await makePng(4, 4, 1);
    await uploadImage(png);
    const sha = await sha256Hex(png);
    await importSplit('val', [row(0, sha), row(1, sha)], '1'.repeat(64));
    await importSplit(
      'test',
      [0, 1, 2].map((i) => row(i, sha, { answer: null, category: null })),
      '2'.repeat(64),
    );
    const withoutKey = await splits();
    expect(withoutKey.data).toEqual([
      { split: 'val', questions: 2, answers_public: true, scoring_available: true },
      { split: 'test', questions: 3, answers_public: false, scoring_available: false },
    ]);
    await importSplit(
      'test',
      [0, 1, 2].map((i) => row(i, sha, { answer: 'A', category: null })),
      '3'.repeat(64),
    );
    const withKey = await splits();
    expect(withKey.data[1]).toEqual({ split: 'test', questions: 3, answers_public: false, scoring_available: true });
    expect(withKey.dataset_version).not.toBe(withoutKey.dataset_version);
  });

  it('answers If-None-Match with 304 until the dataset changes', async () => {
    const etag = (await api('/v1/splits')).headers.get('ETag')!;
    expect((await api('/v1/splits', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});
