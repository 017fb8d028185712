// The compact, versioned record of a run's per-question outcomes under every scorer, and the
// bitset arithmetic leaderboards and comparisons run on it without materializing objects.
//
// Questions are addressed by position: the rank of their index in the split's sorted index list of
// the run's dataset version (0..N-1), so a run is only meaningful against that dataset version.
//
// Format 1, little-endian, B = ceil(N / 8), S = number of scorers:
//   offset 0      u8   format (1)
//   offset 1      u8   S
//   offset 2      u16  0 (reserved)
//   offset 4      u32  N
//   offset 8      B    submitted bitset: bit (p & 7) of byte (p >> 3) is set when position p was predicted
//   8 + B·(1+k)   B    hit bitset of scorer k (k = 0..S-1), a subset of the submitted bits
//   8 + B·(1+S) + N·k   N   choice bytes of scorer k: 0 for an unsubmitted position, else
//                          0x80 | method << 3 | letter (letter A–E = 0–4, Z = 5; method per MATCH_METHODS)
// The fixed offsets let a query read only the submitted and one scorer's hit bitset
// (SQLite substr() on the BLOB) for leaderboards; see bitsetRange.
import type { ExtractedChoice } from '../scoring/extract-choice';

export const OUTCOME_FORMAT = 1;
const HEADER_BYTES = 8;

/** How a scorer arrived at its letter (the match methods of the scorers). */
export const MATCH_METHODS = ['refusal', 'option', 'regex', 'text', 'none'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];
const CHOICES = ['A', 'B', 'C', 'D', 'E', 'Z'] as const satisfies readonly ExtractedChoice[];

/** One question under one scorer. */
export interface ScorerOutcome {
  readonly letter: ExtractedChoice;
  readonly method: MatchMethod;
  readonly hit: 0 | 1;
}

/** The outcomes of one submitted question under each scorer, in the run's scorer order. */
export interface PositionOutcomes {
  readonly position: number;
  readonly scorers: readonly ScorerOutcome[];
}

/** A submitted bitset and one scorer's hit bitset: all a leaderboard needs of a run. */
export interface RunBits {
  readonly submitted: Uint8Array;
  readonly hits: Uint8Array;
}

export function bitsetBytes(questionCount: number): number {
  return Math.ceil(questionCount / 8);
}

export function encodedBytes(questionCount: number, scorerCount: number): number {
  return HEADER_BYTES + bitsetBytes(questionCount) * (1 + scorerCount) + questionCount * scorerCount;
}

/**
 * Byte range (0-based offset, length) of a bitset inside an encoding: `scorer` null is the submitted
 * bitset, otherwise that scorer's hits. SQL substr() takes offset + 1.
 */
export function bitsetRange(questionCount: number, scorer: number | null): { offset: number; length: number } {
  const length = bitsetBytes(questionCount);
  return { offset: HEADER_BYTES + length * (scorer === null ? 0 : 1 + scorer), length };
}

export function encodeOutcomes(questionCount: number, scorerCount: number, entries: Iterable<PositionOutcomes>): Uint8Array {
  if (!Number.isInteger(questionCount) || questionCount < 0 || questionCount > 0xffffffff) throw new RangeError(`bad question count ${questionCount}`);
  if (!Number.isInteger(scorerCount) || scorerCount < 1 || scorerCount > 255) throw new RangeError(`bad scorer count ${scorerCount}`);
  const bytes = new Uint8Array(encodedBytes(questionCount, scorerCount));
  const header = new DataView(bytes.buffer);
  header.setUint8(0, OUTCOME_FORMAT);
  header.setUint8(1, scorerCount);
  header.setUint32(4, questionCount, true);
  const B = bitsetBytes(questionCount);
  const choicesAt = HEADER_BYTES + B * (1 + scorerCount);
  for (const { position, scorers } of entries) {
    if (!Number.isInteger(position) || position < 0 || position >= questionCount)
      throw new RangeError(`position ${position} is outside 0..${questionCount - 1}`);
    if (scorers.length !== scorerCount) throw new RangeError(`position ${position} has ${scorers.length} scorer outcomes, expected ${scorerCount}`);
    const byte = position >> 3;
    const bit = 1 << (position & 7);
    if (bytes[HEADER_BYTES + byte]! & bit) throw new RangeError(`position ${position} is given twice`);
    bytes[HEADER_BYTES + byte]! |= bit;
    scorers.forEach((outcome, k) => {
      const letter = CHOICES.indexOf(outcome.letter);
      const method = MATCH_METHODS.indexOf(outcome.method);
      if (letter < 0 || method < 0) throw new RangeError(`position ${position}: bad outcome ${JSON.stringify(outcome)}`);
      if (outcome.hit && outcome.letter === 'Z') throw new RangeError(`position ${position}: Z never hits`);
      if (outcome.hit) bytes[HEADER_BYTES + B * (1 + k) + byte]! |= bit;
      bytes[choicesAt + questionCount * k + position] = 0x80 | (method << 3) | letter;
    });
  }
  return bytes;
}

/** Read access to an encoding (views into the same bytes; nothing is copied). */
export class RunOutcomes {
  readonly questionCount: number;
  readonly scorerCount: number;
  readonly submitted: Uint8Array;
  private readonly choicesAt: number;

  constructor(private readonly bytes: Uint8Array) {
    if (bytes.length < HEADER_BYTES) throw new RangeError('outcome encoding is truncated');
    const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    const format = header.getUint8(0);
    if (format !== OUTCOME_FORMAT) throw new RangeError(`unknown outcome format ${format}`);
    this.scorerCount = header.getUint8(1);
    this.questionCount = header.getUint32(4, true);
    if (bytes.length !== encodedBytes(this.questionCount, this.scorerCount)) {
      throw new RangeError(`outcome encoding has ${bytes.length} bytes, expected ${encodedBytes(this.questionCount, this.scorerCount)}`);
    }
    this.submitted = this.section(null);
    this.choicesAt = HEADER_BYTES + bitsetBytes(this.questionCount) * (1 + this.scorerCount);
  }

  hits(scorer: number): Uint8Array {
    this.checkScorer(scorer);
    return this.section(scorer);
  }

  bits(scorer: number): RunBits {
    return { submitted: this.submitted, hits: this.hits(scorer) };
  }

  isSubmitted(position: number): boolean {
    return hasBit(this.submitted, position);
  }

  /** The scorer's outcome at a position, or null when the position was not submitted. */
  outcome(scorer: number, position: number): ScorerOutcome | null {
    this.checkScorer(scorer);
    if (!Number.isInteger(position) || position < 0 || position >= this.questionCount)
      throw new RangeError(`position ${position} is outside 0..${this.questionCount - 1}`);
    const code = this.bytes[this.choicesAt + this.questionCount * scorer + position]!;
    if (!(code & 0x80)) return null;
    return { letter: CHOICES[code & 7]!, method: MATCH_METHODS[(code >> 3) & 7]!, hit: hasBit(this.section(scorer), position) ? 1 : 0 };
  }

  /** Every submitted position with its outcomes, in position order (round-trips encodeOutcomes). */
  *entries(): Generator<PositionOutcomes> {
    for (let position = 0; position < this.questionCount; position++) {
      if (!this.isSubmitted(position)) continue;
      const scorers = Array.from({ length: this.scorerCount }, (_, k) => this.outcome(k, position)!);
      yield { position, scorers };
    }
  }

  private section(scorer: number | null): Uint8Array {
    const { offset, length } = bitsetRange(this.questionCount, scorer);
    return this.bytes.subarray(offset, offset + length);
  }

  private checkScorer(scorer: number): void {
    if (!Number.isInteger(scorer) || scorer < 0 || scorer >= this.scorerCount) throw new RangeError(`scorer ${scorer} is outside 0..${this.scorerCount - 1}`);
  }
}

/** Position of each index in the sorted index list of a dataset version (binary search); -1 when absent. */
export function positionOf(sortedIndexes: ArrayLike<number>, index: number): number {
  let lo = 0;
  let hi = sortedIndexes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = sortedIndexes[mid]!;
    if (value === index) return mid;
    if (value < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A selection bitset over N positions (for leaderboards and comparisons on a subset). */
export function selectionBitset(questionCount: number, positions: Iterable<number>): Uint8Array {
  const bits = new Uint8Array(bitsetBytes(questionCount));
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= questionCount) throw new RangeError(`position ${p} is outside 0..${questionCount - 1}`);
    bits[p >> 3]! |= 1 << (p & 7);
  }
  return bits;
}

/** n and correct of a run on the selected positions (all positions when selection is omitted). */
export function countSelected(run: RunBits, selection?: Uint8Array): { n: number; correct: number } {
  checkLengths(run.submitted, run.hits, selection);
  let n = 0;
  let correct = 0;
  for (let i = 0; i < run.submitted.length; i++) {
    const mask = selection ? selection[i]! : 0xff;
    n += POPCOUNT[run.submitted[i]! & mask]!;
    correct += POPCOUNT[run.hits[i]! & mask]!;
  }
  return { n, correct };
}

/** The paired 2×2 table of two runs on the selected positions both submitted. */
export function pairedCounts(
  a: RunBits,
  b: RunBits,
  selection?: Uint8Array,
): { n: number; both_correct: number; only_a: number; only_b: number; neither: number } {
  checkLengths(a.submitted, a.hits, b.submitted, b.hits, selection);
  let n = 0;
  let bothCorrect = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.submitted.length; i++) {
    const both = a.submitted[i]! & b.submitted[i]! & (selection ? selection[i]! : 0xff);
    const ha = a.hits[i]! & both;
    const hb = b.hits[i]! & both;
    n += POPCOUNT[both]!;
    bothCorrect += POPCOUNT[ha & hb]!;
    onlyA += POPCOUNT[ha & ~hb]!;
    onlyB += POPCOUNT[hb & ~ha]!;
  }
  return { n, both_correct: bothCorrect, only_a: onlyA, only_b: onlyB, neither: n - bothCorrect - onlyA - onlyB };
}

/** gzip of an encoding (CompressionStream, in workerd and Node alike), e.g. for archiving or size checks. */
export async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let count = 0;
  for (let x = v; x; x >>= 1) count += x & 1;
  return count;
});

function hasBit(bits: Uint8Array, position: number): boolean {
  return (bits[position >> 3]! & (1 << (position & 7))) !== 0;
}

function checkLengths(...bitsets: Array<Uint8Array | undefined>): void {
  const length = bitsets[0]!.length;
  if (bitsets.some((b) => b !== undefined && b.length !== length)) throw new RangeError('bitsets of different lengths (different question counts)');
}
