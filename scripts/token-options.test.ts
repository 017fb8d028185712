import { describe, expect, it } from 'vitest';
import { parseExpiry, parseScopeList, tokenLine } from './token-options';

const NOW = new Date('2026-05-01T10:00:00.000Z');

describe('token create options', () => {
  it('reads --expires as a duration from now, a date (midnight UTC) or a date-time', () => {
    expect(parseExpiry('90d', NOW)).toBe('2026-07-30T10:00:00.000Z');
    expect(parseExpiry('12h', NOW)).toBe('2026-05-01T22:00:00.000Z');
    expect(parseExpiry('2w', NOW)).toBe('2026-05-15T10:00:00.000Z');
    expect(parseExpiry('2027-01-01', NOW)).toBe('2027-01-01T00:00:00.000Z');
    expect(parseExpiry('2027-01-01T08:30:00+01:00', NOW)).toBe('2027-01-01T07:30:00.000Z');
  });

  it.each(['90', 'd', '90 days', '2027-02-30', '2027-13-01', '01/01/2027', ''])('refuses --expires %j', (text) => {
    expect(() => parseExpiry(text, NOW)).toThrow(/--expires/);
  });

  it('reads --scopes as a comma list', () => {
    expect(parseScopeList('score:test, runs:write')).toEqual(['score:test', 'runs:write']);
  });

  it('lists state, expiry and last use', () => {
    const base = { id: 'id-1', name: 'ci', scopes: ['score:test'], created_at: '2026-01-01T00:00:00.000Z', revoked_at: null };
    expect(tokenLine({ ...base, expires_at: null, last_used_at: '2026-04-30T09:00:00.000Z' }, NOW)).toBe(
      'id-1  live     created 2026-01-01T00:00:00.000Z  expires never  last used 2026-04-30T09:00:00.000Z  score:test  ci',
    );
    expect(tokenLine({ ...base, expires_at: '2026-04-01T00:00:00.000Z', last_used_at: null }, NOW)).toContain('expired  created');
  });
});
