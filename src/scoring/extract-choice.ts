import { presentChoices, type Choices, type QuestionOptions } from '../dataset/choices';
import { LETTERS, type Letter } from '../dataset/vocabulary';
import { DEFAULT_SCORER, SCORERS, type ScorerName, type ScorerRules } from './scorers';

/**
 * VLMEvalKit's exact-matching answer extraction for single-choice questions (`can_infer` =
 * `can_infer_option`, then `can_infer_text`, then 'Z' when no judge model is set), under each rule
 * version of scorers.ts, ported with Python's string semantics.
 */

/** 'Z' means "no usable answer" (refusal, ambiguity, nothing found); it never matches the ground truth. */
export type ExtractedChoice = Letter | 'Z';

/**
 * Which step decided the letter:
 * - `refusal`: a refusal phrase (VLMEvalKit's list) made it Z;
 * - `option`: a token named it: the one choice letter among the tokens, or, with none, a lone 'Z'
 *   token (that Z is read as the model's own "none of these", so the option texts are not tried);
 * - `regex`: the 2026-06 `answer is X` fallback;
 * - `text`: the one option text contained in the prediction;
 * - `none`: nothing matched, so Z.
 */
export const EXTRACTION_METHODS = ['refusal', 'option', 'regex', 'text', 'none'] as const;
export type ExtractionMethod = (typeof EXTRACTION_METHODS)[number];
export interface ChoiceExtraction {
  readonly letter: ExtractedChoice;
  readonly method: ExtractionMethod;
}

/** A model error VLMEvalKit records as the prediction: no letter is read from it (text matching still runs). */
const API_FAILURE = 'Failed to obtain answer via API';
const REFUSALS = [
  "Sorry, I can't help with images of people yet.",
  "I can't process this file.",
  "I'm sorry, but without the image provided",
  'Cannot determine the answer',
];
/**
 * Python's whitespace (`str.isspace()`, used by `str.split()` and by `re`'s `\s` on str), as code point
 * ranges: unlike JavaScript's `\s` it includes U+001C–U+001F and U+0085, and excludes U+FEFF.
 */
const PYTHON_WHITESPACE: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x1c, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
const hex = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
/** One character of Python's `\s`, as a JavaScript character class. */
const PYTHON_SPACE = `[${PYTHON_WHITESPACE.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('')}]`;

/**
 * The code units that end a token: Python's whitespace, and `.()[],:;!*#{}`, which VLMEvalKit replaces
 * by spaces before `str.split()`. (All are below U+3001; no surrogate is one.)
 */
const TOKEN_SEPARATOR = new Uint8Array(0x3001);
for (const [from, to] of PYTHON_WHITESPACE) TOKEN_SEPARATOR.fill(1, from, to + 1);
for (const char of '.()[],:;!*#{}') TOKEN_SEPARATOR[char.charCodeAt(0)] = 1;

/** The single-character tokens can_infer_option looks for: the choice letters and 'Z'. */
const LETTER_TOKENS = [...LETTERS, 'Z'] as const;
/** Each letter token's position in LETTER_TOKENS, by character code; -1 for every other character. */
const LETTER_TOKEN_OF_CODE = new Int8Array(128).fill(-1);
LETTER_TOKENS.forEach((token, i) => {
  LETTER_TOKEN_OF_CODE[token.charCodeAt(0)] = i;
});
const Z_TOKEN = LETTER_TOKENS.indexOf('Z');

/**
 * Python `re.IGNORECASE` on str also matches these characters to the pattern's letters: 'İ' (its simple
 * lower case is 'i'), dotless 'ı' and long 'ſ'. JavaScript's `/i` matches none of them, and `/iu` only 'ſ',
 * so the pattern spells every letter as an explicit class.
 */
const PYTHON_CASE_VARIANTS: Readonly<Record<string, string>> = { i: '\u0130\u0131', s: '\u017f' };
const ignoringCase = (word: string) => [...word].map((char) => `[${char.toUpperCase()}${char}${PYTHON_CASE_VARIANTS[char] ?? ''}]`).join('');
/** The 2026-06 `(?:correct\s+)?answer\s+is\s+\**([ABCD])\**`, re.IGNORECASE, with Python's `\s`. */
const ANSWER_IS = new RegExp(
  `(?:${ignoringCase('correct')}${PYTHON_SPACE}+)?${ignoringCase('answer')}${PYTHON_SPACE}+${ignoringCase('is')}${PYTHON_SPACE}+\\**([A-Da-d])\\**`,
);

const RULES = Object.fromEntries(SCORERS.map((scorer) => [scorer.name, scorer.rules])) as Record<ScorerName, ScorerRules>;

/**
 * The letter VLMEvalKit reads from a raw prediction under a rule version, given the dataset row's
 * options. A missing prediction is Python's `str(NaN)`, i.e. the text 'nan'.
 */
export function extractChoice(prediction: string | null | undefined, options: QuestionOptions, scorer: ScorerName = DEFAULT_SCORER): ExtractedChoice {
  return extractChoiceWithMethod(prediction, options, scorer).letter;
}

/** The extracted letter and the step that decided it. */
export function extractChoiceWithMethod(
  prediction: string | null | undefined,
  options: QuestionOptions,
  scorer: ScorerName = DEFAULT_SCORER,
): ChoiceExtraction {
  return extractFromChoices(prediction, presentChoices(options), scorer);
}

/** The same, given the question's choices (presentChoices of its options): what scoring keys hold. */
export function extractFromChoices(prediction: string | null | undefined, choices: Choices, scorer: ScorerName = DEFAULT_SCORER): ChoiceExtraction {
  const rules = RULES[scorer];
  const text = prediction ?? 'nan';
  const fromLetters = inferFromLetters(text, choices, rules);
  if (fromLetters !== null) return fromLetters;
  const fromText = inferFromOptionText(text, choices, rules);
  return fromText === null ? { letter: 'Z', method: 'none' } : { letter: fromText, method: 'text' };
}

/** Extraction plus the hit VLMEvalKit records: 1 when the letter is the ground-truth answer. */
export function scorePrediction(
  prediction: string | null | undefined,
  question: { readonly choices: Choices; readonly answer: string },
  scorer: ScorerName = DEFAULT_SCORER,
): { extracted: ExtractedChoice; method: ExtractionMethod; hit: 0 | 1 } {
  const { letter, method } = extractFromChoices(prediction, question.choices, scorer);
  return { extracted: letter, method, hit: letter === question.answer ? 1 : 0 };
}

/** `can_infer_option`: a choice letter (or 'Z') standing alone as a token, then (2026-06) `answer is X`. */
function inferFromLetters(prediction: string, choices: Choices, rules: ScorerRules): ChoiceExtraction | null {
  if (prediction.includes(API_FAILURE)) return null;
  for (const refusal of REFUSALS) if (prediction.includes(refusal)) return { letter: 'Z', method: 'refusal' };

  const tokenCount = scanTokens(prediction);
  let named: Letter | undefined;
  let namedPosition = -1;
  let namedCount = 0;
  for (const [letter] of choices) {
    const position = firstPosition[LETTER_TOKEN_OF_CODE[letter.charCodeAt(0)]!]!;
    if (position !== -1) {
      named = letter;
      namedPosition = position;
      namedCount++;
    }
  }
  if (namedCount === 1 && named !== undefined) {
    // 2025-08: the first occurrence must be among the last four tokens.
    if (!rules.lastFourTokens || namedPosition > tokenCount - 5) return { letter: named, method: 'option' };
  } else if (namedCount === 0 && firstPosition[Z_TOKEN] !== -1) {
    return { letter: 'Z', method: 'option' };
  }
  // (VLMEvalKit also rejects a lone 'A' among more than 3 tokens, but only when the VERBOSE
  // environment variable is set; that would change hundreds of hits in the real result files,
  // which are reproduced without it.)
  if (!rules.regexFallback) return null;
  // Only the first match counts: a letter that is no choice there is not looked for further on.
  const stated = ANSWER_IS.exec(prediction)?.[1]?.toUpperCase();
  const choice = choices.find(([letter]) => letter === stated);
  return choice === undefined ? null : { letter: choice[0], method: 'regex' };
}

/**
 * Where each letter token (in LETTER_TOKENS order) first stands among the tokens, -1 where it does
 * not: scanTokens' second result, rewritten by each call (extraction is synchronous, so no caller
 * sees another's), which spares a Map per prediction.
 */
const firstPosition = new Int32Array(LETTER_TOKENS.length);

/**
 * The tokens of `str.split()` after the punctuation became spaces (a run of separators, leading or
 * trailing ones included, yields no empty token), without building them: returns how many there
 * are, and fills firstPosition. One pass, no allocation: long chain-of-thought outputs have hundreds
 * of tokens.
 */
function scanTokens(text: string): number {
  firstPosition.fill(-1);
  let count = 0;
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code >= TOKEN_SEPARATOR.length || TOKEN_SEPARATOR[code] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    if (i - start === 1) {
      const first = text.charCodeAt(start);
      const token = first < LETTER_TOKEN_OF_CODE.length ? LETTER_TOKEN_OF_CODE[first]! : -1;
      if (token !== -1 && firstPosition[token] === -1) firstPosition[token] = count;
    }
    count++;
    start = -1;
  }
  return count;
}

/** `can_infer_text`: exactly one option text occurs in the prediction, case-insensitively. */
function inferFromOptionText(prediction: string, choices: Choices, rules: ScorerRules): Letter | null {
  // toLowerCase matches Python's str.lower() (full mappings, final sigma) for every character
  // both Unicode versions know; they differ only on characters added after Python's version.
  const lowered = prediction.toLowerCase();
  // 2025-08: Python's len() of the LOWER-CASED prediction against that of the options AS WRITTEN.
  if (rules.lengthGuard && codePointLength(lowered) > 2 * choices.reduce((sum, [, text]) => sum + codePointLength(text), 0)) return null;
  const matching = choices.filter(([, text]) => lowered.includes(text.toLowerCase()));
  return matching.length === 1 ? (matching[0]?.[0] ?? null) : null;
}

/** Python's len(): code points, where JavaScript's length counts a surrogate pair twice. */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}
