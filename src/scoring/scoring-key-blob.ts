// Where a split's scoring key blob lives: an R2 object named by split and content hash (so a write
// whose commit then fails leaves only a harmless orphan), pointed at by splits.scoring_key.
// No route serves these objects: image routes only accept a bare sha256 as the key.
import type { Split } from '../dataset/vocabulary';
import { sha256Hex } from '../lib/digest';
import type { AnswerKey } from './score-pipeline';
import { decodeScoringKey, encodeScoringKey, SCORING_KEY_FORMAT, ScoringKeyFormatError, type ScoringKeyRow } from './scoring-key-codec';

/** Object names carry the format version: a split whose blob is of an older format is seen to need a new one. */
const OBJECT_SUFFIX = `.v${SCORING_KEY_FORMAT.split('/')[1]}.gz`;

export function isCurrentScoringKeyObject(objectKey: string | null): boolean {
  return objectKey?.endsWith(OBJECT_SUFFIX) ?? false;
}

/** Encodes and stores the key; returns the object key to record in the commit batch. */
export async function writeScoringKeyBlob(bucket: R2Bucket, split: Split, rows: readonly ScoringKeyRow[]): Promise<string> {
  const blob = encodeScoringKey(split, rows);
  const objectKey = `scoring-keys/${split}/${await sha256Hex(blob)}${OBJECT_SUFFIX}`;
  await bucket.put(objectKey, blob, { httpMetadata: { contentType: 'application/gzip' } });
  return objectKey;
}

/**
 * The split's scoring key from the blob `objectKey` (splits.scoring_key) names, or null where there is
 * none (imported before blobs existed) or it is one this code cannot read (another format version):
 * the caller then reads the D1 rows.
 */
export async function readScoringKeyBlob(bucket: R2Bucket, split: Split, objectKey: string | null): Promise<AnswerKey | null> {
  if (!objectKey) return null;
  const object = await bucket.get(objectKey);
  if (!object) return null;
  const bytes = new Uint8Array(await object.arrayBuffer());
  try {
    const decoded = decodeScoringKey(bytes);
    return decoded.split === split ? decoded.key : null;
  } catch (error) {
    if (error instanceof ScoringKeyFormatError) return null;
    throw error;
  }
}
