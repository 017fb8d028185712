import binomialTest from '@stdlib/stats-binomial-test';
import { describe, expect, it } from 'vitest';
import { comparePaired, mcnemarExactP, pairedDifferenceInterval } from './paired';

/** Exact 2·P(X ≤ min(b, c)), X ~ Binomial(b + c, 1/2), in BigInt arithmetic (no shared method with the code). */
function exactMcnemar(b: number, c: number): number {
  const m = b + c;
  const k = Math.min(b, c);
  let term = 1n;
  let tail = 1n;
  for (let i = 1; i <= k; i++) {
    term = (term * BigInt(m - i + 1)) / BigInt(i);
    tail += term;
  }
  // 2·tail / 2^m as a float with 60 significant bits, however small it is.
  const numerator = 2n * tail;
  const scale = BigInt(m - numerator.toString(2).length + 60);
  const quotient = scale >= 0n ? (numerator << scale) / (1n << BigInt(m)) : numerator / (1n << (BigInt(m) - scale));
  const ratio = Number(quotient) * 2 ** -Number(scale);
  return Math.min(1, ratio);
}

describe('mcnemarExactP', () => {
  it('matches hand-computed small cases', () => {
    expect(mcnemarExactP(0, 0)).toBe(1);
    expect(mcnemarExactP(4, 4)).toBe(1);
    expect(mcnemarExactP(0, 5)).toBeCloseTo(2 / 32, 15); // 2·(1/2)^5
    expect(mcnemarExactP(1, 5)).toBeCloseTo((2 * 7) / 64, 15); // 2·(1 + 6)/2^6
    expect(mcnemarExactP(12, 2)).toBeCloseTo((2 * (1 + 14 + 91)) / 16384, 15);
    expect(mcnemarExactP(3, 4)).toBe(1); // 2·P(X ≤ 3 | 7) = 1
  });

  it('agrees with exact rational arithmetic up to TEST size', () => {
    for (const [b, c] of [
      [40, 30],
      [100, 60],
      [300, 250],
      [3000, 2500],
      [10000, 9500],
      [10700, 10581],
      [12000, 9281],
      [10000, 11281],
      [150, 500],
    ]) {
      const expected = exactMcnemar(b!, c!);
      const actual = mcnemarExactP(b!, c!);
      expect(Math.abs(actual - expected) / expected, `b=${b} c=${c}`).toBeLessThan(1e-9);
    }
  });

  it('agrees with @stdlib/stats-binomial-test on the discordant pairs', () => {
    for (const [b, c] of [
      [7, 1],
      [20, 9],
      [55, 80],
      [400, 350],
      [2300, 2200],
      [9000, 8800],
    ]) {
      const reference = binomialTest(Math.min(b!, c!), b! + c!, { p: 0.5 }).pValue;
      // stdlib's incomplete-beta CDF is accurate to ~1e-6 relative at large n.
      expect(Math.abs(mcnemarExactP(b!, c!) - reference) / reference, `b=${b} c=${c}`).toBeLessThan(1e-5);
    }
  });

  it('is symmetric and refuses bad counts', () => {
    expect(mcnemarExactP(9, 30)).toBe(mcnemarExactP(30, 9));
    expect(() => mcnemarExactP(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarExactP(1.5, 3)).toThrow(RangeError);
  });

  it('underflows to 0 rather than NaN for overwhelming differences', () => {
    expect(mcnemarExactP(21281, 0)).toBe(0);
  });
});

describe('pairedDifferenceInterval (Newcombe method 10)', () => {
  const table = (a: number, b: number, c: number, d: number) => ({ n: a + b + c + d, both_correct: a, only_a: b, only_b: c, neither: d });

  // Newcombe (1998), Statistics in Medicine 17:2635, Table II, method 10, to the 4 decimals printed there.
  it.each([
    [36, 12, 2, 0, 0.0569, 0.3404],
    [18, 12, 2, 18, 0.0562, 0.329],
    [53, 0, 0, 1, -0.0729, 0.0729],
    [0, 30, 0, 0, 0.8395, 1],
  ])('table %i %i %i %i → [%f, %f]', (a, b, c, d, lower, upper) => {
    const [l, u] = pairedDifferenceInterval(table(a, b, c, d));
    expect(Math.abs(l - lower)).toBeLessThan(5e-5);
    expect(Math.abs(u - upper)).toBeLessThan(5e-5);
  });

  it('holds the observed difference, stays in [-1, 1] and mirrors when A and B swap', () => {
    for (const [a, b, c, d] of [
      [2000, 300, 250, 2000],
      [1, 0, 5, 0],
      [10, 10, 10, 10],
      [0, 0, 0, 9],
    ]) {
      const [l, u] = pairedDifferenceInterval(table(a!, b!, c!, d!));
      const diff = (b! - c!) / (a! + b! + c! + d!);
      expect(l).toBeLessThanOrEqual(diff);
      expect(u).toBeGreaterThanOrEqual(diff);
      expect(l).toBeGreaterThanOrEqual(-1);
      expect(u).toBeLessThanOrEqual(1);
      const [sl, su] = pairedDifferenceInterval(table(a!, c!, b!, d!));
      expect(sl).toBeCloseTo(-u, 12);
      expect(su).toBeCloseTo(-l, 12);
    }
  });

  it('refuses a table that does not add up', () => {
    expect(() => pairedDifferenceInterval({ n: 5, both_correct: 1, only_a: 1, only_b: 1, neither: 1 })).toThrow(RangeError);
  });
});

describe('comparePaired', () => {
  it('combines the counts, the difference, its interval and the p-value', () => {
    const result = comparePaired({ n: 50, both_correct: 36, only_a: 12, only_b: 2, neither: 0 });
    expect(result.difference).toBeCloseTo(0.2, 15);
    expect(result.difference_ci95![0]).toBeCloseTo(0.0569, 4);
    expect(result.mcnemar_p).toBeCloseTo((2 * 106) / 16384, 15);
  });

  it('has no difference for an empty overlap', () => {
    expect(comparePaired({ n: 0, both_correct: 0, only_a: 0, only_b: 0, neither: 0 })).toMatchObject({ difference: null, difference_ci95: null, mcnemar_p: 1 });
  });
});
