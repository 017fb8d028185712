// A whole VAL-sized split (4,550 questions) as NDJSON: complete, in order, and fast.
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../test/worker/support';
import { seedReadFixture } from '../../test/worker/read-fixture';

const VAL_SIZE = 4550;

beforeAll(async () => {
  await seedReadFixture(VAL_SIZE, 1);
});

describe('NDJSON of the full VAL split', () => {
  it('streams all 4,550 questions, one per line, in index order, within 1 s', async () => {
    const started = performance.now();
    const res = await api('/v1/questions?split=val', { headers: { Accept: 'application/x-ndjson' } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    let chunks = 0;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      text += part.value;
      chunks++;
    }
    const elapsed = performance.now() - started;
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(VAL_SIZE);
    expect(lines.map((l) => (JSON.parse(l) as { index: number }).index)).toEqual(Array.from({ length: VAL_SIZE }, (_, i) => 3 * i));
    // Streamed in several pieces (keyset reads), not built as one body.
    expect(chunks).toBeGreaterThan(1);
    expect(elapsed).toBeLessThan(1000);
  });
});
