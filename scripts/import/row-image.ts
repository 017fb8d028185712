// The three ways an official TSV row carries its image: base64 in `image`, a back-reference in
// `image` (<= 64 characters: the index of the row whose image it shares), or VLMEvalKit's localized
// form (`image_path`, relative to the TSV).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sniffImage, type ImageInfo } from '../../src/formats/image-sniff';

export interface DecodedImage extends ImageInfo {
  sha256: string;
  bytes: Buffer;
}

export type RowImage = { kind: 'bytes'; image: DecodedImage } | { kind: 'reference'; index: number } | { kind: 'error'; column: string; message: string };

/** VLMEvalKit treats an `image` value this short as a reference to another row's index. */
const MAX_REFERENCE_LENGTH = 64;

export async function resolveRowImage(fields: Map<string, string>, tsvFile: string): Promise<RowImage> {
  const inline = fields.get('image');
  if (inline !== undefined && inline !== '') {
    if (inline.length <= MAX_REFERENCE_LENGTH) {
      return /^\d+$/.test(inline)
        ? { kind: 'reference', index: Number(inline) }
        : { kind: 'error', column: 'image', message: `is neither base64 image data nor a row index: ${JSON.stringify(inline)}` };
    }
    const bytes = Buffer.from(inline, 'base64');
    // Node's decoder skips characters outside the alphabet, so a wrong length means a bad cell
    // (a native check: a regular expression over multi-megabyte cells cost ~10% of an import).
    if (inline.length % 4 !== 0 || bytes.length !== base64Bytes(inline)) return { kind: 'error', column: 'image', message: 'is not valid base64' };
    return decoded(bytes, 'image');
  }
  const imagePath = fields.get('image_path');
  if (imagePath !== undefined && imagePath !== '') {
    for (const file of imagePathCandidates(imagePath, tsvFile)) {
      try {
        return decoded(await readFile(file), 'image_path');
      } catch {
        // try the next place
      }
    }
    return { kind: 'error', column: 'image_path', message: `cannot read ${imagePath}` };
  }
  return { kind: 'error', column: fields.has('image_path') ? 'image_path' : 'image', message: 'is empty (every question needs an image)' };
}

/**
 * Where an `image_path` may point: relative paths are relative to the TSV. VLMEvalKit writes
 * absolute `<LMUData>/images/<name>/<index>.jpg` paths, so when LMUData has moved the same
 * `images/<name>/<file>` tail is looked up next to the TSV.
 */
function imagePathCandidates(imagePath: string, tsvFile: string): string[] {
  const dir = path.dirname(tsvFile);
  if (!path.isAbsolute(imagePath)) return [path.resolve(dir, imagePath)];
  return [imagePath, path.join(dir, ...imagePath.split(/[\\/]/).slice(-3))];
}

function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

function decoded(bytes: Buffer, column: string): RowImage {
  const info = sniffImage(bytes);
  if (!info) return { kind: 'error', column, message: 'is not a readable PNG or JPEG image' };
  return { kind: 'bytes', image: { ...info, bytes, sha256: createHash('sha256').update(bytes).digest('hex') } };
}
