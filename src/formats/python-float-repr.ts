/**
 * Python's `repr(float)`: the shortest digit string that reads back as the same double (as JavaScript
 * picks), laid out the Python way: integral values keep a `.0`, and scientific notation is used when
 * the decimal exponent is below -4 or at least 16 (JavaScript switches at 1e-7 and 1e21), with a
 * signed exponent of at least two digits (`1e-05`, `1e+16`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';

  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits: "d.ddde±n".
  const [mantissa = '', exponentText = ''] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const significand = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${significand}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) return `${sign}${digits.padEnd(integerDigits, '0')}.0`;
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}
