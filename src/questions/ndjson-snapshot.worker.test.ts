import { expect, it } from 'vitest';
import { api, importSplit, makePng, row, sha256Hex, uploadImage } from '../../test/worker/support';

it('aborts an NDJSON stream when an import commits in the middle of it, instead of mixing datasets', async () => {
  const png = await makePng(8, 8, 5);
  await uploadImage(png);
  const sha = await sha256Hex(png);
  const rows = (tag: string) => Array.from({ length: 2500 }, (_, i) => row(i, sha, { question: `${tag} ${i}?` }));
  expect((await importSplit('val', rows('first'), '4'.repeat(64))).status).toBe(200);

  const res = await api('/v1/questions?split=val', { headers: { Accept: 'application/x-ndjson' } });
  const reader = res.body!.getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain('"first 0?"');

  expect((await importSplit('val', rows('second'), '5'.repeat(64))).status).toBe(200);
  let text = '';
  const drained = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })();
  await expect(drained).rejects.toThrow();
  expect(text).not.toContain('"second');
});
