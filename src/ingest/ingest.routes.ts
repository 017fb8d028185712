// Admin ingest API fed by `npm run import` (locally and against a deployed Worker alike):
// create an import, stage row batches, upload images by content hash, then commit atomically.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { dependencyFailure } from '../http/dependencies';
import { ProblemError, problemResponse } from '../http/problem';
import { Sha256Hex, sha256Hex } from '../lib/digest';
import { validate } from '../http/validate';
import { mediaTypeOf } from '../http/media-type';
import { readDatasetState } from '../dataset/version';
import { sniffImage } from '../formats/image-sniff';
import { CommitImportSchema, CreateImportSchema, IMAGE_CONTENT_TYPES, MAX_ROW_BATCH_BYTES, MissingImagesSchema, RowBatchSchema } from './contract';
import * as store from './ingest.store';
import { isCurrentScoringKeyObject, writeScoringKeyBlob } from '../scoring/scoring-key-blob';
import { recordSingleImage, storeImagePack, type ImagePackToStore } from '../images/image-store';
import { decodeImagePack, IMAGE_PACK_CONTENT_TYPE, ImagePackError, type PackBody } from '../formats/image-pack';

/** Biggest single image accepted; real GMAI-MMBench images are at most a few MB. */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;
/** Upper bound of one image batch (kept in memory while it is stored). */
export const MAX_IMAGE_BATCH_BYTES = 24 * 1024 * 1024;
/** Enough of the file to find a JPEG start-of-frame behind EXIF/ICC segments. */
const SNIFF_BYTES = 256 * 1024;

const ImportParams = v.object({ id: v.pipe(v.string(), v.uuid('must be an import id')) });
const ImageParams = v.object({ sha256: Sha256Hex });
const ImageHeaders = v.object({
  'content-type': v.picklist(IMAGE_CONTENT_TYPES, 'must be image/png or image/jpeg'),
  'content-length': v.pipe(
    v.string('is required (images are streamed to R2, which needs the length up front)'),
    v.regex(/^\d{1,12}$/, 'must be a byte count'),
    v.transform(Number),
    v.minValue(1, 'must be positive'),
    v.maxValue(MAX_IMAGE_BYTES, `must be at most ${MAX_IMAGE_BYTES}`),
  ),
});

const hidden = describeRoute({ hide: true });
const tooLarge = (c: Context) => problemResponse(c, { status: 413, title: 'Payload too large', detail: 'The batch is too large; send smaller batches.' });

export const ingestRoutes = new Hono<AppEnv>()
  .post('/imports', hidden, validate('json', CreateImportSchema), async (c) => {
    const { split } = c.req.valid('json');
    const id = await store.createImport(c.var.db, split);
    return c.json({ import_id: id, split }, 201);
  })
  .get('/imports', hidden, async (c) => c.json({ data: await store.listImports(c.var.db) }))
  .post(
    '/imports/:id/rows',
    hidden,
    bodyLimit({ maxSize: MAX_ROW_BATCH_BYTES, onError: tooLarge }),
    validate('param', ImportParams),
    validate('json', RowBatchSchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const { rows } = c.req.valid('json');
      const result = await store.stageRows(c.var.db, id, rows);
      if ('duplicates' in result) {
        throw new ProblemError({
          status: 422,
          title: 'Duplicate index',
          detail: `${result.duplicates.length} index value(s) appear more than once in this import.`,
          errors: result.duplicates.map((i) => ({ name: `index ${i}`, reason: 'appears more than once' })),
          extensions: { duplicate_count: result.duplicates.length },
        });
      }
      if (result.staged !== rows.length) {
        // Nothing staged: the import is unknown or finished (a 404 or 409 from here).
        await stagingImport(c.var.db, id);
        throw new Error(`staged ${result.staged} of ${rows.length} rows into an import still staging`);
      }
      return c.json({ staged: result.staged });
    },
  )
  .post('/imports/:id/commit', hidden, validate('param', ImportParams), validate('json', CommitImportSchema), async (c) => {
    const db = c.var.db;
    const importRow = await stagingImport(db, c.req.valid('param').id);
    const body = c.req.valid('json');
    const staged = await store.stagedSummary(db, importRow.id);
    if (staged.rows !== body.rows) {
      throw new ProblemError({
        status: 409,
        title: 'Incomplete import',
        detail: `The importer sent ${body.rows} rows but ${staged.rows} are staged; nothing was changed.`,
      });
    }
    if (staged.missingImages.length) {
      throw new ProblemError({
        status: 409,
        title: 'Images missing',
        detail: 'Some staged rows reference images that were never uploaded; nothing was changed.',
        errors: staged.missingImages.map((sha) => ({ name: `image ${sha}`, reason: 'not uploaded' })),
      });
    }
    const current = await store.currentSplit(db, importRow.split);
    const unchanged = current?.contentSha256 === body.content_sha256;
    // The scoring key blob goes to R2 before the batch that swaps the split in (see swapIn).
    const writeKey = async () => writeScoringKeyBlob(c.env.IMAGES, importRow.split, await store.stagedScoringRows(db, importRow.id, importRow.split));
    if (unchanged)
      await store.finishWithoutSwap(
        db,
        importRow.id,
        'unchanged',
        isCurrentScoringKeyObject(current.scoringKey) ? undefined : { split: importRow.split, replaces: current.scoringKey, scoringKey: await writeKey() },
      );
    else await store.swapIn(db, importRow.id, importRow.split, staged, body.content_sha256, await writeKey());
    const dataset = await readDatasetState(db);
    return c.json({
      status: unchanged ? 'unchanged' : 'committed',
      split: importRow.split,
      rows: staged.rows,
      answers: staged.answers,
      dataset_version: dataset.version,
    });
  })
  .delete('/imports/:id', hidden, validate('param', ImportParams), async (c) => {
    const importRow = await stagingImport(c.var.db, c.req.valid('param').id);
    await store.finishWithoutSwap(c.var.db, importRow.id, 'aborted');
    return c.body(null, 204);
  })
  .post('/images/missing', hidden, validate('json', MissingImagesSchema), async (c) => {
    return c.json({ missing: await store.missingImages(c.var.db, c.req.valid('json').sha256) });
  })
  .post('/images', hidden, bodyLimit({ maxSize: MAX_IMAGE_BATCH_BYTES, onError: tooLarge }), async (c) => {
    const pack = await readImagePack(c.req.raw);
    // One R2 write for the batch (each write costs the local emulator ~1.4 ms of CPU, the limit of imports).
    await storeImagePack(c.var.db, c.env.IMAGES, pack);
    return c.json({ stored: pack.images.length }, 201);
  })
  .put('/images/:sha256', hidden, validate('param', ImageParams), validate('header', ImageHeaders), async (c) => {
    const { sha256 } = c.req.valid('param');
    const headers = c.req.valid('header');
    const body = c.req.raw.body;
    if (!body) throw new ProblemError({ status: 400, title: 'Invalid request body', detail: 'The image bytes are missing.' });
    try {
      // R2 checks the body against the sha256 it is stored under, so keys stay content addresses.
      await c.env.IMAGES.put(sha256, body, { sha256, httpMetadata: { contentType: headers['content-type'] } });
    } catch (err) {
      // R2 refusing the checksum is the client's error; any other failure is R2's (a 503).
      if (!rejectedChecksum(err)) throw err;
      throw new ProblemError({ status: 422, title: 'Image rejected', detail: `The body's sha256 does not match ${sha256}.` });
    }
    const head = await c.env.IMAGES.get(sha256, { range: { offset: 0, length: SNIFF_BYTES } });
    const info = head ? sniffImage(new Uint8Array(await head.arrayBuffer())) : null;
    if (!head || !info || info.contentType !== headers['content-type']) {
      await c.env.IMAGES.delete(sha256);
      throw new ProblemError({ status: 422, title: 'Image rejected', detail: `The body is not a readable ${headers['content-type']} image.` });
    }
    await recordSingleImage(c.var.db, { sha256, bytes: head.size, width: info.width, height: info.height, contentType: info.contentType }, head.uploaded);
    return c.json({ sha256, bytes: head.size, width: info.width, height: info.height, content_type: info.contentType }, 201);
  });

/**
 * A batch of small images (see formats/image-pack). Bounded by MAX_IMAGE_BATCH_BYTES, so buffering
 * it is safe; larger images go through PUT /images/{sha256}. Each image is checked in place.
 */
async function readImagePack(request: Request): Promise<ImagePackToStore> {
  if (mediaTypeOf(request) !== IMAGE_PACK_CONTENT_TYPE) {
    throw new ProblemError({
      status: 415,
      title: 'Unsupported media type',
      detail: `Send the images as ${IMAGE_PACK_CONTENT_TYPE}: one line of JSON naming them, then their bytes.`,
      errors: [{ name: 'content-type', reason: `must be ${IMAGE_PACK_CONTENT_TYPE}` }],
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw new ProblemError({ status: 400, title: 'Invalid request body', detail: 'The request body could not be read in full.' });
  }
  let body: PackBody;
  try {
    body = decodeImagePack(bytes);
  } catch (err) {
    if (!(err instanceof ImagePackError)) throw err;
    throw new ProblemError({ status: 400, title: 'Invalid request body', errors: err.errors });
  }
  const images = [];
  const errors = [];
  const positions = new Map<string, number>();
  for (const [i, { sha256, offset, bytes }] of body.entries.entries()) {
    const name = `images[${i}]`;
    const first = positions.get(sha256);
    if (first !== undefined) {
      errors.push({ name, reason: `repeats images[${first}]` });
      continue;
    }
    positions.set(sha256, i);
    const info = sniffImage(bytes);
    if (!info) errors.push({ name, reason: 'is not a readable PNG or JPEG image' });
    else if ((await sha256Hex(bytes)) !== sha256) errors.push({ name, reason: `does not match its sha256 ${sha256}` });
    else images.push({ sha256, offset, bytes: bytes.length, ...info });
  }
  if (errors.length) throw new ProblemError({ status: 422, title: 'Image rejected', errors });
  return { bytes: body.images, images };
}

async function stagingImport(db: AppEnv['Variables']['db'], id: string) {
  const found = await store.findImport(db, id);
  if (!found) throw new ProblemError({ status: 404, title: 'Not found', detail: `No import ${id}.` });
  if (found.status !== 'staging') {
    throw new ProblemError({
      status: 409,
      title: 'Import finished',
      detail: `Import ${id} is already ${found.status}.`,
      extensions: { import_status: found.status },
    });
  }
  return found;
}

/** R2's BadDigest (code 10037): the body's sha256 is not the one the put named. */
function rejectedChecksum(err: unknown): boolean {
  const failed = dependencyFailure(err);
  return failed?.dependency === 'R2' && /checksum you specified did not match|\(10037\)/.test(String(failed.cause));
}
