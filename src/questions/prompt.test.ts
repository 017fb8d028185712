import { describe, expect, it } from 'vitest';
import { vlmevalkitPrompt } from './prompt';

describe('vlmevalkitPrompt', () => {
  it('matches VLMEvalKit build_prompt byte for byte (VAL row 0)', () => {
    // Expected text written out by hand from image_mcq.py: "Question: {q}\n" + "Options:\n" +
    // "{L}. {text}\n" per option + the closing sentence with its trailing space.
    const question = 'Focus on the square-highlighted area of this endoscopy image. What could be the potential diagnosis?';
    const options = { A: "barrett's esophagus", B: 'gastrointestinal tract cancer', C: 'high-grade dysplasia', D: 'polyp' };
    expect(vlmevalkitPrompt(question, options)).toBe(
      'Question: Focus on the square-highlighted area of this endoscopy image. What could be the potential diagnosis?\n' +
        'Options:\n' +
        "A. barrett's esophagus\n" +
        'B. gastrointestinal tract cancer\n' +
        'C. high-grade dysplasia\n' +
        'D. polyp\n' +
        'Please select the correct answer from the options above. \n',
    );
  });

  it('lists exactly the options given, up to E, and keeps text verbatim', () => {
    const prompt = vlmevalkitPrompt('Q?', { A: '1', B: '2', C: '3', D: '4', E: 'a\tb "c"' });
    expect(prompt.split('\n')).toEqual([
      'Question: Q?',
      'Options:',
      'A. 1',
      'B. 2',
      'C. 3',
      'D. 4',
      'E. a\tb "c"',
      'Please select the correct answer from the options above. ',
      '',
    ]);
    expect(vlmevalkitPrompt('Q?', { A: 'x', B: 'y' })).toBe('Question: Q?\nOptions:\nA. x\nB. y\nPlease select the correct answer from the options above. \n');
  });

  it('leaves out the options pandas reads as missing, keeping the letters of the others (as scoring does)', () => {
    // build_prompt: {cand: line[cand] for cand in 'ABCDE...' if not pd.isna(line[cand])}, printed as "{cand}. {text}".
    expect(vlmevalkitPrompt('Q?', { A: 'x', B: 'NA', C: 'y', D: 'None' })).toBe(
      'Question: Q?\nOptions:\nA. x\nC. y\nPlease select the correct answer from the options above. \n',
    );
    // Case and surrounding text matter to pandas: 'na' and 'N/A ' are kept.
    expect(vlmevalkitPrompt('Q?', { A: 'na', B: 'N/A ', C: 'null' }).split('\n').slice(2, -2)).toEqual(['A. na', 'B. N/A ']);
  });
});
