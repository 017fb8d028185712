// Request validation: valibot schemas (which also feed the OpenAPI document) with failures
// turned into 400 problem+json naming each offending field.
import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { GenericSchema } from 'valibot';
import { issuesToErrors, type IssueLike } from '../lib/field-errors';
import { ProblemError, type ProblemFieldError } from './problem';

const TARGET_TITLES: Partial<Record<keyof ValidationTargets, string>> = {
  query: 'Invalid query parameters',
  param: 'Invalid path parameters',
  json: 'Invalid request body',
  header: 'Invalid headers',
};

/**
 * `documentOutput`: describe the parameters in the OpenAPI document by the schema's output (e.g. a
 * repeatable text parameter as an array, a numeric one as a number) rather than by its raw input.
 */
export function validate<T extends keyof ValidationTargets, S extends GenericSchema>(target: T, schema: S, documentOutput = false) {
  const documentation = documentOutput ? { options: { typeMode: 'output' } } : undefined;
  return validator(
    target,
    schema,
    (result) => {
      if (!result.success) {
        const errors = issuesToErrors(result.error as readonly IssueLike[]);
        throw new ProblemError({
          status: 400,
          title: TARGET_TITLES[target] ?? 'Invalid request',
          errors: target === 'query' ? byParameterName(errors) : errors,
        });
      }
    },
    documentation,
  );
}

/** A repeated query parameter is named without the position of the bad value (`task`, not `task[1]`). */
function byParameterName(errors: ProblemFieldError[]): ProblemFieldError[] {
  const named = errors.map((e) => ({ name: e.name.replace(/\[\d+\]$/, ''), reason: e.reason }));
  return named.filter((e, i) => named.findIndex((o) => o.name === e.name && o.reason === e.reason) === i);
}
