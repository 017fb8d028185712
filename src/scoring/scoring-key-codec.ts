// The scoring key of one imported split as one compact blob, written when the import commits, so
// that the first scoring of an isolate reads one object instead of every row through D1.
// Format `gmai-mmbench-scoring-key/1`: gzip of one JSON document holding columns, each text column
// dictionary-encoded (values once, then one code per row). Option texts are kept exactly as stored
// (pandas' NA strings such as "None" are real options there too, so nothing is normalized).
// Pure: no Workers imports; node:zlib is native in workerd (nodejs_compat) and Node alike.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ANSWERS_PUBLIC, LETTERS, type Letter, type Split } from '../dataset/vocabulary';
import type { QuestionOptions } from '../dataset/choices';
import type { RowGroups } from './accuracy';
import type { ScoringQuestion } from './score-pipeline';

export const SCORING_KEY_FORMAT = 'gmai-mmbench-scoring-key/1';

export interface ScoringKeyRow {
  index: number;
  /** Option texts A, B, ... as stored. */
  options: readonly string[];
  answer: Letter | null;
  clinical_vqa_task: string;
  department: string | null;
  perceptual_granularity: string;
  modality: string;
  original_task: string;
  category: string | null;
}

const GROUP_COLUMNS = ['clinical_vqa_task', 'department', 'perceptual_granularity', 'modality', 'original_task'] as const;

interface Dictionary {
  values: (string | null)[];
  codes: number[];
}

interface EncodedKey {
  format: typeof SCORING_KEY_FORMAT;
  split: Split;
  index: number[];
  /** One character per row: its answer letter, or "-" without one. */
  answers: string;
  /** Codes of every row's options, in letter order, into one dictionary of option texts. */
  options: { values: string[]; codes: number[][] };
  groups: Record<(typeof GROUP_COLUMNS)[number], Dictionary> & { category?: Dictionary };
}

function dictionary(values: readonly (string | null)[]): Dictionary {
  const seen = new Map<string | null, number>();
  const codes = values.map((v) => {
    let code = seen.get(v);
    if (code === undefined) seen.set(v, (code = seen.size));
    return code;
  });
  return { values: [...seen.keys()], codes };
}

/** Labels go in only where answers are public, and for every row or none (as accuracy trees need). */
export function encodeScoringKey(split: Split, rows: readonly ScoringKeyRow[]): Uint8Array {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const texts = new Map<string, number>();
  const optionCodes = sorted.map((r) =>
    r.options.map((t) => {
      let code = texts.get(t);
      if (code === undefined) texts.set(t, (code = texts.size));
      return code;
    }),
  );
  const withLabels = ANSWERS_PUBLIC[split] && sorted.length > 0 && sorted.every((r) => r.category !== null);
  const groups = Object.fromEntries(GROUP_COLUMNS.map((c) => [c, dictionary(sorted.map((r) => r[c]))])) as EncodedKey['groups'];
  if (withLabels) groups.category = dictionary(sorted.map((r) => r.category));
  const encoded: EncodedKey = {
    format: SCORING_KEY_FORMAT,
    split,
    index: sorted.map((r) => r.index),
    answers: sorted.map((r) => r.answer ?? '-').join(''),
    options: { values: [...texts.keys()], codes: optionCodes },
    groups,
  };
  return gzipSync(JSON.stringify(encoded));
}

export class ScoringKeyFormatError extends Error {}

/**
 * Rows share their group tuples (the 21,281 TEST rows hold ~800 distinct ones), so each distinct
 * tuple becomes one frozen object that every row holding it points at. Option sets are nearly all
 * distinct (14,000 of 21,281 on the generated TEST), so they are built per row.
 */
export function decodeScoringKey(blob: Uint8Array): { split: Split; key: Map<number, ScoringQuestion> } {
  // Synchronous: on the first TEST scoring of an isolate, a stream's promise steps cost more than inflating.
  const json = new TextDecoder().decode(gunzipSync(blob));
  const encoded = JSON.parse(json) as EncodedKey;
  if (encoded.format !== SCORING_KEY_FORMAT) throw new ScoringKeyFormatError(`not a ${SCORING_KEY_FORMAT} blob`);
  const { clinical_vqa_task: task, department, perceptual_granularity: granularity, modality, original_task: originalTask, category } = encoded.groups;
  const texts = encoded.options.values;
  const optionCodes = encoded.options.codes;
  const columns = [task, department, granularity, modality, originalTask, ...(category ? [category] : [])];
  // A row's group tuple as one number (mixed radix over the dictionary sizes): no string per row.
  const radix = columns.map((c) => Math.max(1, c.values.length));
  if (radix.reduce((a, b) => a * b, 1) > Number.MAX_SAFE_INTEGER) throw new ScoringKeyFormatError('too many distinct groups');
  const groupTuples = new Map<number, RowGroups>();
  const key = new Map<number, ScoringQuestion>();
  for (let i = 0; i < encoded.index.length; i++) {
    let groupsId = 0;
    for (let c = 0; c < columns.length; c++) groupsId = groupsId * radix[c]! + columns[c]!.codes[i]!;
    let groups = groupTuples.get(groupsId);
    if (groups === undefined) {
      const common = {
        clinical_vqa_task: task.values[task.codes[i]!]!,
        department: department.values[department.codes[i]!] ?? null,
        perceptual_granularity: granularity.values[granularity.codes[i]!]!,
        modality: modality.values[modality.codes[i]!]!,
        original_task: originalTask.values[originalTask.codes[i]!]!,
      };
      groups = Object.freeze(category ? { ...common, category: category.values[category.codes[i]!]! } : common);
      groupTuples.set(groupsId, groups);
    }
    const answer = encoded.answers[i];
    const options: QuestionOptions = {};
    const codes = optionCodes[i] ?? [];
    for (let o = 0; o < codes.length; o++) options[LETTERS[o]!] = texts[codes[o]!]!;
    key.set(encoded.index[i]!, { options, answer: answer === '-' || answer === undefined ? null : (answer as Letter), groups });
  }
  return { split: encoded.split, key };
}
