import { describe, expect, it } from 'vitest';
import { wantsNdjson } from './ndjson';

describe('wantsNdjson', () => {
  it('is true when Accept lists NDJSON with a non-zero weight', () => {
    expect(wantsNdjson('application/x-ndjson')).toBe(true);
    expect(wantsNdjson('application/json;q=0.5, Application/X-NDJSON;q=0.9')).toBe(true);
    expect(wantsNdjson('application/x-ndjson; q=0.001')).toBe(true);
  });

  it('is false otherwise (JSON is the default)', () => {
    for (const accept of [undefined, '', '*/*', 'application/json', 'application/x-ndjson;q=0', 'application/x-ndjson; q=0.000', 'application/x-ndjsonx']) {
      expect(wantsNdjson(accept), String(accept)).toBe(false);
    }
  });
});
