import { describe, expect, it } from 'vitest';
import { extractChoice } from '../scoring/extract-choice';
import { vlmevalkitPrompt } from '../questions/prompt';
import { presentChoices } from './choices';

describe('presentChoices', () => {
  it("drops the cells pandas' default NA strings turn into NaN, keeping each choice's letter", () => {
    expect(presentChoices({ A: 'nan', B: 'polyp', C: '', D: '#N/A', E: 'normal' })).toEqual([
      ['B', 'polyp'],
      ['E', 'normal'],
    ]);
  });

  it('is what both the prompt lists and scoring matches', () => {
    const options = { A: 'polyp', B: 'NA', C: 'normal' };
    expect(vlmevalkitPrompt('Q?', options)).not.toContain('B. NA');
    // "B" names no choice, and the text "NA" is no option text to match.
    expect(extractChoice('B', options)).toBe('Z');
    expect(extractChoice('NA', options)).toBe('Z');
  });
});
