// The scoring key of one imported split as one compact blob, written when the import commits, so
// that the first scoring of an isolate reads one object instead of every row through D1.
// Format `gmai-mmbench-scoring-key/1`: gzip of one JSON document holding columns, each text column
// dictionary-encoded (values once, then one code per row). Option texts are kept exactly as stored
// (pandas' NA strings such as "None" are real options there too, so nothing is normalized).
// Pure: no Workers imports; CompressionStream exists in workerd and Node alike.
import { ANSWERS_PUBLIC, LETTERS, type Letter, type Split } from '../dataset/vocabulary';
import type { QuestionOptions } from '../dataset/choices';
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
export async function encodeScoringKey(split: Split, rows: readonly ScoringKeyRow[]): Promise<Uint8Array> {
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
  const gzip = new Blob([JSON.stringify(encoded)]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(gzip).arrayBuffer());
}

export class ScoringKeyFormatError extends Error {}

export async function decodeScoringKey(blob: Uint8Array | ArrayBuffer): Promise<{ split: Split; key: Map<number, ScoringQuestion> }> {
  const json = await new Response(new Blob([blob]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  const encoded = JSON.parse(json) as EncodedKey;
  if (encoded.format !== SCORING_KEY_FORMAT) throw new ScoringKeyFormatError(`not a ${SCORING_KEY_FORMAT} blob`);
  const { groups } = encoded;
  const texts = encoded.options.values;
  const key = new Map<number, ScoringQuestion>();
  encoded.index.forEach((index, i) => {
    const options: QuestionOptions = {};
    (encoded.options.codes[i] ?? []).forEach((code, o) => (options[LETTERS[o]!] = texts[code]!));
    const answer = encoded.answers[i];
    const value = (d: Dictionary) => d.values[d.codes[i]!]!;
    key.set(index, {
      options,
      answer: answer === '-' || answer === undefined ? null : (answer as Letter),
      groups: {
        clinical_vqa_task: value(groups.clinical_vqa_task),
        department: groups.department.values[groups.department.codes[i]!] ?? null,
        perceptual_granularity: value(groups.perceptual_granularity),
        modality: value(groups.modality),
        original_task: value(groups.original_task),
        ...(groups.category ? { category: value(groups.category) } : {}),
      },
    });
  });
  return { split: encoded.split, key };
}
