// Helpers for tests that drive the real Worker entry (D1 and R2 through miniflare).
import { exports, env } from 'cloudflare:workers';
import { crc32 } from 'node:zlib';
import type { StagedRow } from '../../src/ingest/contract';
import { encodeImagePack, IMAGE_PACK_CONTENT_TYPE } from '../../src/formats/image-pack';
import { sha256Hex } from '../../src/lib/digest';

export { sha256Hex };

export const BASE = 'http://api.test';

export function api(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, init));
}

export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${env.ADMIN_TOKEN}`);
  return api(path, { ...init, headers });
}

export function postJson(path: string, body: unknown, viaAdmin = true): Promise<Response> {
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  return viaAdmin ? admin(path, init) : api(path, init);
}

/** A real (decodable) grey PNG of the given size; `shade` makes distinct images. */
export async function makePng(width: number, height: number, shade = 128): Promise<Uint8Array> {
  const raw = new Uint8Array((width + 1) * height);
  for (let y = 0; y < height; y++) raw.fill(shade, y * (width + 1) + 1, (y + 1) * (width + 1));
  const idat = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, no interlace
  return concat([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array())]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Uploads images as one batch (an image pack), as the importer sends small images. */
export async function uploadImageBatch(images: Uint8Array[]): Promise<Response> {
  const pack = encodeImagePack(await Promise.all(images.map(async (bytes) => ({ sha256: await sha256Hex(bytes), bytes }))));
  return admin('/v1/admin/images', { method: 'POST', headers: { 'Content-Type': IMAGE_PACK_CONTENT_TYPE }, body: concat(pack) });
}

export async function uploadImage(bytes: Uint8Array, contentType = 'image/png'): Promise<Response> {
  return admin(`/v1/admin/images/${await sha256Hex(bytes)}`, {
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'Content-Length': String(bytes.length) },
    body: bytes,
  });
}

/** Imports `rows` as the whole split through the admin API, as `npm run import` does. */
export async function importSplit(split: 'val' | 'test', rows: StagedRow[], contentSha256 = 'a'.repeat(64)): Promise<Response> {
  const created = (await (await postJson('/v1/admin/imports', { split })).json()) as { import_id: string };
  for (let i = 0; i < rows.length; i += 500) {
    const staged = await postJson(`/v1/admin/imports/${created.import_id}/rows`, { rows: rows.slice(i, i + 500) });
    if (!staged.ok) throw new Error(`staging failed: ${staged.status} ${await staged.text()}`);
  }
  return postJson(`/v1/admin/imports/${created.import_id}/commit`, { content_sha256: contentSha256, rows: rows.length });
}

export function row(index: number, imageSha256: string, overrides: Partial<StagedRow> = {}): StagedRow {
  return {
    index,
    question: `Question ${index}?`,
    options: ['alpha', 'beta', 'gamma', 'delta'],
    answer: 'B',
    category: 'beta',
    clinical_vqa_task: 'Disease Diagnosis',
    department: 'Ophthalmology',
    perceptual_granularity: 'Image level',
    modality: 'Fundus Photography',
    original_task: 'CLS_2D',
    image_sha256: imageSha256,
    ...overrides,
  };
}

/** Seed of the property-based tests, chosen in vitest.config.ts (workerd does not see the shell's variables). */
export function fuzzSeed(): number {
  return Number(env.FUZZ_SEED);
}
