import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORER, SCORER_NAMES, SCORERS, ScorerParamSchema } from './scorers';

describe('SCORERS', () => {
  it('lists the three VLMEvalKit rule versions oldest first, the 2024 one the only default', () => {
    expect(SCORER_NAMES).toEqual(['vlmevalkit-2024', 'vlmevalkit-2025-08', 'vlmevalkit-2026-06']);
    expect(SCORERS.filter((scorer) => scorer.default).map((scorer) => scorer.name)).toEqual([DEFAULT_SCORER]);
    expect(DEFAULT_SCORER).toBe('vlmevalkit-2024');
  });

  it('chains the commit ranges: each version starts where the previous one stops', () => {
    SCORERS.slice(1).forEach((scorer, i) => expect(scorer.vlmevalkitCommits.from).toBe(SCORERS[i]?.vlmevalkitCommits.before));
    expect(SCORERS.at(-1)?.vlmevalkitCommits.before).toBeNull();
  });

  it('only adds rules: each version keeps every rule of the previous one', () => {
    SCORERS.slice(1).forEach((scorer, i) => {
      const previous = SCORERS[i]?.rules ?? {};
      for (const [rule, on] of Object.entries(previous)) if (on) expect(scorer.rules).toHaveProperty(rule, true);
      expect(scorer.changes.length).toBeGreaterThan(0);
    });
  });
});

describe('ScorerParamSchema', () => {
  it('defaults to vlmevalkit-2024 and accepts each name', () => {
    expect(v.parse(ScorerParamSchema, undefined)).toBe('vlmevalkit-2024');
    expect(v.parse(ScorerParamSchema, 'vlmevalkit-2026-06')).toBe('vlmevalkit-2026-06');
  });

  it('refuses another name with a message listing the valid ones', () => {
    const result = v.safeParse(ScorerParamSchema, 'vlmevalkit-2025');
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe('must be one of vlmevalkit-2024, vlmevalkit-2025-08, vlmevalkit-2026-06');
  });
});
