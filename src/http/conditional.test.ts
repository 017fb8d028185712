import { describe, expect, it } from 'vitest';
import { preconditionOutcome, readPreconditions } from './conditional';

const etag = '"abc"';
const uploaded = new Date('2026-01-10T12:00:00.500Z');
const outcome = (headers: Record<string, string>) => preconditionOutcome(readPreconditions(new Headers(headers)), etag, uploaded);

describe('preconditionOutcome (RFC 9110 §13.2.2, GET/HEAD)', () => {
  it('serves without conditions or when they hold', () => {
    expect(outcome({})).toBeNull();
    expect(outcome({ 'If-Match': '"abc"' })).toBeNull();
    expect(outcome({ 'If-None-Match': '"other"' })).toBeNull();
    expect(outcome({ 'If-Unmodified-Since': 'Sat, 10 Jan 2026 12:00:00 GMT' })).toBeNull();
    expect(outcome({ 'If-Modified-Since': 'Sat, 10 Jan 2026 11:59:59 GMT' })).toBeNull();
  });

  it('answers 304 when the client copy is current', () => {
    expect(outcome({ 'If-None-Match': '"abc"' })).toBe(304);
    expect(outcome({ 'If-None-Match': 'W/"abc"' })).toBe(304);
    expect(outcome({ 'If-None-Match': '*' })).toBe(304);
    expect(outcome({ 'If-Modified-Since': 'Sat, 10 Jan 2026 12:00:00 GMT' })).toBe(304);
  });

  it('answers 412 when If-Match or If-Unmodified-Since fails, before looking at If-None-Match', () => {
    expect(outcome({ 'If-Match': '"other"' })).toBe(412);
    expect(outcome({ 'If-Match': 'W/"abc"' })).toBe(412);
    expect(outcome({ 'If-Match': '"other"', 'If-None-Match': '"abc"' })).toBe(412);
    expect(outcome({ 'If-Unmodified-Since': 'Sat, 10 Jan 2026 11:59:59 GMT' })).toBe(412);
  });

  it('lets If-Match win over If-Unmodified-Since and If-None-Match over If-Modified-Since', () => {
    expect(outcome({ 'If-Match': '"abc"', 'If-Unmodified-Since': 'Thu, 01 Jan 2026 00:00:00 GMT' })).toBeNull();
    expect(outcome({ 'If-None-Match': '"other"', 'If-Modified-Since': 'Sat, 10 Jan 2026 12:00:00 GMT' })).toBeNull();
  });

  it('ignores malformed headers', () => {
    expect(outcome({ 'If-Match': 'garbage', 'If-None-Match': 'W/', 'If-Modified-Since': 'yesterday', 'If-Unmodified-Since': '12' })).toBeNull();
    // A six-digit year would not serialize back to an HTTP-date R2 accepts.
    expect(readPreconditions(new Headers({ 'If-Modified-Since': 'Xyz, 06 Nov 275000 08:49:37 GMT' })).ifModifiedSince).toBeNull();
    expect(readPreconditions(new Headers({ 'If-Modified-Since': 'Sunday, 06-Nov-94 08:49:37 GMT' })).ifModifiedSince).toEqual(new Date('1994-11-06T08:49:37Z'));
  });
});
