import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonFloatRepr } from './python-float-repr';

describe('pythonFloatRepr', () => {
  it.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [-1, '-1.0'],
    [0.1, '0.1'],
    [100, '100.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e16, '1e+16'],
    [123456789012345680, '1.2345678901234568e+17'],
    [2114 / 4550, '0.4646153846153846'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s → %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
  });

  // Printed by CPython 3.11 `repr(float)`. Each string reads back as its own double, so the
  // double is Number(text) and the expected output is the text itself.
  it.each([
    '9.999999999999999e-05',
    '9999999999999998.0',
    '1000000000000000.0',
    '1.2345678901234568e+16',
    '1e+22',
    '1e-07',
    '5e-324',
    '2.2250738585072014e-308',
    '1.7976931348623157e+308',
    '0.30000000000000004',
    '123456.789',
    '0.3362637362637363',
    '0.3333333333333333',
    '0.6666666666666666',
    '0.001',
    '0.00011',
    '1e+100',
    '1.5e-10',
    '4.35e-05',
    '-1.989032661366619e+244',
    '7.761117632285041e+178',
    '3.980498358697587e-249',
    '-1.5432835417340557e+88',
    '6.294675241195386e-44',
    '6.387016158513563e-12',
    '4.24519189142514e+17',
    '0.05654536941930797',
    '6306259157.317371',
    '5.8554142264038674e-08',
    '9.7625510559292e-08',
    // The double is 1432620427638091.25: a tie at 17 digits, broken to even (toPrecision would round up).
    '1432620427638091.2',
  ])('matches CPython for %s', (text) => {
    expect(pythonFloatRepr(Number(text))).toBe(text);
  });

  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

  it('reads back as the same double', () => {
    fc.assert(
      fc.property(finite, (x) => {
        expect(Object.is(Number(pythonFloatRepr(x)), x)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('uses scientific notation exactly when |x| < 1e-4 or |x| >= 1e16, in Python’s layout', () => {
    fc.assert(
      fc.property(finite, (x) => {
        const text = pythonFloatRepr(x);
        const scientific = x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16);
        if (scientific) {
          // One leading digit, no trailing zeros in the fraction, signed exponent of at least two digits.
          expect(text).toMatch(/^-?[1-9](\.[0-9]*[1-9])?e[+-](0[0-9]|[1-9][0-9]{1,2})$/);
        } else {
          // Positional with at least one fractional digit; no exponent.
          expect(text).toMatch(/^-?(0|[1-9][0-9]*)\.[0-9]+$/);
        }
      }),
      { numRuns: 20_000 },
    );
  });

  it('uses the fewest significant digits, nearest to the double, ties to even', () => {
    fc.assert(
      fc.property(
        finite.filter((x) => x !== 0),
        (x) => {
          const { digits, exponent } = decimalOf(pythonFloatRepr(Math.abs(x)));
          // Nearest: no neighbour at the same precision is closer (compared exactly); on a tie, the even one.
          const [mantissa, binaryExponent] = binaryOf(Math.abs(x));
          const distance = (d: bigint) => exactDistance(d, exponent, mantissa, binaryExponent);
          const here = distance(digits);
          const [below, above] = [distance(digits - 1n), distance(digits + 1n)];
          expect(here <= below && here <= above).toBe(true);
          if (here === below || here === above) expect(digits % 2n).toBe(0n);
          // Fewest: one significant digit less never reads back as the same double.
          const count = digits.toString().length;
          if (count > 1) expect(Number(Math.abs(x).toPrecision(count - 1))).not.toBe(Math.abs(x));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

/** A positive repr as digits × 10^exponent, digits without trailing zeros ('100.0' → 1 × 10^2). */
function decimalOf(text: string): { digits: bigint; exponent: number } {
  const [mantissa = '', power = '0'] = text.split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = BigInt(whole + fraction);
  let exponent = Number(power) - fraction.length;
  while (digits % 10n === 0n) {
    digits /= 10n;
    exponent++;
  }
  return { digits, exponent };
}

/** A positive finite double as mantissa × 2^exponent, exactly, from its IEEE 754 bits. */
function binaryOf(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? [fraction, -1074] : [fraction | (1n << 52n), biased - 1075];
}

/** |d × 10^e − m × 2^b| scaled by 10^max(0, −e) × 2^max(0, −b): comparable across d for fixed e, m, b. */
function exactDistance(d: bigint, e: number, m: bigint, b: number): bigint {
  const pow = (base: bigint, n: number) => base ** BigInt(Math.max(0, n));
  const difference = d * pow(10n, e) * pow(2n, -b) - m * pow(2n, b) * pow(10n, -e);
  return difference < 0n ? -difference : difference;
}
