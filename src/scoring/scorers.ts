// The answer-extraction rule versions a client can score with: VLMEvalKit changed its exact matching
// (vlmeval/utils/matching_util.py) twice after GMAI-MMBench was published, and a local VLMEvalKit
// scores with whichever version is installed. One definition per version, oldest first.
import * as v from 'valibot';

/** The switches extract-choice.ts reads; each is off in the 2024 rules. */
export interface ScorerRules {
  /** A lone choice letter counts only if its first occurrence is among the last four tokens. */
  readonly lastFourTokens: boolean;
  /** Option-text matching gives up on a prediction longer than twice the summed option-text length. */
  readonly lengthGuard: boolean;
  /** When the letter tokens decide nothing, `answer is X` (case-insensitive) may still name the letter. */
  readonly regexFallback: boolean;
}

export interface Scorer {
  readonly name: string;
  readonly default: boolean;
  /** The VLMEvalKit commits whose matching this reproduces: `from` up to, not including, `before`. */
  readonly vlmevalkitCommits: { readonly from: string; readonly before: string | null };
  /** What changed against the previous version (for the first: what it is). */
  readonly changes: readonly string[];
  readonly rules: ScorerRules;
}

export const SCORERS = [
  {
    name: 'vlmevalkit-2024',
    default: true,
    vlmevalkitCommits: { from: 'GMAI-MMBench support (2024-08)', before: 'c3371551 (2025-08-04)' },
    changes: [
      'The rules of the published leaderboard and of every public result file: a choice letter standing alone as a token, else the one option text contained in the prediction, else Z.',
    ],
    rules: { lastFourTokens: false, lengthGuard: false, regexFallback: false },
  },
  {
    name: 'vlmevalkit-2025-08',
    default: false,
    vlmevalkitCommits: { from: 'c3371551 (2025-08-04)', before: 'a67ace50 (2026-06-17)' },
    changes: [
      'A lone choice letter counts only if its first occurrence is among the last four tokens; otherwise no letter is read (and no Z).',
      'Option texts are not matched in a prediction (lower-cased) longer than twice the summed length of the option texts, in code points.',
    ],
    rules: { lastFourTokens: true, lengthGuard: true, regexFallback: false },
  },
  {
    name: 'vlmevalkit-2026-06',
    default: false,
    vlmevalkitCommits: { from: 'a67ace50 (2026-06-17)', before: null },
    changes: [
      'When the letter tokens give neither a letter nor Z (several letters, none, or a letter before the last four tokens), the first case-insensitive match of `(?:correct\\s+)?answer\\s+is\\s+\\**([ABCD])\\**` in the prediction gives its letter, upper-cased, if that letter is a choice. It never gives E, and "answer is another finding" gives A.',
    ],
    rules: { lastFourTokens: true, lengthGuard: true, regexFallback: true },
  },
] as const satisfies readonly Scorer[];

export type ScorerName = (typeof SCORERS)[number]['name'];
export const SCORER_NAMES = SCORERS.map((scorer) => scorer.name);
export const DEFAULT_SCORER: ScorerName = 'vlmevalkit-2024';

/** One scorer name; the message lists the valid ones. */
export const ScorerNameSchema = v.pipe(
  v.picklist(SCORER_NAMES, `must be one of ${SCORER_NAMES.join(', ')}`),
  v.description(`Answer-extraction rules: the VLMEvalKit version to reproduce (see GET /v1/scorers); default \`${DEFAULT_SCORER}\`.`),
);

/** The `scorer` parameter where nothing else can give it: one of the names, default `vlmevalkit-2024`. */
export const ScorerParamSchema = v.optional(ScorerNameSchema, DEFAULT_SCORER);
