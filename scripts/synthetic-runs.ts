// Synthetic runs for the generated default dataset, so that `npm start` shows leaderboards and
// comparisons with something in them. Each is a clearly named synthetic model whose strength differs
// by clinical task and perceptual granularity; predictions are drawn from r2-seed's seeded PRNG, so
// every start produces the same runs. Never posted on real data: see ensureSyntheticRuns.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashString, Rng } from '../r2-seed/prng';
import { datasetVersion } from '../src/dataset/version';
import type { Split } from '../src/dataset/vocabulary';
import { readAnswerKey } from './import/run-import';

export const SYNTHETIC_ORGANIZATION = 'Synthetic (npm start)';
const NOTES = 'A synthetic run that npm start generates on the generated default dataset, so leaderboards and comparisons show something. Not a real model.';
const SEED = 2024;

export interface SyntheticQuestion {
  readonly index: number;
  readonly answer: string;
  /** The letters of the question's options. */
  readonly letters: readonly string[];
  readonly task: string;
  readonly granularity: string;
}

export interface SyntheticProfile {
  readonly model: string;
  /** Chance of the right letter before adjustments; null guesses uniformly among the options. */
  readonly base: number | null;
  readonly byTask?: Readonly<Record<string, number>>;
  readonly byGranularity?: Readonly<Record<string, number>>;
}

export const SYNTHETIC_PROFILES: readonly SyntheticProfile[] = [
  { model: 'synthetic/steady-generalist', base: 0.55 },
  { model: 'synthetic/diagnosis-specialist', base: 0.35, byTask: { 'Disease Diagnosis': 0.35, 'Severity Grading': 0.2 } },
  { model: 'synthetic/fine-grained-localizer', base: 0.4, byGranularity: { 'Box level': 0.3, 'Mask level': 0.2, 'Image level': -0.15 } },
  // Two of equal strength: their comparison should rarely be significant.
  { model: 'synthetic/twin-a', base: 0.45 },
  { model: 'synthetic/twin-b', base: 0.45 },
  { model: 'synthetic/chance', base: null },
];

/** One raw prediction per question: the right letter with the profile's chance, else another option; a few refusals. */
export function syntheticPredictions(profile: SyntheticProfile, split: Split, questions: readonly SyntheticQuestion[]): Record<string, string> {
  const predictions: Record<string, string> = {};
  for (const q of questions) {
    const rng = new Rng(SEED, hashString(profile.model), hashString(split), q.index);
    if (rng.chance(0.02)) {
      predictions[q.index] = 'I cannot determine the answer from this image.';
      continue;
    }
    const p =
      profile.base === null ? 1 / q.letters.length : clamp(profile.base + (profile.byTask?.[q.task] ?? 0) + (profile.byGranularity?.[q.granularity] ?? 0));
    const letter = rng.chance(p) ? q.answer : rng.pick(q.letters.filter((l) => l !== q.answer));
    predictions[q.index] = `${letter}`;
  }
  return predictions;
}

function clamp(p: number): number {
  return Math.min(0.95, Math.max(0.05, p));
}

/** The file in the local state that records the content of each default split this start imported. */
function markerFile(stateDir: string): string {
  return path.join(stateDir, 'gmai-default-dataset.json');
}

/** Called after a default split's import commits. */
export function recordDefaultImport(stateDir: string, split: Split, contentSha256: string): void {
  const marker = readMarker(stateDir);
  writeFileSync(markerFile(stateDir), JSON.stringify({ ...marker, [split]: contentSha256 }));
}

function readMarker(stateDir: string): Partial<Record<Split, string>> {
  const file = markerFile(stateDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<Split, string>>) : {};
}

/**
 * The served dataset is the generated default one when its version is the one of the splits recorded
 * as imported from the generated files (the same formula as the Worker's). Anything imported since,
 * e.g. the real VAL, changes the version, and then no synthetic run is posted.
 */
export async function servesDefaultDataset(stateDir: string, servedVersion: string): Promise<boolean> {
  const marker = readMarker(stateDir);
  const rows = (['test', 'val'] as const).flatMap((split) => (marker[split] ? [{ split, contentSha256: marker[split] }] : []));
  return rows.length === 2 && (await datasetVersion(rows)) === servedVersion;
}

interface ServedQuestion {
  index: number;
  answer?: string;
  options: Record<string, string>;
  clinical_vqa_task: string;
  perceptual_granularity: string;
}

/** Posts the synthetic runs once per dataset version (none on data other than the generated default). */
export async function ensureSyntheticRuns(options: {
  url: string;
  adminToken: string;
  stateDir: string;
  testAnswersFile: string;
  log: (line: string) => void;
}): Promise<void> {
  const { url, adminToken } = options;
  const health = (await (await fetch(`${url}/v1/health`)).json()) as { dataset_version: string };
  if (!(await servesDefaultDataset(options.stateDir, health.dataset_version))) return;
  const listed = (await (await fetch(`${url}/v1/runs?model=${encodeURIComponent(SYNTHETIC_PROFILES[0]!.model)}&limit=100`)).json()) as {
    data: Array<{ organization: string | null; dataset_version: string }>;
  };
  if (listed.data.some((r) => r.organization === SYNTHETIC_ORGANIZATION && r.dataset_version === health.dataset_version)) return;
  const created = await fetch(`${url}/v1/admin/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'synthetic runs (npm start)' }),
  });
  if (!created.ok) throw new Error(`could not create a token for the synthetic runs: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  const testAnswers = await readAnswerKey(options.testAnswersFile, []);
  for (const split of ['val', 'test'] as const) {
    const res = await fetch(`${url}/v1/questions?split=${split}`, { headers: { Accept: 'application/x-ndjson' } });
    const served = (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ServedQuestion);
    const questions = served.map((q) => ({
      index: q.index,
      answer: split === 'val' ? q.answer! : testAnswers.get(q.index)!,
      letters: Object.keys(q.options),
      task: q.clinical_vqa_task,
      granularity: q.perceptual_granularity,
    }));
    for (const profile of SYNTHETIC_PROFILES) {
      const body = JSON.stringify({
        model: profile.model,
        organization: SYNTHETIC_ORGANIZATION,
        notes: NOTES,
        predictions: syntheticPredictions(profile, split, questions),
      });
      const posted = await fetch(`${url}/v1/runs?split=${split}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
      });
      if (!posted.ok) throw new Error(`synthetic run ${profile.model} on ${split}: ${posted.status} ${await posted.text()}`);
    }
  }
  options.log(`created ${SYNTHETIC_PROFILES.length} synthetic runs per split (${url}/v1/leaderboard?split=val)`);
}
