import { describe, expect, it } from 'vitest';
import { presentChoices, type QuestionOptions } from '../dataset/choices';
import { extractChoice, extractChoiceWithMethod, scorePrediction, type ExtractedChoice } from './extract-choice';
import { SCORER_NAMES } from './scorers';

/** [prediction, expected letter, why]: the reason is printed in the test name. */
type Case = [string, ExtractedChoice, string];

// A real VAL row's options (index 0): four options, no E.
const endoscopy: QuestionOptions = {
  A: "barrett's esophagus",
  B: 'gastrointestinal tract cancer',
  C: 'high-grade dysplasia',
  D: 'polyp',
};

describe('extractChoice: letters (can_infer_option)', () => {
  it.each<Case>([
    ['D', 'D', 'a lone choice letter is a token'],
    ['D. polyp', 'D', "'.' becomes a space, so 'D' stands alone"],
    ['A. polyp', 'A', 'the letter step runs first and wins over the text of option D'],
    ['(B)', 'B', 'parentheses become spaces'],
    ['**C**', 'C', "'*' becomes a space"],
    ['{C}', 'C', 'braces become spaces'],
    ['#D!', 'D', "'#' and '!' become spaces"],
    ['[A];', 'A', 'brackets and ; become spaces'],
    ['Answer:\tC\n', 'C', "':' becomes a space; tab and newline separate tokens"],
    ['The answer is B: gastrointestinal tract cancer', 'B', "exactly one letter token ('The', 'is' are not letters)"],
    ['A A A', 'A', 'the same letter repeated still names one choice'],
    ['A or B', 'Z', 'two choice letters: no letter; no option text is inside; so Z'],
    ['BAD', 'Z', "letters inside a word are not tokens, and 'bad' contains no option text"],
    ["A's", 'Z', 'an apostrophe is not replaced: the token is "A\'s"'],
    ['A/B', 'Z', "'/' is not replaced: one token 'A/B'"],
    ['C-', 'Z', "'-' is not replaced: the token is 'C-'"],
    ['d', 'Z', 'letters match case-sensitively; lowercase d is neither a letter token nor an option text'],
    ['E', 'Z', 'E is not a choice of a 4-option row; no Z token; no option text'],
    ['Z', 'Z', "no choice letter and a 'Z' token"],
    ['A Z', 'A', "one choice letter: 'Z' only counts when there is none"],
  ])('%j → %s (%s)', (prediction, expected) => {
    expect(extractChoice(prediction, endoscopy)).toBe(expected);
  });

  it('E counts once the row has a fifth option', () => {
    // '[E]' → token 'E', a choice now.
    expect(extractChoice('[E]', { ...endoscopy, E: 'ulcer' })).toBe('E');
  });

  it('refusal phrases answer Z before any letter is read', () => {
    // 'A' is a token, but the refusal check comes first.
    expect(extractChoice('Cannot determine the answer. A', endoscopy)).toBe('Z');
    expect(extractChoice("I'm sorry, but without the image provided I pick D", endoscopy)).toBe('Z');
    // Phrases match case-sensitively: this one is no refusal, so the token 'B' is read.
    expect(extractChoice('cannot determine the answer, B', endoscopy)).toBe('B');
  });

  it('an API failure reads no letter but still tries the option texts', () => {
    // 'A' is a token, yet the letter step returns nothing; no option text → Z.
    expect(extractChoice('Failed to obtain answer via API: A', endoscopy)).toBe('Z');
    // The text step still runs and finds only 'polyp'.
    expect(extractChoice('Failed to obtain answer via API polyp', endoscopy)).toBe('D');
  });
});

describe('extractChoice: Python whitespace', () => {
  it.each<Case>([
    ['\xa0A\xa0', 'A', 'NBSP is whitespace for str.split()'],
    ['\x1cB', 'B', 'U+001C (file separator) is whitespace in Python, not in JS \\s'],
    ['\x1fC\x1d', 'C', 'U+001F and U+001D likewise'],
    ['\x85D', 'D', 'U+0085 (NEL) is whitespace in Python, not in JS \\s'],
    ['\u3000A\u2029', 'A', 'ideographic space and paragraph separator'],
    ['\ufeffC', 'Z', "U+FEFF is not whitespace in Python (it is in JS \\s): the token is '\\ufeffC'"],
    ['\u200bB', 'Z', 'a zero-width space is not whitespace either'],
  ])('%j → %s (%s)', (prediction, expected) => {
    expect(extractChoice(prediction, endoscopy)).toBe(expected);
  });
});

describe('Python whitespace, every BMP code unit', () => {
  // CPython 3.11: [c for c in range(0x110000) if chr(c).isspace()], which equals re's \s on str.
  const PYTHON_SPACES = [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
    0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ];
  const units = Array.from({ length: 0x10000 }, (_, code) => code);

  it('separates tokens exactly at those and at .()[],:;!*#{}', () => {
    // The unit before 'D' ends no token unless it separates: then 'D' stands alone.
    const separating = units.filter((code) => extractChoice(`${String.fromCharCode(code)}D`, endoscopy) === 'D');
    const punctuation = [...'.()[],:;!*#{}'].map((char) => char.charCodeAt(0));
    expect(separating).toEqual([...PYTHON_SPACES, ...punctuation].sort((a, b) => a - b));
  });

  it("is the regex fallback's \\s", () => {
    // Two letters, so only 'answer is<unit>B' can name B.
    const spaces = units.filter((code) => extractChoice(`answer is${String.fromCharCode(code)}B, C or D`, endoscopy, 'vlmevalkit-2026-06') === 'B');
    expect(spaces).toEqual(PYTHON_SPACES);
  });
});

describe('extractChoice: option texts (can_infer_text)', () => {
  it('finds exactly one option text, case-insensitively', () => {
    // No letter token ('I' is not a choice); 'polyp' is inside.
    expect(extractChoice('I think it is a polyp', endoscopy)).toBe('D');
    // Lower-casing both sides.
    expect(extractChoice('POLYP', endoscopy)).toBe('D');
  });

  it('gives Z when two option texts occur', () => {
    expect(extractChoice('polyp or high-grade dysplasia', endoscopy)).toBe('Z');
  });

  it('counts an option contained in another option as a second match', () => {
    const nested: QuestionOptions = { A: 'cancer', B: 'gastrointestinal tract cancer', C: 'polyp' };
    // Both 'cancer' and 'gastrointestinal tract cancer' are substrings → ambiguous.
    expect(extractChoice('gastrointestinal tract cancer', nested)).toBe('Z');
    // Only 'cancer' is inside 'cancer'.
    expect(extractChoice('cancer', nested)).toBe('A');
  });

  it('lower-cases like Python str.lower()', () => {
    // 'İ'.lower() is 'i' + U+0307, so 'ileum' is not a substring of the lowered prediction.
    expect(extractChoice('İLEUM', { A: 'ileum', B: 'colon' })).toBe('Z');
    // Final sigma: 'ΟΣ'.lower() is 'ος', which does not contain 'οσ'.
    expect(extractChoice('ΟΣ', { A: 'οσ', B: 'x' })).toBe('Z');
    expect(extractChoice('ΟΣ', { A: 'ος', B: 'x' })).toBe('A');
  });
});

describe('extractChoice: missing values', () => {
  it("reads a missing prediction as the text 'nan'", () => {
    // str(NaN) = 'nan' contains 'na'.
    expect(extractChoice(null, { A: 'na', B: 'polyp' })).toBe('A');
    // 'nan' does not contain 'nanoparticle'.
    expect(extractChoice(undefined, { A: 'nanoparticle', B: 'polyp' })).toBe('Z');
  });

  it('skips options pandas reads as NaN', () => {
    // Option A 'nan' is NaN in pandas, so only B ('an' ⊂ 'nan') matches; counting A would make it ambiguous.
    expect(extractChoice(null, { A: 'nan', B: 'an' })).toBe('B');
    // An empty option is no choice: 'B' is not a choice letter, and '' is not an option text.
    expect(extractChoice('B', { A: 'polyp', B: '', C: 'ulcer' })).toBe('Z');
    // 'None' is NaN too: the token 'C' names no choice.
    expect(extractChoice('C', { A: 'polyp', B: 'ulcer', C: 'None' })).toBe('Z');
  });
});

describe('scorePrediction', () => {
  it('hits when the extracted letter is the answer, and Z never hits', () => {
    expect(scorePrediction('D. polyp', { choices: presentChoices(endoscopy), answer: 'D' })).toEqual({ extracted: 'D', method: 'option', hit: 1 });
    expect(scorePrediction('C', { choices: presentChoices(endoscopy), answer: 'D' })).toEqual({ extracted: 'C', method: 'option', hit: 0 });
    expect(scorePrediction('A or B', { choices: presentChoices(endoscopy), answer: 'A' })).toEqual({ extracted: 'Z', method: 'none', hit: 0 });
  });

  it('scores under the scorer it is given', () => {
    // One letter, but 6 tokens with it first: only the 2024 rules read it.
    const question = { choices: presentChoices(endoscopy), answer: 'A' };
    expect(scorePrediction('A is my final pick today', question).hit).toBe(1);
    expect(scorePrediction('A is my final pick today', question, 'vlmevalkit-2025-08')).toEqual({ extracted: 'Z', method: 'none', hit: 0 });
  });
});

describe('extractChoiceWithMethod: which step decided', () => {
  it.each<[string, string]>([
    ['Cannot determine the answer', 'Z/refusal'],
    ['D', 'D/option'],
    ['Z', 'Z/option'],
    // The Z token stops can_infer before the option texts: 'polyp' is never looked for.
    ['Z polyp', 'Z/option'],
    ['I think it is a polyp', 'D/text'],
    ['A or B', 'Z/none'],
    ['A or B, the answer is B', 'B/regex'],
  ])('%j → %s (2026-06)', (prediction, expected) => {
    const { letter, method } = extractChoiceWithMethod(prediction, endoscopy, 'vlmevalkit-2026-06');
    expect(`${letter}/${method}`).toBe(expected);
  });
});

/** The letter and method under each scorer, oldest first, as 'letter/method'. */
const underEachScorer = (prediction: string, options: QuestionOptions = endoscopy) =>
  SCORER_NAMES.map((scorer) => {
    const { letter, method } = extractChoiceWithMethod(prediction, options, scorer);
    return `${letter}/${method}`;
  });
type VersionCase = [string, [string, string, string], string];

describe('2025-08: a lone letter counts only among the last four tokens', () => {
  it.each<VersionCase>([
    ['A is my pick', ['A/option', 'A/option', 'A/option'], '4 tokens: A at 0 = 4 - 4 is among the last four'],
    ['A is my final pick', ['A/option', 'Z/none', 'Z/none'], '5 tokens: A at 0 = 5 - 5 is not'],
    ['so A is my pick', ['A/option', 'A/option', 'A/option'], '5 tokens: A at 1 = 5 - 4'],
    ['so A is my final pick', ['A/option', 'Z/none', 'Z/none'], '6 tokens: A at 1 = 6 - 5'],
    ['A, then A is my pick', ['A/option', 'Z/none', 'Z/none'], 'the FIRST occurrence counts: 0 in 6 tokens, though the second is at 2'],
    ['  A is my pick  ', ['A/option', 'A/option', 'A/option'], 'leading and trailing spaces add no empty tokens: still 4'],
    ['(A) is my pick.', ['A/option', 'A/option', 'A/option'], 'punctuation at both ends becomes spaces: still 4 tokens'],
    ['\x85A is my final\x85', ['A/option', 'A/option', 'A/option'], 'U+0085 at both ends is whitespace: 4 tokens'],
    ['A\x1cis\x1cmy\x1cpick', ['A/option', 'A/option', 'A/option'], 'U+001C separates: 4 tokens'],
    ['A \ufeff is my pick', ['A/option', 'Z/none', 'Z/none'], 'U+FEFF is a token of its own in Python: 5 tokens'],
    ['A\xa0is\xa0my\xa0final\xa0pick', ['A/option', 'Z/none', 'Z/none'], 'NBSP separates: 5 tokens'],
  ])('%j → %j (%s)', (prediction, expected) => {
    expect(underEachScorer(prediction)).toEqual(expected);
  });

  it('a lone Z token still gives Z when it is not among the last four', () => {
    expect(underEachScorer('Z one two three four five')).toEqual(['Z/option', 'Z/option', 'Z/option']);
  });
});

describe('2025-08: no option-text match in a prediction longer than twice the option texts', () => {
  // The endoscopy options total 19 + 29 + 20 + 5 = 73 code points: the limit is 146.
  it.each<VersionCase>([
    [`polyp ${'x'.repeat(140)}`, ['D/text', 'D/text', 'D/text'], '146 code points: at the limit'],
    [`polyp ${'x'.repeat(141)}`, ['D/text', 'Z/none', 'Z/none'], '147 code points: over it'],
    [`polyp ${'😀'.repeat(140)}`, ['D/text', 'D/text', 'D/text'], '146 code points though 286 UTF-16 units'],
    [`polyp ${'😀'.repeat(141)}`, ['D/text', 'Z/none', 'Z/none'], '147 code points'],
    [`polyp ${'İ'.repeat(70)}`, ['D/text', 'D/text', 'D/text'], "76 code points, but 146 once lower-cased ('İ' → 'i̇')"],
    [`polyp ${'İ'.repeat(71)}`, ['D/text', 'Z/none', 'Z/none'], 'the lower-cased prediction is measured: 148'],
  ])('%s… → %j (%s)', (prediction, expected) => {
    expect(underEachScorer(prediction)).toEqual(expected);
  });

  it('measures the option texts as written, not lower-cased', () => {
    // 'İİ' is 2 code points as written (4 lower-cased): the limit is 2 × (2 + 5) = 14, not 18.
    const options: QuestionOptions = { A: 'İİ', B: 'polyp' };
    expect(underEachScorer(`polyp${'x'.repeat(9)}`, options)).toEqual(['B/text', 'B/text', 'B/text']);
    expect(underEachScorer(`polyp${'x'.repeat(10)}`, options)).toEqual(['B/text', 'Z/none', 'Z/none']);
  });
});

describe("2026-06: the 'answer is X' fallback", () => {
  const fiveOptions: QuestionOptions = { ...endoscopy, E: 'ulcer' };
  const threeOptions: QuestionOptions = { A: endoscopy.A, B: endoscopy.B, C: endoscopy.C };
  it.each<[string, QuestionOptions, [string, string, string], string]>([
    ['The ANSWER IS B, not C', endoscopy, ['Z/none', 'Z/none', 'B/regex'], 'two letters; the pattern ignores case'],
    ['the answer is b, not C or D', endoscopy, ['Z/none', 'Z/none', 'B/regex'], 'the captured letter is upper-cased'],
    ['Correct answer is **C**, not A', endoscopy, ['Z/none', 'Z/none', 'C/regex'], "'correct' and the asterisks are part of the pattern"],
    ['The anſwer iſ B, not C', endoscopy, ['Z/none', 'Z/none', 'B/regex'], "Python folds 'ſ' (long s) to 's'"],
    ['answer ıs C, not D', endoscopy, ['Z/none', 'Z/none', 'C/regex'], "Python matches dotless 'ı' to 'i'"],
    ['answer İs C, not D', endoscopy, ['Z/none', 'Z/none', 'C/regex'], "Python matches 'İ' to 'i' (its simple lower case)"],
    ['answer is\x85B or C', endoscopy, ['Z/none', 'Z/none', 'B/regex'], 'U+0085 is \\s in Python'],
    ['answer is\x1cC or D', endoscopy, ['Z/none', 'Z/none', 'C/regex'], 'U+001C is \\s in Python'],
    ['answer is\xa0D or A', endoscopy, ['Z/none', 'Z/none', 'D/regex'], 'NBSP is \\s'],
    ['answer is\ufeffB, C or D', endoscopy, ['Z/none', 'Z/none', 'Z/none'], 'U+FEFF is not \\s in Python (it is in JavaScript)'],
    ['answerisB, C or D', endoscopy, ['Z/none', 'Z/none', 'Z/none'], '\\s+ needs at least one space'],
    ['The answer is another finding, neither C nor D', endoscopy, ['Z/none', 'Z/none', 'A/regex'], "VLMEvalKit's quirk: 'a' of 'another' is the letter"],
    ['The answer is E, not C or D', fiveOptions, ['Z/none', 'Z/none', 'Z/none'], 'E is outside [ABCD] even when it is a choice'],
    ['answer is E. Final answer is B, not C', fiveOptions, ['Z/none', 'Z/none', 'B/regex'], 'the search goes on past "answer is E"'],
    ['answer is D, or answer is A, B', threeOptions, ['Z/none', 'Z/none', 'Z/none'], 'the first match names D, no choice: later matches are not tried'],
    [
      'B is what I would pick, since the answer is B',
      endoscopy,
      ['B/option', 'Z/none', 'B/regex'],
      'a letter before the last four tokens falls back to the pattern',
    ],
    ['Failed to obtain answer via API. The answer is B', endoscopy, ['Z/none', 'Z/none', 'Z/none'], 'not after an API failure'],
    ['Cannot determine the answer. The answer is B', endoscopy, ['Z/refusal', 'Z/refusal', 'Z/refusal'], 'not after a refusal'],
    ['Z. The answer is b', endoscopy, ['Z/option', 'Z/option', 'Z/option'], "not after a lone 'Z' token"],
  ])('%j → %j (%s)', (prediction, options, expected) => {
    expect(underEachScorer(prediction, options)).toEqual(expected);
  });
});

describe('lower-casing the prediction', () => {
  it('maps the Kelvin sign to k, as Python does', () => {
    expect(extractChoice('\u212aidney', { A: 'kidney', B: 'liver' })).toBe('A');
  });
});
