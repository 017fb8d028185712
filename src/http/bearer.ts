/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

export interface BearerChallenge {
  realm: string;
  /** RFC 6750 §3.1: absent when no token was sent. */
  error?: 'invalid_token' | 'insufficient_scope';
  description?: string;
  scope?: string;
}

/** The `WWW-Authenticate` value of a Bearer challenge (RFC 6750 §3); values are fixed texts, never input. */
export function bearerChallenge({ realm, error, description, scope }: BearerChallenge): string {
  const params: [string, string | undefined][] = [
    ['realm', realm],
    ['error', error],
    ['error_description', description],
    ['scope', scope],
  ];
  return `Bearer ${params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ')}`;
}
