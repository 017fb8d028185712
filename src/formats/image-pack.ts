// The body of a batch image upload: one line of JSON naming the images (sha256 and length, in
// order), then their bytes end to end. The server stores those bytes as they came, as one R2
// object, and checks each image in place. It replaced multipart/form-data: workerd parses that
// with std::regex, a tenth of an import's server CPU, and every part was copied twice more.
import * as v from 'valibot';
import { Sha256Hex } from '../lib/digest';
import { issuesToErrors, type FieldError } from '../lib/field-errors';

export const IMAGE_PACK_CONTENT_TYPE = 'application/vnd.gmai.image-pack';
/** The manifest names at most this many images (the importer sends ~500 per 4 MB). */
export const MAX_PACK_IMAGES = 1000;
/** 1,000 entries of ~90 bytes; a manifest line longer than this is not one. */
const MAX_MANIFEST_BYTES = 128 * 1024;
const NEWLINE = 0x0a;

const ImagePackManifestSchema = v.strictObject({
  images: v.pipe(
    v.array(
      v.strictObject({
        sha256: Sha256Hex,
        bytes: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be positive')),
      }),
    ),
    v.minLength(1, 'must name at least one image'),
    v.maxLength(MAX_PACK_IMAGES, `must name at most ${MAX_PACK_IMAGES} images`),
  ),
});

export interface PackedImage {
  readonly sha256: string;
  /** Where the image starts in `PackBody.images`. */
  readonly offset: number;
  /** A view into the body, not a copy. */
  readonly bytes: Uint8Array;
}

export interface PackBody {
  /** The images' bytes end to end, exactly as stored. */
  readonly images: Uint8Array;
  readonly entries: readonly PackedImage[];
}

/** Why a body is not an image pack, with the part at fault (`manifest`, `images[3].bytes`, ...). */
export class ImagePackError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.name}: ${e.reason}`).join('; '));
  }
}

export function encodeImagePack(images: ReadonlyArray<{ sha256: string; bytes: Uint8Array }>): Uint8Array[] {
  const manifest = JSON.stringify({ images: images.map((i) => ({ sha256: i.sha256, bytes: i.bytes.length })) });
  return [new TextEncoder().encode(`${manifest}\n`), ...images.map((i) => i.bytes)];
}

/** Splits a pack body into its images (views); checks the framing, not the images themselves. */
export function decodeImagePack(body: Uint8Array): PackBody {
  const newline = body.subarray(0, MAX_MANIFEST_BYTES + 1).indexOf(NEWLINE);
  if (newline < 0) throw new ImagePackError([{ name: 'manifest', reason: 'the body must start with one line of JSON naming the images' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body.subarray(0, newline)));
  } catch {
    throw new ImagePackError([{ name: 'manifest', reason: 'is not valid JSON' }]);
  }
  const manifest = v.safeParse(ImagePackManifestSchema, parsed);
  if (!manifest.success) {
    throw new ImagePackError(issuesToErrors(manifest.issues, 'manifest'));
  }
  const images = body.subarray(newline + 1);
  const declared = manifest.output.images.reduce((sum, i) => sum + i.bytes, 0);
  if (declared !== images.length) {
    throw new ImagePackError([{ name: 'manifest.images', reason: `the lengths add up to ${declared} bytes but ${images.length} follow the manifest` }]);
  }
  let offset = 0;
  const entries = manifest.output.images.map(({ sha256, bytes }) => {
    const entry = { sha256, offset, bytes: images.subarray(offset, offset + bytes) };
    offset += bytes;
    return entry;
  });
  return { images, entries };
}
