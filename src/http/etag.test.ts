import { describe, expect, it } from 'vitest';
import { datasetEtag, matchHits, noneMatchHits, normalizedQuery, parseEntityTags } from './etag';

describe('parseEntityTags', () => {
  it('reads *, single and listed tags, weak or strong', () => {
    expect(parseEntityTags('*')).toBe('*');
    expect(parseEntityTags('"abc"')).toEqual([{ weak: false, tag: '"abc"' }]);
    expect(parseEntityTags(' W/"a" ,"b",, W/""')).toEqual([
      { weak: true, tag: '"a"' },
      { weak: false, tag: '"b"' },
      { weak: true, tag: '""' },
    ]);
  });

  it('returns null for absent or malformed values, so the header is ignored', () => {
    for (const bad of [null, undefined, '', 'abc', '"unterminated', 'W/abc', '"a" "b"', '"a"x', 'w/"a"', '"a\\"b"', ',']) {
      expect(parseEntityTags(bad), String(bad)).toBeNull();
    }
  });
});

describe('comparisons', () => {
  it('If-None-Match compares weakly', () => {
    expect(noneMatchHits(parseEntityTags('W/"x"'), '"x"')).toBe(true);
    expect(noneMatchHits(parseEntityTags('"x"'), 'W/"x"')).toBe(true);
    expect(noneMatchHits(parseEntityTags('"y", "x"'), '"x"')).toBe(true);
    expect(noneMatchHits(parseEntityTags('*'), '"x"')).toBe(true);
    expect(noneMatchHits(parseEntityTags('"y"'), '"x"')).toBe(false);
    expect(noneMatchHits(null, '"x"')).toBe(false);
  });

  it('If-Match compares strongly', () => {
    expect(matchHits(parseEntityTags('"x"')!, '"x"')).toBe(true);
    expect(matchHits(parseEntityTags('W/"x"')!, '"x"')).toBe(false);
    expect(matchHits(parseEntityTags('"x"')!, 'W/"x"')).toBe(false);
    expect(matchHits('*', '"x"')).toBe(true);
  });
});

describe('dataset ETags', () => {
  const q = (s: string) => new URLSearchParams(s);

  it('ignore the order of parameters and repeated identical pairs', () => {
    expect(normalizedQuery(q('split=val&task=B&task=A'))).toBe(normalizedQuery(q('task=A&split=val&task=B&task=A')));
    expect(normalizedQuery(q('task=A'))).not.toBe(normalizedQuery(q('task=B')));
    expect(normalizedQuery(q('task=A%26split%3Dval'))).not.toBe(normalizedQuery(q('task=A&split=val')));
  });

  it('are weak and change with the version, path, query and representation', async () => {
    const base = await datasetEtag('v1', '/v1/tree', q('split=val'), '');
    expect(base).toMatch(/^W\/"v1-[0-9a-f]{16}"$/);
    expect(await datasetEtag('v1', '/v1/tree', q('split=val'), '')).toBe(base);
    for (const other of [
      await datasetEtag('v2', '/v1/tree', q('split=val'), ''),
      await datasetEtag('v1', '/v1/questions', q('split=val'), ''),
      await datasetEtag('v1', '/v1/tree', q('split=test'), ''),
      await datasetEtag('v1', '/v1/tree', q('split=val'), 'application/x-ndjson'),
    ]) {
      expect(other).not.toBe(base);
    }
  });
});
