import { presentChoices, type QuestionOptions } from '../dataset/choices';
import type { Letter } from '../dataset/vocabulary';

/**
 * VLMEvalKit's 2024 exact-matching answer extraction for single-choice questions
 * (`can_infer` = `can_infer_option`, then `can_infer_text`, then 'Z' when no judge model is set),
 * ported with Python's string semantics.
 */

/** 'Z' means "no usable answer" (refusal, ambiguity, nothing found); it never matches the ground truth. */
export type ExtractedChoice = Letter | 'Z';

/** A model error VLMEvalKit records as the prediction: no letter is read from it (text matching still runs). */
const API_FAILURE = 'Failed to obtain answer via API';
const REFUSALS = [
  "Sorry, I can't help with images of people yet.",
  "I can't process this file.",
  "I'm sorry, but without the image provided",
  'Cannot determine the answer',
];
/** Each of `.()[],:;!*#{}` becomes a space before tokenizing. */
const PUNCTUATION = /[.()[\],:;!*#{}]/g;
/**
 * Python's `str.split()` separators (`str.isspace()`): unlike JavaScript's `\s` they include
 * U+001C–U+001F and U+0085, and exclude U+FEFF.
 */
const PYTHON_WHITESPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * The letter VLMEvalKit (2024 rules) reads from a raw prediction, given the dataset row's options.
 * A missing prediction is Python's `str(NaN)`, i.e. the text 'nan'.
 */
export function extractChoice(prediction: string | null | undefined, options: QuestionOptions): ExtractedChoice {
  const text = prediction ?? 'nan';
  const choices = presentChoices(options);
  return inferFromLetters(text, choices) ?? inferFromOptionText(text, choices) ?? 'Z';
}

/** Extraction plus the hit VLMEvalKit records: 1 when the letter is the ground-truth answer. */
export function scorePrediction(
  prediction: string | null | undefined,
  question: { readonly options: QuestionOptions; readonly answer: string },
): { extracted: ExtractedChoice; hit: 0 | 1 } {
  const extracted = extractChoice(prediction, question.options);
  return { extracted, hit: extracted === question.answer ? 1 : 0 };
}

/** `can_infer_option`: a choice letter (or 'Z') standing alone as a token. */
function inferFromLetters(prediction: string, choices: ReadonlyArray<[Letter, string]>): ExtractedChoice | null {
  if (prediction.includes(API_FAILURE)) return null;
  if (REFUSALS.some((refusal) => prediction.includes(refusal))) return 'Z';

  // Leading or trailing separators add an empty token, which no lookup below can match.
  const tokens = new Set(prediction.replace(PUNCTUATION, ' ').split(PYTHON_WHITESPACE));
  const named = choices.filter(([letter]) => tokens.has(letter));
  if (named.length === 1) return named[0]?.[0] ?? null;
  // (VLMEvalKit also rejects a lone 'A' among more than 3 tokens, but only when the VERBOSE
  // environment variable is set; that would change hundreds of hits in the real result files,
  // which are reproduced without it.)
  if (named.length === 0 && tokens.has('Z')) return 'Z';
  return null;
}

/** `can_infer_text`: exactly one option text occurs in the prediction, case-insensitively. */
function inferFromOptionText(prediction: string, choices: ReadonlyArray<[Letter, string]>): Letter | null {
  // toLowerCase matches Python's str.lower() (full mappings, final sigma) for every character
  // both Unicode versions know; they differ only on characters added after Python's version.
  const lowered = prediction.toLowerCase();
  const matching = choices.filter(([, text]) => lowered.includes(text.toLowerCase()));
  return matching.length === 1 ? (matching[0]?.[0] ?? null) : null;
}
