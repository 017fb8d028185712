// The CI gates of `gmai score` and their report (terminal table and GitHub step-summary Markdown). Pure.
import type { ScoreCommand } from './args';

export interface Stats {
  readonly n: number;
  readonly correct: number;
  readonly accuracy: number | null;
  readonly ci95?: readonly [number, number] | null;
}

/** `comparison` of `POST /v1/scores?compare_to=<run>`: A is this submission, B the stored run. */
export interface Comparison {
  readonly run_id: string;
  readonly n: number;
  readonly both_correct: number;
  readonly only_a: number;
  readonly only_b: number;
  readonly neither: number;
  readonly difference: number | null;
  readonly difference_ci95: readonly [number, number] | null;
  readonly mcnemar_p: number;
}

/** What the gates read from a /v1/scores or /v1/runs answer. */
export interface ScoreSummary {
  readonly split: string;
  readonly scorer: string;
  readonly datasetVersion?: string;
  readonly overall: Stats;
  readonly coverage?: { readonly submitted: number; readonly missing: number; readonly unanswered: number };
  readonly comparison?: Comparison;
  /** Set when the submission was saved as a run. */
  readonly run?: { readonly id: string; readonly created: boolean; readonly url?: string };
}

export interface GateResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/**
 * Reads the fields the gates need from a server answer; throws a TypeError naming what is missing.
 * `overall` is either one result or (POST /v1/runs) a map scorer → result.
 */
export function summarizeResponse(body: unknown, scorer: string | undefined): ScoreSummary {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') throw new TypeError('the server answer is not a JSON object');
  const name = (typeof b.scorer === 'string' ? b.scorer : scorer) ?? 'vlmevalkit-2024';
  let overall = b.overall as Record<string, unknown> | undefined;
  if (overall && typeof overall.n !== 'number') overall = overall[scorer ?? name] as Record<string, unknown> | undefined;
  if (!overall || typeof overall.n !== 'number' || typeof overall.correct !== 'number') {
    throw new TypeError(`the server answer has no overall result${scorer ? ` for scorer ${scorer}` : ''}`);
  }
  const stats: Stats = {
    n: overall.n,
    correct: overall.correct,
    accuracy: typeof overall.accuracy === 'number' ? overall.accuracy : overall.n > 0 ? overall.correct / overall.n : null,
    ci95: Array.isArray(overall.ci95) ? (overall.ci95 as [number, number]) : null,
  };
  return {
    split: String(b.split ?? ''),
    scorer: name,
    ...(typeof b.dataset_version === 'string' ? { datasetVersion: b.dataset_version } : {}),
    overall: stats,
    ...(b.coverage ? { coverage: b.coverage as ScoreSummary['coverage'] } : {}),
    ...(b.comparison ? { comparison: b.comparison as Comparison } : {}),
  };
}

export function evaluateGates(summary: ScoreSummary, command: Pick<ScoreCommand, 'minAccuracy' | 'compare'>): GateResult[] {
  const gates: GateResult[] = [];
  if (command.minAccuracy !== undefined) {
    const accuracy = summary.overall.accuracy;
    const passed = accuracy !== null && accuracy >= command.minAccuracy;
    gates.push({ name: `accuracy ≥ ${percent(command.minAccuracy)}`, passed, detail: `${accuracy === null ? 'no questions scored' : percent(accuracy)}` });
  }
  if (command.compare) {
    const { run, maxDrop, alpha } = command.compare;
    const c = summary.comparison;
    if (!c) {
      gates.push({ name: `no regression vs ${run}`, passed: false, detail: 'the server sent no comparison' });
    } else {
      // A regression is a drop larger than max-drop that is also significant (McNemar's exact test).
      const dropped = c.difference !== null && c.difference < -maxDrop;
      const significant = c.mcnemar_p < alpha;
      const interval = c.difference_ci95 ? ` [${points(c.difference_ci95[0])}, ${points(c.difference_ci95[1])}]` : '';
      gates.push({
        name: `no regression vs ${run} (drop ≤ ${points(maxDrop, false)} or p ≥ ${alpha})`,
        passed: !(dropped && significant),
        detail: `Δ ${c.difference === null ? 'n/a' : points(c.difference)}${interval} on ${c.n} shared questions, McNemar p = ${formatP(c.mcnemar_p)}`,
      });
    }
  }
  return gates;
}

export function gatesPassed(gates: readonly GateResult[]): boolean {
  return gates.every((g) => g.passed);
}

export function formatTable(summary: ScoreSummary, gates: readonly GateResult[]): string {
  const rows: Array<[string, string]> = [
    ['split', `${summary.split}${summary.datasetVersion ? ` (dataset ${summary.datasetVersion})` : ''}`],
    ['scorer', summary.scorer],
    ['accuracy', accuracyText(summary.overall)],
  ];
  if (summary.coverage)
    rows.push(['coverage', `${summary.coverage.submitted} scored, ${summary.coverage.missing} missing, ${summary.coverage.unanswered} unanswered`]);
  if (summary.comparison) {
    const c = summary.comparison;
    rows.push([`vs ${c.run_id}`, `both right ${c.both_correct}, only this ${c.only_a}, only ${c.run_id} ${c.only_b}, neither ${c.neither}`]);
  }
  if (summary.run) rows.push(['run', `${summary.run.id} (${summary.run.created ? 'saved' : 'already saved'})${summary.run.url ? ` ${summary.run.url}` : ''}`]);
  for (const g of gates) rows.push([g.passed ? 'PASS' : 'FAIL', `${g.name}: ${g.detail}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function formatMarkdown(summary: ScoreSummary, gates: readonly GateResult[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `### GMAI-MMBench ${summary.split.toUpperCase()} · ${summary.scorer}${gates.length ? (gatesPassed(gates) ? ' · ✅ gates pass' : ' · ❌ gate failed') : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| accuracy | ${cell(accuracyText(summary.overall))} |`,
  ];
  if (summary.coverage)
    lines.push(`| coverage | ${summary.coverage.submitted} scored, ${summary.coverage.missing} missing, ${summary.coverage.unanswered} unanswered |`);
  if (summary.comparison) {
    const c = summary.comparison;
    lines.push(`| vs \`${cell(c.run_id)}\` | both right ${c.both_correct}, only this ${c.only_a}, only the run ${c.only_b}, neither ${c.neither} |`);
  }
  if (summary.run) lines.push(`| run | \`${cell(summary.run.id)}\` ${summary.run.created ? 'saved' : 'already saved'} |`);
  for (const g of gates) lines.push(`| ${g.passed ? '✅' : '❌'} ${cell(g.name)} | ${cell(g.detail)} |`);
  return `${lines.join('\n')}\n`;
}

function accuracyText(s: Stats): string {
  if (s.accuracy === null) return `no questions scored (0/${s.n})`;
  const ci = s.ci95 ? `, 95% CI ${percent(s.ci95[0])}–${percent(s.ci95[1])}` : '';
  return `${percent(s.accuracy)} (${s.correct}/${s.n}${ci})`;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

/** A difference of accuracies in percentage points, signed. */
function points(x: number, signed = true): string {
  const text = `${(100 * Math.abs(x)).toFixed(2)} pp`;
  return signed ? `${x < 0 ? '−' : '+'}${text}` : text;
}

function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}
