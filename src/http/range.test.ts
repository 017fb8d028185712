import { describe, expect, it } from 'vitest';
import { contentRange, resolveRange } from './range';

describe('resolveRange (object of 1000 bytes)', () => {
  const r = (header: string | null) => resolveRange(header, 1000);

  it('serves one satisfiable range, clamped to the object', () => {
    expect(r('bytes=0-9')).toEqual({ offset: 0, length: 10 });
    expect(r('bytes=990-')).toEqual({ offset: 990, length: 10 });
    expect(r('bytes=990-5000')).toEqual({ offset: 990, length: 10 });
    expect(r('bytes=-10')).toEqual({ offset: 990, length: 10 });
    expect(r('bytes=-5000')).toEqual({ offset: 0, length: 1000 });
    expect(r('BYTES=5-5')).toEqual({ offset: 5, length: 1 });
    expect(r('bytes=999-999')).toEqual({ offset: 999, length: 1 });
  });

  it('is unsatisfiable past the end or for an empty suffix', () => {
    expect(r('bytes=1000-')).toBe('unsatisfiable');
    expect(r('bytes=1000-2000')).toBe('unsatisfiable');
    expect(r('bytes=-0')).toBe('unsatisfiable');
    expect(r('bytes=99999999999999999999-')).toBe('unsatisfiable');
  });

  it('ignores what is not one valid byte range (the whole object is served)', () => {
    for (const header of [null, '', 'bytes=', 'bytes=-', 'bytes=5-2', 'bytes=0-1,5-6', 'items=0-1', 'bytes=a-b', 'bytes 0-1', 'bytes=0x1-2']) {
      expect(r(header), String(header)).toBeNull();
    }
  });
});

describe('contentRange', () => {
  it('names the inclusive byte positions and the size', () => {
    expect(contentRange({ offset: 990, length: 10 }, 1000)).toBe('bytes 990-999/1000');
  });
});
