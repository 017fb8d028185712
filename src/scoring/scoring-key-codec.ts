// The scoring key of one imported split as one compact blob, written when the import commits, so
// that the first scoring of an isolate reads one object instead of every row through D1.
// Format `gmai-mmbench-scoring-key/2`, gzipped: a u32 length and a JSON header (the group
// dictionaries), then little-endian columns, then the option texts as one UTF-8 block. Decoding
// makes views on those columns, not objects per row: format 1 (gzipped JSON) built an options and a
// question object for each of TEST's 21,281 rows, 50-81 ms on a fresh Node process where this
// takes 23-34 ms, half of it checking that the columns hold together.
// It holds each question's choices (presentChoices: an option pandas reads as NA is none), each
// under its own letter. Pure: no Workers imports; node:zlib is native in workerd (nodejs_compat) and
// Node alike.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ANSWERS_PUBLIC, LETTERS, type Letter, type Split } from '../dataset/vocabulary';
import { presentChoices, type QuestionOptions } from '../dataset/choices';
import type { RowGroups } from './accuracy';
import type { AnswerKey, ScoringQuestion } from './score-pipeline';

export const SCORING_KEY_FORMAT = 'gmai-mmbench-scoring-key/2';

export interface ScoringKeyRow {
  index: number;
  /** Option texts by letter, as stored. */
  options: QuestionOptions;
  answer: Letter | null;
  clinical_vqa_task: string;
  department: string | null;
  perceptual_granularity: string;
  modality: string;
  original_task: string;
  category: string | null;
}

const GROUP_COLUMNS = ['clinical_vqa_task', 'department', 'perceptual_granularity', 'modality', 'original_task', 'category'] as const;
type GroupColumn = (typeof GROUP_COLUMNS)[number];

/** The group columns a key carries, in tuple order: `category` (the labels) only with labels. */
function carriedColumns(withLabels: boolean): readonly GroupColumn[] {
  return withLabels ? GROUP_COLUMNS : GROUP_COLUMNS.slice(0, -1);
}

interface Header {
  format: typeof SCORING_KEY_FORMAT;
  split: Split;
  rows: number;
  texts: number;
  /** Each distinct group tuple of the rows as the codes of its values, in GROUP_COLUMNS order. */
  tuples: number[][];
  /** The values of each group column; `category` is absent where labels are not carried. */
  values: Partial<Record<GroupColumn, (string | null)[]>>;
}

/** A text slot holding no choice. */
const ABSENT = 0xffffffff;
/** The texts as written: a leading U+FEFF is part of an option text, not a byte-order mark. */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Codes of values in first-seen order: the dictionary of one column. */
class Dictionary<T> {
  readonly codes = new Map<T, number>();
  code(value: T): number {
    let code = this.codes.get(value);
    if (code === undefined) this.codes.set(value, (code = this.codes.size));
    return code;
  }
  get values(): T[] {
    return [...this.codes.keys()];
  }
}

/** Labels go in only where answers are public, and for every row or none (as accuracy trees need). */
export function encodeScoringKey(split: Split, rows: readonly ScoringKeyRow[]): Uint8Array {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const withLabels = ANSWERS_PUBLIC[split] && sorted.length > 0 && sorted.every((r) => r.category !== null);
  const columns = carriedColumns(withLabels);
  const groupValues = columns.map(() => new Dictionary<string | null>());
  const tuples = new Dictionary<string>();
  const texts = new Dictionary<string>();
  const index = new Int32Array(sorted.length);
  const tuple = new Uint32Array(sorted.length);
  const slots = new Uint32Array(sorted.length * LETTERS.length).fill(ABSENT);
  const answers = new Uint8Array(sorted.length);
  sorted.forEach((r, i) => {
    if (i > 0 && sorted[i - 1]!.index === r.index) throw new Error(`index ${r.index} is in the key twice`);
    index[i] = r.index;
    tuple[i] = tuples.code(columns.map((c, k) => groupValues[k]!.code(r[c])).join(','));
    for (const [letter, text] of presentChoices(r.options)) slots[i * LETTERS.length + LETTERS.indexOf(letter)] = texts.code(text);
    answers[i] = r.answer?.charCodeAt(0) ?? 0;
  });
  const textList = texts.values;
  // Where each text ends in the decoded block, in UTF-16 units (the block is decoded to one string).
  const textEnds = new Uint32Array(textList.length);
  textList.reduce((end, text, i) => (textEnds[i] = end + text.length), 0);
  const header: Header = {
    format: SCORING_KEY_FORMAT,
    split,
    rows: sorted.length,
    texts: textList.length,
    tuples: tuples.values.map((t) => t.split(',').map(Number)),
    values: Object.fromEntries(columns.map((c, k) => [c, groupValues[k]!.values])),
  };
  const parts = [new TextEncoder().encode(JSON.stringify(header)), index, tuple, slots, textEnds, answers, new TextEncoder().encode(textList.join(''))];
  return gzipSync(concatAligned(parts));
}

/** The parts after a u32 length of the first, each starting at a multiple of 4 bytes (so typed arrays can view them). */
function concatAligned(parts: ArrayBufferView[]): Uint8Array {
  const padded = (n: number) => (n + 3) & ~3;
  const out = new Uint8Array(4 + parts.reduce((sum, p) => sum + padded(p.byteLength), 0));
  new DataView(out.buffer).setUint32(0, parts[0]!.byteLength, true);
  let at = 4;
  for (const part of parts) {
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
    at += padded(part.byteLength);
  }
  return out;
}

export class ScoringKeyFormatError extends Error {}

/** The key of a blob, or a ScoringKeyFormatError where it is not one of this format. */
export function decodeScoringKey(blob: Uint8Array): { split: Split; key: AnswerKey } {
  try {
    let bytes: Uint8Array = gunzipSync(blob);
    // Typed-array views need 4-byte alignment within the buffer (a Buffer's slice() would be a view: copy).
    if (bytes.byteOffset % 4 !== 0) bytes = new Uint8Array(bytes);
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const header = JSON.parse(utf8.decode(bytes.subarray(4, 4 + headerLength))) as Header;
    if (header?.format !== SCORING_KEY_FORMAT) throw new ScoringKeyFormatError(`not a ${SCORING_KEY_FORMAT} blob`);
    const counts = [header.rows, header.texts];
    if (counts.some((n) => !Number.isSafeInteger(n) || n < 0) || !Array.isArray(header.tuples) || typeof header.values !== 'object' || header.values === null) {
      throw new ScoringKeyFormatError(`not a consistent ${SCORING_KEY_FORMAT} blob: its header`);
    }
    return { split: header.split, key: new ColumnarAnswerKey(header, bytes, 4 + headerLength) };
  } catch (error) {
    if (error instanceof ScoringKeyFormatError) throw error;
    // Not gzip, no header, or columns out of bounds.
    throw new ScoringKeyFormatError(`not a ${SCORING_KEY_FORMAT} blob: ${(error as Error).message}`);
  }
}

/**
 * Every code in range, indexes strictly increasing, texts within the block: a blob that inflates
 * but does not hold together is a format error (the D1 rows serve), never wrong choices.
 */
function assertConsistent(
  header: Header,
  groupColumns: readonly GroupColumn[],
  columns: { index: Int32Array; tuple: Uint32Array; slots: Uint32Array; textEnds: Uint32Array; answers: Uint8Array },
  blockLength: number,
): void {
  const fail = (what: string) => {
    throw new ScoringKeyFormatError(`not a consistent ${SCORING_KEY_FORMAT} blob: ${what}`);
  };
  const { index, tuple, slots, textEnds, answers } = columns;
  const columnValues = groupColumns.map((c) => header.values[c]);
  if (columnValues.some((v) => !Array.isArray(v))) fail('a group dictionary is missing');
  for (const codes of header.tuples) {
    if (
      !Array.isArray(codes) ||
      codes.length !== columnValues.length ||
      codes.some((code, c) => !Number.isInteger(code) || code < 0 || code >= columnValues[c]!.length)
    )
      fail('a group tuple is out of range');
  }
  // Plain numeric loops: this runs on the first scoring of an isolate, before V8 optimizes anything.
  const tuples = header.tuples.length;
  const [firstLetter, lastLetter] = [LETTERS[0].charCodeAt(0), LETTERS[LETTERS.length - 1]!.charCodeAt(0)];
  for (let i = 0; i < index.length; i++) {
    const answer = answers[i]!;
    if ((i > 0 && index[i]! <= index[i - 1]!) || tuple[i]! >= tuples || (answer !== 0 && (answer < firstLetter || answer > lastLetter))) fail(`row ${i}`);
  }
  const texts = textEnds.length;
  for (let i = 0; i < slots.length; i++) if (slots[i]! >= texts && slots[i] !== ABSENT) fail('a choice names no text');
  let previousEnd = 0;
  for (let t = 0; t < texts; t++) {
    const end = textEnds[t]!;
    if (end < previousEnd || end > blockLength) fail('texts overrun their block');
    previousEnd = end;
  }
}

/**
 * An AnswerKey over the blob's columns: each get() builds that question's small object (its choices
 * array, as scoring built one per prediction anyway), which dies young, instead of the key holding
 * objects per row.
 */
class ColumnarAnswerKey implements AnswerKey {
  readonly size: number;
  readonly #index: Int32Array;
  readonly #tuple: Uint32Array;
  readonly #slots: Uint32Array;
  readonly #answers: Uint8Array;
  readonly #texts: string[];
  readonly #groups: RowGroups[];
  readonly #rows = new Map<number, number>();

  constructor(header: Header, bytes: Uint8Array, headerEnd: number) {
    const rows = header.rows;
    let at = (headerEnd + 3) & ~3;
    /** The next column: a view, no copy (a RangeError where the blob is cut short). */
    const column = <T>(type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, length: number): T => {
      const view = new type(bytes.buffer, bytes.byteOffset + at, length);
      at += (length * type.BYTES_PER_ELEMENT + 3) & ~3;
      return view;
    };
    this.size = rows;
    this.#index = column(Int32Array, rows);
    this.#tuple = column(Uint32Array, rows);
    this.#slots = column(Uint32Array, rows * LETTERS.length);
    const textEnds = column(Uint32Array, header.texts);
    this.#answers = column(Uint8Array, rows);
    const block = utf8.decode(bytes.subarray(at));
    const groupColumns = carriedColumns(header.values.category !== undefined);
    assertConsistent(header, groupColumns, { index: this.#index, tuple: this.#tuple, slots: this.#slots, textEnds, answers: this.#answers }, block.length);
    for (let row = 0; row < rows; row++) this.#rows.set(this.#index[row]!, row);
    this.#texts = Array.from(textEnds, (end, i) => block.slice(i === 0 ? 0 : textEnds[i - 1], end));
    // Checked above: every code names a value of its column.
    this.#groups = header.tuples.map(
      (codes) => Object.freeze(Object.fromEntries(groupColumns.map((c, k) => [c, header.values[c]![codes[k]!]]))) as unknown as RowGroups,
    );
  }

  /** The row holding `index`, or -1. */
  #rowOf(index: number): number {
    return this.#rows.get(index) ?? -1;
  }

  #question(row: number): ScoringQuestion {
    const answer = this.#answers[row]!;
    return { choices: this.#choices(row), answer: answer === 0 ? null : (String.fromCharCode(answer) as Letter), groups: this.#groups[this.#tuple[row]!]! };
  }

  #choices(row: number): Array<[Letter, string]> {
    const choices: Array<[Letter, string]> = [];
    for (let l = 0; l < LETTERS.length; l++) {
      const text = this.#slots[row * LETTERS.length + l]!;
      if (text !== ABSENT) choices.push([LETTERS[l]!, this.#texts[text]!]);
    }
    return choices;
  }

  get(index: number): ScoringQuestion | undefined {
    const row = this.#rowOf(index);
    return row === -1 ? undefined : this.#question(row);
  }

  has(index: number): boolean {
    return this.#rowOf(index) !== -1;
  }

  *keys(): MapIterator<number> {
    yield* this.#index;
  }

  *values(): MapIterator<ScoringQuestion> {
    for (let row = 0; row < this.size; row++) yield this.#question(row);
  }

  *entries(): MapIterator<[number, ScoringQuestion]> {
    for (let row = 0; row < this.size; row++) yield [this.#index[row]!, this.#question(row)];
  }

  [Symbol.iterator](): MapIterator<[number, ScoringQuestion]> {
    return this.entries();
  }

  forEach(callback: (value: ScoringQuestion, key: number, map: AnswerKey) => void, thisArg?: unknown): void {
    for (const [index, question] of this.entries()) callback.call(thisArg, question, index, this);
  }
}
