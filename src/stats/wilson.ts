// Score intervals for one binomial proportion (the only definition; src/scoring re-exports it).

/** Two-sided 95% normal quantile, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval for `correct` successes out of `n` (n ≥ 1): unlike the normal
 * approximation it stays inside [0, 1] and is sensible at 0% and 100%.
 */
export function wilsonInterval(correct: number, n: number, z: number = Z_95): [number, number] {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(correct) || correct < 0 || correct > n) {
    throw new RangeError(`wilsonInterval needs integers 0 <= correct <= n, n >= 1 (got ${correct}/${n})`);
  }
  const p = correct / n;
  const z2n = (z * z) / n;
  const denominator = 1 + z2n;
  const centre = (p + z2n / 2) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); computing it leaves rounding noise.
  return [correct === 0 ? 0 : centre - halfWidth, correct === n ? 1 : centre + halfWidth];
}
