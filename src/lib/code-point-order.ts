/**
 * Orders strings by Unicode code point, as Python's `sorted` does. JavaScript's default sort compares
 * UTF-16 code units, which puts astral characters (surrogate pairs) before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}
