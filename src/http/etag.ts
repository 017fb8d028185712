// Entity tags and conditional request headers (RFC 9110 §8.8.3, §13.1). Pure: used by the dataset
// caching middleware and the image route, unit-tested in Node.
import { sha256Hex } from '../lib/digest';

/** `*`, or the tags of a well-formed list; null when the value is malformed (the header is then ignored). */
export type EntityTagList = '*' | { weak: boolean; tag: string }[];

const LIST_ITEM = /(W\/)?("[\x21\x23-\x7e\x80-\xff]*")/y;

export function parseEntityTags(header: string | null | undefined): EntityTagList | null {
  if (header == null) return null;
  const value = header.trim();
  if (value === '*') return '*';
  const tags: { weak: boolean; tag: string }[] = [];
  // Elements separated by commas with optional whitespace; empty elements are allowed by the list rule.
  for (const raw of value.split(',')) {
    const element = raw.trim();
    if (element === '') continue;
    LIST_ITEM.lastIndex = 0;
    const match = LIST_ITEM.exec(element);
    if (!match || LIST_ITEM.lastIndex !== element.length) return null;
    tags.push({ weak: match[1] !== undefined, tag: match[2]! });
  }
  return tags.length ? tags : null;
}

/** `etag` is a full entity tag as sent in an ETag header (`"x"` or `W/"x"`). */
function opaque(etag: string): { weak: boolean; tag: string } {
  return etag.startsWith('W/') ? { weak: true, tag: etag.slice(2) } : { weak: false, tag: etag };
}

/** If-None-Match uses the weak comparison: the opaque tags are equal, W/ ignored. */
export function noneMatchHits(list: EntityTagList | null, etag: string): boolean {
  if (list === null) return false;
  return list === '*' || list.some((t) => t.tag === opaque(etag).tag);
}

/** If-Match uses the strong comparison: both tags strong and equal. */
export function matchHits(list: EntityTagList, etag: string): boolean {
  const current = opaque(etag);
  return list === '*' || (!current.weak && list.some((t) => !t.weak && t.tag === current.tag));
}

/**
 * The request's query in a canonical form: (name, value) pairs deduplicated and sorted. Every read
 * endpoint treats repeated values as a set and refuses repeated single-valued names, so two queries
 * with the same canonical form always get the same response.
 */
export function normalizedQuery(search: URLSearchParams): string {
  const pairs = [...new Set([...search].map(([name, value]) => JSON.stringify([name, value])))];
  return pairs.sort().join('&');
}

/**
 * A weak validator for a dataset-dependent response: it changes with the dataset version and the
 * request (path, normalized query, representation), and is never computed from the body.
 */
export async function datasetEtag(version: string, path: string, search: URLSearchParams, representation: string): Promise<string> {
  const key = await sha256Hex(`${path}\n${normalizedQuery(search)}\n${representation}`);
  return `W/"${version}-${key.slice(0, 16)}"`;
}
