import { describe, expect, it } from 'vitest';
import type { QuestionOptions } from '../dataset/choices';
import { extractChoice, scorePrediction, type ExtractedChoice } from './extract-choice';

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
    ["A's", 'Z', "an apostrophe is not replaced: the token is \"A's\""],
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
    expect(scorePrediction('D. polyp', { options: endoscopy, answer: 'D' })).toEqual({ extracted: 'D', hit: 1 });
    expect(scorePrediction('C', { options: endoscopy, answer: 'D' })).toEqual({ extracted: 'C', hit: 0 });
    expect(scorePrediction('A or B', { options: endoscopy, answer: 'A' })).toEqual({ extracted: 'Z', hit: 0 });
  });
});
