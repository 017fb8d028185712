// Paired comparison of two runs on the same questions: McNemar's exact test and the difference of
// accuracies with a 95% interval. Pure; counts in, numbers out.
import { wilsonInterval, Z_95 } from './wilson';

/** The 2×2 table of two runs on the questions both answered. */
export interface PairedCounts {
  readonly n: number;
  readonly both_correct: number;
  /** Right in A, wrong in B (McNemar's b). */
  readonly only_a: number;
  /** Wrong in A, right in B (McNemar's c). */
  readonly only_b: number;
  readonly neither: number;
}

export interface PairedComparison extends PairedCounts {
  /** accuracy(A) − accuracy(B) = (only_a − only_b) / n; null when n = 0. */
  readonly difference: number | null;
  /** Newcombe's method 10 interval for the difference (see pairedDifferenceInterval); null when n = 0. */
  readonly difference_ci95: readonly [number, number] | null;
  /** Exact two-sided McNemar p-value (binomial test of the discordant pairs). */
  readonly mcnemar_p: number;
}

export function comparePaired(counts: PairedCounts): PairedComparison {
  const { n, only_a, only_b } = counts;
  return {
    ...counts,
    difference: n === 0 ? null : (only_a - only_b) / n,
    difference_ci95: n === 0 ? null : pairedDifferenceInterval(counts),
    mcnemar_p: mcnemarExactP(only_a, only_b),
  };
}

/**
 * Exact two-sided McNemar test: under H0 the b + c discordant pairs split as Binomial(b + c, 1/2), so
 * p = min(1, 2·P(X ≤ min(b, c))). Summed in log space from min(b, c) downwards (each term is the
 * previous one times k / (m − k + 1)), which stays accurate for b + c in the tens of thousands.
 */
export function mcnemarExactP(b: number, c: number): number {
  for (const [name, value] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`mcnemarExactP needs a non-negative integer ${name} (got ${value})`);
  }
  const m = b + c;
  const k = Math.min(b, c);
  if (2 * k >= m) return 1; // b = c: the tail holds at least half the mass
  // log P(X = k) for X ~ Binomial(m, 1/2), then the tail relative to it.
  const logTop = logFactorial(m) - logFactorial(k) - logFactorial(m - k) - m * Math.LN2;
  let relative = 1;
  let term = 1;
  for (let j = k; j > 0; j--) {
    term *= j / (m - j + 1);
    relative += term;
    if (term < relative * 1e-17) break;
  }
  return Math.min(1, 2 * Math.exp(logTop + Math.log(relative)));
}

/**
 * 95% interval for the paired difference of proportions p₁ − p₂ = (b − c)/n by Newcombe's hybrid score
 * method without continuity correction on the Wilson limits ("method 10" of Newcombe, Statistics in
 * Medicine 1998;17:2635–2650; Altman et al., Statistics with Confidence, 2nd ed., ch. 6): the Wilson
 * limits of both marginal proportions combined with the correlation φ of the table, where φ uses
 * Newcombe's correction of ad − bc (reduced by n/2 when above it, zero in between, kept when negative).
 */
export function pairedDifferenceInterval(counts: PairedCounts, z: number = Z_95): [number, number] {
  const { n, both_correct: a, only_a: b, only_b: c, neither: d } = counts;
  if (a + b + c + d !== n || n < 1) throw new RangeError(`pairedDifferenceInterval needs a table summing to n >= 1 (got ${JSON.stringify(counts)})`);
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const [l1, u1] = wilsonInterval(a + b, n, z);
  const [l2, u2] = wilsonInterval(a + c, n, z);
  const marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
  const cross = a * d - b * c;
  const corrected = cross > n / 2 ? cross - n / 2 : Math.min(cross, 0);
  const phi = marginProduct === 0 ? 0 : corrected / Math.sqrt(marginProduct);
  const dl = Math.sqrt(Math.max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2));
  const du = Math.sqrt(Math.max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2));
  const difference = p1 - p2;
  return [Math.max(-1, difference - dl), Math.min(1, difference + du)];
}

/** ln(n!) : exact products up to 20, Stirling's series beyond (error below 1e-16 relative there). */
function logFactorial(n: number): number {
  if (n <= 20) {
    let product = 1;
    for (let i = 2; i <= n; i++) product *= i;
    return Math.log(product);
  }
  const x = n + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series;
}
