import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { admin, api, importSplit, makePng, postJson, row, sha256Hex, uploadImage, uploadImageBatch } from '../../test/worker/support';
import { encodeImagePack, IMAGE_PACK_CONTENT_TYPE } from '../formats/image-pack';
import { gzipSync } from 'node:zlib';
import { readScoringKeyBlob } from '../scoring/scoring-key-blob';
import { createDatabase } from '../db/database';
import { readDatasetState } from '../dataset/version';

async function health() {
  return (await (await api('/v1/health')).json()) as { dataset_version: string; questions: Record<string, number> };
}

describe('admin ingest', () => {
  it('refuses requests without the admin token', async () => {
    const res = await postJson('/v1/admin/imports', { split: 'val' }, false);
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('stores an image under its sha256 with sniffed size and type', async () => {
    const png = await makePng(40, 30, 10);
    const res = await uploadImage(png);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ sha256: await sha256Hex(png), bytes: png.length, width: 40, height: 30, content_type: 'image/png' });
    const stored = await env.IMAGES.get(await sha256Hex(png));
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(png);
  });

  it('rejects an image whose bytes do not match the key, or that is not an image', async () => {
    const png = await makePng(8, 8, 20);
    const wrongKey = await admin(`/v1/admin/images/${'0'.repeat(64)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', 'Content-Length': String(png.length) },
      body: png,
    });
    expect(wrongKey.status).toBe(422);
    const text = new TextEncoder().encode('definitely not a png');
    expect((await uploadImage(text)).status).toBe(422);
    expect(await env.IMAGES.get(await sha256Hex(text))).toBeNull();
  });

  it('stores a batch as one pack object and serves each image from it', async () => {
    const pngs = [await makePng(9, 7, 41), await makePng(5, 11, 42)];
    const res = await uploadImageBatch(pngs);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ stored: 2 });
    const packs = await env.IMAGES.list({ prefix: 'packs/' });
    const sizes = packs.objects.map((o) => o.size);
    expect(sizes).toContain(pngs[0]!.length + pngs[1]!.length);
    for (const png of pngs) {
      const served = await api(`/v1/images/${await sha256Hex(png)}`);
      expect(served.status).toBe(200);
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
    }
  });

  it('rejects a batch that is not an image pack, naming the part at fault, and stores nothing', async () => {
    const png = await makePng(6, 9, 43);
    const sha = await sha256Hex(png);
    const send = (parts: (string | Uint8Array)[], type = IMAGE_PACK_CONTENT_TYPE) =>
      admin('/v1/admin/images', { method: 'POST', headers: { 'Content-Type': type }, body: new Blob(parts) });
    const problem = async (res: Response) => ({ status: res.status, body: (await res.json()) as { errors?: { name: string; reason: string }[] } });

    const multipart = await problem(await send([png], 'multipart/form-data; boundary=x'));
    expect(multipart.status).toBe(415);
    expect(multipart.body.errors?.map((e) => e.name)).toEqual(['content-type']);
    expect((await problem(await send([png]))).body.errors?.map((e) => e.name)).toEqual(['manifest']);
    const badEntry = await problem(await send([`{"images":[{"sha256":"${sha}","bytes":-1}]}\n`, png]));
    expect(badEntry.status).toBe(400);
    expect(badEntry.body.errors?.map((e) => e.name)).toEqual(['manifest.images[0].bytes']);
    const short = await problem(await send([`{"images":[{"sha256":"${sha}","bytes":${png.length + 1}}]}\n`, png]));
    expect(short.status).toBe(400);
    expect(short.body.errors?.map((e) => e.name)).toEqual(['manifest.images']);
    const sendPack = async (entries: { sha256: string; bytes: Uint8Array }[]) => problem(await send(encodeImagePack(entries)));
    const mismatch = await sendPack([
      { sha256: sha, bytes: png },
      { sha256: 'f'.repeat(64), bytes: await makePng(6, 9, 44) },
    ]);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.errors).toEqual([{ name: 'images[1]', reason: `does not match its sha256 ${'f'.repeat(64)}` }]);
    const repeated = await sendPack([
      { sha256: sha, bytes: png },
      { sha256: sha, bytes: png },
    ]);
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors).toEqual([{ name: 'images[1]', reason: 'repeats images[0]' }]);
    const text = new TextEncoder().encode('not an image at all');
    const notImage = await sendPack([{ sha256: await sha256Hex(text), bytes: text }]);
    expect(notImage.status).toBe(422);
    expect(notImage.body.errors?.map((e) => e.name)).toEqual(['images[0]']);
    expect((await api(`/v1/images/${sha}`)).status).toBe(404);
  });

  it('commits a split atomically and reports it in /v1/health', async () => {
    const png = await makePng(16, 16, 30);
    await uploadImage(png);
    const sha = await sha256Hex(png);
    const rows = Array.from({ length: 1200 }, (_, i) => row(i, sha));
    const res = await importSplit('val', rows, 'b'.repeat(64));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'committed', split: 'val', rows: 1200, answers: 1200 });
    const after = await health();
    expect(after.questions).toEqual({ val: 1200 });
    expect(after.dataset_version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('treats a re-import of the same content as a no-op', async () => {
    const before = await health();
    const png = await makePng(16, 16, 30);
    const sha = await sha256Hex(png);
    const res = await importSplit(
      'val',
      Array.from({ length: 1200 }, (_, i) => row(i, sha)),
      'b'.repeat(64),
    );
    expect(await res.json()).toMatchObject({ status: 'unchanged' });
    expect(await health()).toEqual(before);
  });

  it('leaves served data unchanged when an import is abandoned or fails', async () => {
    const before = await health();
    const png = await makePng(16, 16, 30);
    const sha = await sha256Hex(png);
    // Abandoned half-way: rows staged, never committed.
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'val' })).json()) as { import_id: string };
    expect((await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(0, sha, { question: 'changed?' })] })).status).toBe(200);
    expect(await health()).toEqual(before);
    // Commit refused: the importer claims more rows than arrived.
    const short = await postJson(`/v1/admin/imports/${import_id}/commit`, { content_sha256: 'c'.repeat(64), rows: 2 });
    expect(short.status).toBe(409);
    // Commit refused: an image that was never uploaded.
    const missing = await importSplit('val', [row(0, 'f'.repeat(64))], 'd'.repeat(64));
    expect(missing.status).toBe(409);
    expect(((await missing.json()) as { errors: { name: string }[] }).errors[0]!.name).toBe(`image ${'f'.repeat(64)}`);
    expect(await health()).toEqual(before);
  });

  it('commits an import once even when the commit arrives twice at the same time', async () => {
    const png = await makePng(16, 16, 31);
    await uploadImage(png);
    const sha = await sha256Hex(png);
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'test' })).json()) as { import_id: string };
    await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: Array.from({ length: 50 }, (_, i) => row(i, sha, { answer: null, category: null })) });
    const commit = () => postJson(`/v1/admin/imports/${import_id}/commit`, { content_sha256: '3'.repeat(64), rows: 50 });
    const statuses = (await Promise.all([commit(), commit()])).map((r) => r.status);
    expect(statuses).toContain(200);
    expect((await health()).questions.test).toBe(50);
    const served = await env.DB.prepare("SELECT count(*) AS n FROM questions WHERE split = 'test'").first<{ n: number }>();
    expect(served?.n).toBe(50);
    // A late retry is told the import is already committed.
    const retry = await commit();
    expect(retry.status).toBe(409);
    expect(await retry.json()).toMatchObject({ import_status: 'committed' });
  });

  it("does not even stage the labels of a hidden split (they are its answers' text)", async () => {
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'test' })).json()) as { import_id: string };
    expect((await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(0, 'e'.repeat(64), { category: 'the answer text' })] })).status).toBe(200);
    const staged = await env.DB.prepare('SELECT category, answer FROM staged_questions WHERE import_id = ?').bind(import_id).first();
    expect(staged).toEqual({ category: null, answer: 'B' });
  });

  it('names duplicate indexes within and across batches', async () => {
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'test' })).json()) as { import_id: string };
    const sha = 'e'.repeat(64);
    const within = await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(7, sha), row(7, sha)] });
    expect(within.status).toBe(422);
    expect(((await within.json()) as { errors: { name: string }[] }).errors).toEqual([{ name: 'index 7', reason: 'appears more than once' }]);
    expect((await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(8, sha)] })).status).toBe(200);
    const across = await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(8, sha), row(9, sha)] });
    expect(((await across.json()) as { errors: { name: string }[] }).errors).toEqual([{ name: 'index 8', reason: 'appears more than once' }]);
    // A batch is staged whole or not at all: index 9 of the refused batch is not staged.
    const staged = await env.DB.prepare('SELECT idx FROM staged_questions WHERE import_id = ? ORDER BY idx').bind(import_id).all<{ idx: number }>();
    expect(staged.results.map((r) => r.idx)).toEqual([8]);
  });

  it('stages rows only into an import that is still staging', async () => {
    const unknown = await postJson(`/v1/admin/imports/${crypto.randomUUID()}/rows`, { rows: [row(0, 'e'.repeat(64))] });
    expect(unknown.status).toBe(404);
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'val' })).json()) as { import_id: string };
    expect((await admin(`/v1/admin/imports/${import_id}`, { method: 'DELETE' })).status).toBe(204);
    const late = await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: [row(0, 'e'.repeat(64))] });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ import_status: 'aborted' });
    const staged = await env.DB.prepare('SELECT count(*) AS n FROM staged_questions WHERE import_id = ?').bind(import_id).first<{ n: number }>();
    expect(staged?.n).toBe(0);
  });

  it('validates every row field and names it', async () => {
    const { import_id } = (await (await postJson('/v1/admin/imports', { split: 'val' })).json()) as { import_id: string };
    const bad = [row(0, 'e'.repeat(64), { perceptual_granularity: 'Pixel level' as never }), row(1, 'e'.repeat(64), { options: ['x', 'y'], answer: 'D' })];
    const res = await postJson(`/v1/admin/imports/${import_id}/rows`, { rows: bad });
    expect(res.status).toBe(400);
    const names = ((await res.json()) as { errors: { name: string }[] }).errors.map((e) => e.name);
    expect(names).toEqual(['rows[0].perceptual_granularity', 'rows[1].answer']);
  });

  describe('scoring key blob', () => {
    const scoringKeyObject = async (split: string) =>
      (await env.DB.prepare('SELECT scoring_key FROM splits WHERE split = ?').bind(split).first<{ scoring_key: string | null }>())?.scoring_key;
    /** The key as scoring reads it: from the pointer the dataset state carries. */
    const readKey = async (split: 'val' | 'test') =>
      readScoringKeyBlob(env.IMAGES, split, (await readDatasetState(createDatabase(env.DB))).splits[split]?.scoringKey ?? null);
    /** Imports 30 VAL rows on one new image; returns the rows, for a re-import. */
    const importVal = async (imageSeed: number, contentSha256: string) => {
      const png = await makePng(16, 16, imageSeed);
      await uploadImage(png);
      const sha = await sha256Hex(png);
      const valRows = Array.from({ length: 30 }, (_, i) => row(i, sha));
      expect((await importSplit('val', valRows, contentSha256)).status).toBe(200);
      return valRows;
    };

    it('is written at commit with every row as sent, and without labels for TEST', async () => {
      const png = await makePng(16, 16, 32);
      await uploadImage(png);
      const sha = await sha256Hex(png);
      const rows = Array.from({ length: 40 }, (_, i) =>
        row(i, sha, {
          options: ['alpha', i % 2 ? 'None' : 'beta'],
          answer: i % 2 ? 'B' : 'A',
          department: i % 2 ? null : 'Urology',
          category: i % 2 ? 'None' : 'alpha',
        }),
      );
      expect((await importSplit('test', rows, '5'.repeat(64))).status).toBe(200);
      const object = await scoringKeyObject('test');
      expect(object).toMatch(/^scoring-keys\/test\/[0-9a-f]{64}\.v2\.gz$/);
      const key = await readKey('test');
      expect(key?.size).toBe(40);
      const groups = { clinical_vqa_task: 'Disease Diagnosis', perceptual_granularity: 'Image level', modality: 'Fundus Photography', original_task: 'CLS_2D' };
      expect(key?.get(1)).toEqual({ choices: [['A', 'alpha']], answer: 'B', groups: { ...groups, department: null } });
      expect(key?.get(2)).toEqual({
        choices: [
          ['A', 'alpha'],
          ['B', 'beta'],
        ],
        answer: 'A',
        groups: { ...groups, department: 'Urology' },
      });
      // Not reachable through the image route, which only takes a bare sha256.
      expect((await api(`/v1/images/${encodeURIComponent(object!)}`)).status).not.toBe(200);
    });

    it('keeps VAL labels, and is added by an unchanged re-import where the split had none', async () => {
      const valRows = await importVal(33, '6'.repeat(64));
      expect((await readKey('val'))?.get(0)?.groups.category).toBe('beta');
      await env.DB.prepare("UPDATE splits SET scoring_key = NULL WHERE split = 'val'").run();
      expect(await readKey('val')).toBeNull();
      const again = await importSplit('val', valRows, '6'.repeat(64));
      expect(await again.json()).toMatchObject({ status: 'unchanged' });
      expect((await readKey('val'))?.size).toBe(30);
    });

    it('is passed over when its format is not this version (the D1 rows serve instead)', async () => {
      await importVal(34, '7'.repeat(64));
      const object = (await scoringKeyObject('val'))!;
      await env.IMAGES.put(object, gzipSync(JSON.stringify({ format: 'gmai-mmbench-scoring-key/0', split: 'val' })));
      expect(await readKey('val')).toBeNull();
    });

    it('is replaced by an unchanged re-import where the split points at a blob of the first format', async () => {
      const valRows = await importVal(35, '8'.repeat(64));
      // What an import before format 2 left: gzipped JSON under a .json.gz name.
      const older = `scoring-keys/val/${'0'.repeat(64)}.json.gz`;
      await env.IMAGES.put(older, gzipSync(JSON.stringify({ format: 'gmai-mmbench-scoring-key/1', split: 'val' })));
      await env.DB.prepare("UPDATE splits SET scoring_key = ? WHERE split = 'val'").bind(older).run();
      expect(await readKey('val')).toBeNull();
      expect(await (await importSplit('val', valRows, '8'.repeat(64))).json()).toMatchObject({ status: 'unchanged' });
      expect(await scoringKeyObject('val')).toMatch(/\.v2\.gz$/);
      expect((await readKey('val'))?.size).toBe(30);
    });
  });
});
