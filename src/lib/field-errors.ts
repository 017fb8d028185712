// Valibot issues as the field errors problem responses carry: `predictions[3].index`, `manifest.images`.
// Pure, so file-format decoders name the part at fault the same way the request validators do.

export interface FieldError {
  name: string;
  reason: string;
}

export interface IssueLike {
  message: string;
  path?: ReadonlyArray<PropertyKey | { key: unknown }>;
}

export function issuesToErrors(issues: ReadonlyArray<IssueLike>, prefix = ''): FieldError[] {
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
