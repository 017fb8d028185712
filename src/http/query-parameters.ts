// Building blocks of query-string contracts. Hono hands a parameter given once over as a string and a
// repeated one as an array; these schemas say which of the two a parameter accepts.
import * as v from 'valibot';

/** A parameter that may be given only once. */
export function once<S extends v.GenericSchema<string, unknown>>(schema: S) {
  return v.pipe(v.string('must be given once'), schema);
}

/**
 * A parameter that may be repeated (`?task=A&task=B`), its values OR-ed: a single value and several
 * both become a sorted set, so equal selections normalize to equal values.
 */
export function repeatable<T extends string | number>(item: v.GenericSchema<string, T>, maxValues: number, description: string) {
  return v.optional(
    v.pipe(
      v.union([v.string(), v.array(v.string())], 'must be text'),
      v.transform((value) => (typeof value === 'string' ? [value] : value)),
      v.array(item),
      v.maxLength(maxValues, `may be given at most ${maxValues} times`),
      v.transform(sortedSet),
      v.description(description),
    ),
    [],
  );
}

/** Distinct values in ascending order (numbers by value, text by UTF-16 unit: any fixed order does). */
export function sortedSet<T extends string | number>(values: readonly T[]): T[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The object-level issue of a strict object is either a missing required parameter or an unknown one. */
export const UNKNOWN_PARAMETER = (issue: v.BaseIssue<unknown>) => (issue.expected === 'never' ? 'is not a parameter of this endpoint' : 'is required');

/** A true/false parameter (`true`, `false`, `1`, `0`), false when absent. */
export const flag = (description: string) =>
  v.optional(
    v.pipe(
      v.picklist(['true', 'false', '1', '0'], 'must be true or false'),
      v.transform((s) => s === 'true' || s === '1'),
      v.description(description),
    ),
    'false',
  );
