// Bench scenarios of issue 9: VLMEvalKit TSV export throughput (a 500-question subset and the whole
// TEST split) with the Worker process's resident memory sampled while it streams, and scoring the
// same predictions under each scorer. Used by bench/run.ts.
import { readdirSync, readFileSync } from 'node:fs';

export interface TsvExportResult {
  name: string;
  rows: number;
  megabytes: number;
  seconds: number;
  megabytesPerSecond: number;
  rowsPerSecond: number;
  /** Resident memory of the workerd processes: before the export and the peak while it streamed. */
  baselineRssMb: number;
  peakRssMb: number;
  ok: boolean;
}

export interface ScorerTiming {
  scorer: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  correct: number;
  ok: boolean;
}

/** workerd processes started (through wrangler) by this process. */
function workerdPids(): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...names].filter(([pid, name]) => name.startsWith('workerd') && descends(pid)).map(([pid]) => pid);
}

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/** `rows`: how many questions the selection holds (texts may hold line breaks, so lines would not tell). */
async function timeTsv(url: string, name: string, query: string, rows: number): Promise<TsvExportResult> {
  const pids = workerdPids();
  const baselineRssMb = rssMb(pids);
  let peakRssMb = baselineRssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pids))), 50);
  const started = performance.now();
  let bytes = 0;
  let ok = false;
  try {
    const res = await fetch(`${url}/v1/questions?${query}&format=tsv`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    ok = res.ok;
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  console.error(
    `  TSV ${name}: ${rows} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s, workerd RSS ${baselineRssMb.toFixed(0)} → peak ${peakRssMb.toFixed(0)} MB`,
  );
  return {
    name,
    rows,
    megabytes: bytes / 1e6,
    seconds,
    megabytesPerSecond: bytes / 1e6 / seconds,
    rowsPerSecond: rows / seconds,
    baselineRssMb,
    peakRssMb,
    ok,
  };
}

/**
 * The TSV of the first 500 VAL questions (by index) and of the whole TEST split (`testRows` questions).
 * The row counts are known here rather than asked of GET /v1/subsets: under wrangler dev, the first
 * request after the whole TEST TSV can wait minutes before it reaches the Worker (see the README).
 */
export async function timeTsvExports(url: string, testRows: number): Promise<TsvExportResult[]> {
  const page = (await (await fetch(`${url}/v1/questions?split=val&limit=500`)).json()) as { data: { index: number }[] };
  const subset = `split=val&${page.data.map((q) => `index=${q.index}`).join('&')}`;
  return [await timeTsv(url, '500-question VAL subset', subset, page.data.length), await timeTsv(url, 'whole TEST split', 'split=test', testRows)];
}

/** The whole VAL split scored under each scorer, the same raw predictions each time (JSON body). */
export async function timeScorers(url: string, runs: number): Promise<ScorerTiming[]> {
  const scorers = ((await (await fetch(`${url}/v1/scorers`)).json()) as { data: { name: string }[] }).data.map((s) => s.name);
  const questions = (await (await fetch(`${url}/v1/questions?split=val&format=ndjson`)).text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { index: number; options: Record<string, string> });
  // Forms the three rule versions treat differently: a leading letter, "answer is X", option text, a bare letter.
  const predictions = Object.fromEntries(
    questions.map((q, i) => {
      const letters = Object.keys(q.options);
      const letter = letters[i % letters.length]!;
      const forms = [
        `${letter} seems right to me, given the visible findings in this image`,
        `I think the correct answer is ${letter}`,
        q.options[letter]!,
        letter,
      ];
      return [q.index, forms[i % forms.length]!];
    }),
  );
  const body = JSON.stringify({ predictions });
  const results: ScorerTiming[] = [];
  for (const scorer of scorers) {
    const durations: number[] = [];
    let ok = true;
    let correct = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = await fetch(`${url}/v1/scores?split=val&scorer=${scorer}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      correct = ((await res.json()) as { overall: { correct: number } }).overall?.correct ?? -1;
      durations.push(performance.now() - started);
      ok = ok && res.ok;
    }
    durations.sort((a, b) => a - b);
    results.push({ scorer, medianMs: durations[Math.floor(durations.length / 2)]!, minMs: durations[0]!, maxMs: durations.at(-1)!, correct, ok });
  }
  return results;
}

export function exportReportLines(tsv: TsvExportResult[], scorers: ScorerTiming[], questions: number): string[] {
  return [
    '',
    '| TSV export | rows | MB | seconds | MB/s | rows/s | workerd RSS before → peak MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...tsv.map(
      (t) =>
        `| ${t.name} | ${t.rows} | ${t.megabytes.toFixed(0)} | ${t.ok ? t.seconds.toFixed(2) : 'FAILED'} | ${t.megabytesPerSecond.toFixed(1)} | ${t.rowsPerSecond.toFixed(0)} | ${t.baselineRssMb.toFixed(0)} → ${t.peakRssMb.toFixed(0)} |`,
    ),
    '',
    `| scorer (whole VAL, ${questions} raw predictions, JSON) | median ms | min–max ms | correct |`,
    '|---|---:|---:|---:|',
    ...scorers.map((s) => `| ${s.scorer} | ${s.ok ? s.medianMs.toFixed(0) : 'FAILED'} | ${s.minMs.toFixed(0)}–${s.maxMs.toFixed(0)} | ${s.correct} |`),
  ];
}
