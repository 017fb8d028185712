import { describe, expect, it } from 'vitest';
import { evaluateGates, formatMarkdown, formatTable, gatesPassed, summarizeResponse, type Comparison } from './gates';

const scoresAnswer = {
  split: 'val',
  scorer: 'vlmevalkit-2024',
  dataset_version: 'abc123',
  predictions_sha256: 'f'.repeat(64),
  overall: { n: 200, correct: 90, accuracy: 0.45, ci95: [0.3826, 0.5193] },
  coverage: { in_scope: 210, submitted: 200, missing: 10, unanswered: 4, ignored: 0 },
};
const comparison = (difference: number, p: number): Comparison => ({
  run_id: 'run_ref',
  n: 200,
  both_correct: 80,
  only_a: 10,
  only_b: 10 - Math.round(difference * 200),
  neither: 100,
  difference,
  difference_ci95: [difference - 0.03, difference + 0.03],
  mcnemar_p: p,
});

describe('gmai gates', () => {
  it('reads /v1/scores answers and the per-scorer overall of /v1/runs answers', () => {
    expect(summarizeResponse(scoresAnswer, undefined)).toMatchObject({
      split: 'val',
      scorer: 'vlmevalkit-2024',
      datasetVersion: 'abc123',
      overall: { n: 200, correct: 90, accuracy: 0.45 },
    });
    const runAnswer = {
      id: 'run_1',
      split: 'test',
      overall: { 'vlmevalkit-2024': { n: 10, correct: 5 }, 'vlmevalkit-2026-06': { n: 10, correct: 7, accuracy: 0.7 } },
    };
    expect(summarizeResponse(runAnswer, undefined).overall).toEqual({ n: 10, correct: 5, accuracy: 0.5, ci95: null });
    expect(summarizeResponse(runAnswer, 'vlmevalkit-2026-06')).toMatchObject({ scorer: 'vlmevalkit-2026-06', overall: { correct: 7 } });
    expect(() => summarizeResponse(runAnswer, 'other')).toThrow(/no overall result for scorer other/);
    expect(() => summarizeResponse('x', undefined)).toThrow(TypeError);
  });

  it('passes and fails the accuracy gate at the threshold', () => {
    const summary = summarizeResponse(scoresAnswer, undefined);
    expect(evaluateGates(summary, { minAccuracy: 0.45 })).toEqual([{ name: 'accuracy ≥ 45.00%', passed: true, detail: '45.00%' }]);
    expect(evaluateGates(summary, { minAccuracy: 0.4501 })[0]!.passed).toBe(false);
    expect(evaluateGates(summary, {})).toEqual([]);
    expect(gatesPassed([])).toBe(true);
  });

  it('fails the comparison gate only for a drop beyond max-drop that is significant', () => {
    const gate = (difference: number, p: number, maxDrop = 0.01) =>
      evaluateGates(
        { ...summarizeResponse(scoresAnswer, undefined), comparison: comparison(difference, p) },
        { compare: { run: 'run_ref', maxDrop, alpha: 0.05 } },
      )[0]!;
    expect(gate(-0.02, 0.01).passed).toBe(false); // worse by 2 pp, significant
    expect(gate(-0.02, 0.2).passed).toBe(true); // worse by 2 pp, but within noise
    expect(gate(-0.005, 0.001).passed).toBe(true); // significant, but within the allowed drop
    expect(gate(0.03, 0.0001).passed).toBe(true); // better
    expect(gate(-0.02, 0.01).detail).toBe('Δ −2.00 pp [−5.00 pp, +1.00 pp] on 200 shared questions, McNemar p = 0.010');
    const missing = evaluateGates(summarizeResponse(scoresAnswer, undefined), { compare: { run: 'run_ref', maxDrop: 0, alpha: 0.05 } })[0]!;
    expect(missing).toMatchObject({ passed: false, detail: 'the server sent no comparison' });
  });

  it('prints a short table and GitHub Markdown with the verdicts', () => {
    const summary = { ...summarizeResponse(scoresAnswer, undefined), comparison: comparison(-0.02, 0.0004) };
    const gates = evaluateGates(summary, { minAccuracy: 0.4, compare: { run: 'run_ref', maxDrop: 0, alpha: 0.05 } });
    const table = formatTable(summary, gates);
    expect(table).toMatch(/^accuracy\s+45.00% \(90\/200, 95% CI 38.26%–51.93%\)$/m);
    expect(table).toMatch(/^coverage\s+200 scored, 10 missing, 4 unanswered$/m);
    expect(table).toMatch(/^PASS\s+accuracy ≥ 40.00%: 45.00%$/m);
    expect(table).toMatch(/^FAIL\s+no regression vs run_ref .*McNemar p = 4\.0e-4$/m);
    const markdown = formatMarkdown(summary, gates);
    expect(markdown.split('\n')[0]).toBe('### GMAI-MMBench VAL · vlmevalkit-2024 · ❌ gate failed');
    expect(markdown).toContain('| ✅ accuracy ≥ 40.00% | 45.00% |');
    expect(markdown).toContain('| ❌ no regression vs run_ref');
  });
});
