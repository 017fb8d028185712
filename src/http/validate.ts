// Request validation: valibot schemas (which also feed the OpenAPI document) with failures
// turned into 400 problem+json naming each offending field.
import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import type { GenericSchema } from 'valibot';
import { ProblemError, type ProblemFieldError } from './problem';

interface IssueLike {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
}

export function issuesToErrors(issues: ReadonlyArray<IssueLike>, prefix = ''): ProblemFieldError[] {
  return issues.map((issue) => ({ name: pathName(issue.path, prefix), reason: issue.message }));
}

function pathName(path: IssueLike['path'], prefix: string): string {
  let name = prefix;
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    name += typeof key === 'number' ? `[${key}]` : name ? `.${String(key)}` : String(key);
  }
  return name || '(body)';
}

const TARGET_TITLES: Partial<Record<keyof ValidationTargets, string>> = {
  query: 'Invalid query parameters',
  param: 'Invalid path parameters',
  json: 'Invalid request body',
  header: 'Invalid headers',
};

export function validate<T extends keyof ValidationTargets, S extends GenericSchema>(target: T, schema: S) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      throw new ProblemError({
        status: 400,
        title: TARGET_TITLES[target] ?? 'Invalid request',
        errors: issuesToErrors(result.error as ReadonlyArray<IssueLike>),
      });
    }
  });
}
