// Conditional request headers for stored objects. Only well-formed ones count (RFC 9110 lets a
// server ignore malformed ones); they are evaluated in RFC 9110's order.
import { matchHits, noneMatchHits, parseEntityTags, type EntityTagList } from './etag';

export interface Preconditions {
  ifMatch: EntityTagList | null;
  ifNoneMatch: EntityTagList | null;
  ifModifiedSince: Date | null;
  ifUnmodifiedSince: Date | null;
}

export function readPreconditions(headers: Headers): Preconditions {
  return {
    ifMatch: parseEntityTags(headers.get('If-Match')),
    ifNoneMatch: parseEntityTags(headers.get('If-None-Match')),
    ifModifiedSince: parseHttpDate(headers.get('If-Modified-Since')),
    ifUnmodifiedSince: parseHttpDate(headers.get('If-Unmodified-Since')),
  };
}

/**
 * RFC 9110 §13.2.2 for GET/HEAD of a stored object: 412 when If-Match (or, without it,
 * If-Unmodified-Since) fails, 304 when If-None-Match (or, without it, If-Modified-Since) says the
 * client's copy is current, null to go on and serve the object.
 */
export function preconditionOutcome(p: Preconditions, etag: string, lastModified: Date): 304 | 412 | null {
  const modified = wholeSeconds(lastModified);
  if (p.ifMatch) {
    if (!matchHits(p.ifMatch, etag)) return 412;
  } else if (p.ifUnmodifiedSince && modified > p.ifUnmodifiedSince.getTime()) return 412;
  if (p.ifNoneMatch) {
    if (noneMatchHits(p.ifNoneMatch, etag)) return 304;
  } else if (p.ifModifiedSince && modified <= p.ifModifiedSince.getTime()) return 304;
  return null;
}

/** HTTP dates have one-second resolution. */
function wholeSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}

/** An HTTP-date (IMF-fixdate or RFC 850 form); null when it is not one. */
function parseHttpDate(value: string | null): Date | null {
  // "Sun, 06 Nov 1994 08:49:37 GMT" or "Sunday, 06-Nov-94 08:49:37 GMT": a 4- or 2-digit year only, so
  // what is passed on to R2 always serializes back to an IMF-fixdate it accepts.
  if (value === null || !/^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -](\d{4}|\d{2}) \d{2}:\d{2}:\d{2} GMT$/.test(value.trim())) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || new Date(ms).getUTCFullYear() > 9999 ? null : new Date(ms);
}
