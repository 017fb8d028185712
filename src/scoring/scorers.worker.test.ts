import { describe, expect, it } from 'vitest';
import { api } from '../../test/worker/support';

interface ScorersBody {
  default: string;
  data: Array<{
    name: string;
    default: boolean;
    vlmevalkit_commits: { from: string; before: string | null };
    changes: string[];
    rules: Record<string, boolean>;
  }>;
}

describe('GET /v1/scorers', () => {
  it('lists the three VLMEvalKit rule versions of docs §5.1, oldest first, cacheable', async () => {
    const res = await api('/v1/scorers');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600');
    const body = (await res.json()) as ScorersBody;
    expect(body.default).toBe('vlmevalkit-2024');
    expect(body.data.map(({ name, default: isDefault, vlmevalkit_commits, rules }) => ({ name, isDefault, vlmevalkit_commits, rules }))).toEqual([
      {
        name: 'vlmevalkit-2024',
        isDefault: true,
        vlmevalkit_commits: { from: expect.stringContaining('2024-08'), before: 'c3371551 (2025-08-04)' },
        rules: { last_four_tokens: false, length_guard: false, regex_fallback: false },
      },
      {
        name: 'vlmevalkit-2025-08',
        isDefault: false,
        vlmevalkit_commits: { from: 'c3371551 (2025-08-04)', before: 'a67ace50 (2026-06-17)' },
        rules: { last_four_tokens: true, length_guard: true, regex_fallback: false },
      },
      {
        name: 'vlmevalkit-2026-06',
        isDefault: false,
        vlmevalkit_commits: { from: 'a67ace50 (2026-06-17)', before: null },
        rules: { last_four_tokens: true, length_guard: true, regex_fallback: true },
      },
    ]);
    // 2025-08 made two changes, 2026-06 one (§5.1).
    expect(body.data.map((scorer) => scorer.changes.length)).toEqual([1, 2, 1]);
    expect(body.data[2]?.changes[0]).toContain('(?:correct\\s+)?answer\\s+is\\s+\\**([ABCD])\\**');
  });

  it('is documented in /openapi.json with its response schema', async () => {
    const doc = (await (await api('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/v1/scorers'] ?? {})).toEqual(['get']);
    expect(doc.components.schemas).toHaveProperty('Scorers');
  });
});
