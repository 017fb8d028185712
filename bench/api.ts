// Requests the bench scenarios share: a scoring token from the admin API, and a whole split as NDJSON.

/** A new API token (both scopes) created with the admin token. */
export async function createToken(url: string, adminToken: string, name: string): Promise<string> {
  const res = await fetch(`${url}/v1/admin/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`creating token ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Every question of a split, as the API serves it (VAL with its answers). */
export async function splitQuestions<T extends { index: number }>(url: string, split: string): Promise<T[]> {
  const res = await fetch(`${url}/v1/questions?split=${split}`, { headers: { Accept: 'application/x-ndjson' } });
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
