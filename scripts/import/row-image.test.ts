import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { resolveRowImage } from './row-image';

const png = PNG.sync.write(new PNG({ width: 5, height: 3 }));
const dir = mkdtempSync(path.join(tmpdir(), 'row-image-'));
mkdirSync(path.join(dir, 'images', 'GMAI-MMBench_VAL'), { recursive: true });
writeFileSync(path.join(dir, 'images', 'GMAI-MMBench_VAL', '3.jpg'), png);
const tsv = path.join(dir, 'GMAI-MMBench_VAL_local.tsv');
const fields = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('resolveRowImage', () => {
  it('decodes base64 and sniffs the real type and size', async () => {
    const image = await resolveRowImage(fields({ image: png.toString('base64') }), tsv);
    expect(image).toMatchObject({ kind: 'bytes', image: { contentType: 'image/png', width: 5, height: 3 } });
  });

  it('reads a short image cell as a reference to another row', async () => {
    expect(await resolveRowImage(fields({ image: '1234' }), tsv)).toEqual({ kind: 'reference', index: 1234 });
  });

  it('reads image_path relative to the TSV, and a moved absolute LMUData path by its images/<name>/<file> tail', async () => {
    const relative = await resolveRowImage(fields({ image_path: 'images/GMAI-MMBench_VAL/3.jpg' }), tsv);
    const moved = await resolveRowImage(fields({ image_path: '/old/LMUData/images/GMAI-MMBench_VAL/3.jpg' }), tsv);
    expect(relative).toMatchObject({ kind: 'bytes', image: { width: 5 } });
    expect(moved).toEqual(relative);
  });

  it('names the column of an unreadable image', async () => {
    expect(await resolveRowImage(fields({ image_path: 'images/missing.jpg' }), tsv)).toMatchObject({ kind: 'error', column: 'image_path' });
    expect(await resolveRowImage(fields({ image: 'x'.repeat(100) }), tsv)).toMatchObject({
      kind: 'error',
      column: 'image',
      message: 'is not a readable PNG or JPEG image',
    });
    expect(await resolveRowImage(fields({ image: '%%%' }), tsv)).toMatchObject({ kind: 'error', column: 'image' });
  });
});
