import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerTransport, sum } from './flow';
import { apportion } from './targets';

describe('integerTransport', () => {
  it('hits row and column sums exactly and stays on the support whenever a table exists', () => {
    // Build a random feasible instance from a hidden table, then ask for its sums back.
    const instance = fc.array(fc.array(fc.nat({ max: 6 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(instance, fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 24, maxLength: 24 }), (hidden, weights) => {
        const rows = hidden.map(sum);
        const cols = [0, 1, 2, 3].map((j) => sum(hidden.map((line) => line[j] ?? 0)));
        const weight = (i: number, j: number): number => ((hidden[i]?.[j] ?? 0) > 0 ? (weights[i * 4 + j] ?? 1) : 0);
        const table = integerTransport(rows, cols, weight);
        expect(table).not.toBeNull();
        expect(table?.map(sum)).toEqual(rows);
        expect([0, 1, 2, 3].map((j) => sum(table?.map((line) => line[j] ?? 0) ?? []))).toEqual(cols);
        table?.forEach((line, i) => line.forEach((v, j) => expect(v === 0 || weight(i, j) > 0).toBe(true)));
      }),
    );
  });

  it('returns null when the support cannot carry the sums', () => {
    expect(integerTransport([2, 1], [1, 2], (i, j) => (i === j ? 1 : 0))).toBeNull();
  });
});

describe('apportion', () => {
  it('sums to the total within the bounds, close to proportional', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 }), fc.nat({ max: 5000 }), (weights, total) => {
        fc.pre(sum(weights) > 0 && total >= weights.filter((w) => w > 0).length);
        const min = weights.map((w) => (w > 0 ? 1 : 0));
        const shares = apportion(weights, total, min);
        expect(sum(shares)).toBe(total);
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(min[i] ?? 0);
          expect(Math.abs(s - ((weights[i] ?? 0) * total) / sum(weights))).toBeLessThan(weights.filter((w) => w > 0).length + 1);
        });
      }),
    );
  });
});
