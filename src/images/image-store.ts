// The one place image bytes are read from R2 (the image route, exports), so that how images are
// laid out in the bucket can change in this module alone.

/** An image's metadata (size, strong ETag, upload time) without its body; null when absent. */
export function headImage(bucket: R2Bucket, sha256: string): Promise<R2Object | null> {
  return bucket.head(sha256);
}

/**
 * An image with its body (a range of it with `range`), or without a body when an `onlyIf`
 * precondition fails (R2's own convention); null when absent.
 */
export function getImage(bucket: R2Bucket, sha256: string, options: R2GetOptions = {}): Promise<R2ObjectBody | R2Object | null> {
  return bucket.get(sha256, options);
}
