import { describe, expect, it } from 'vitest';
import { vlmevalkitPrompt } from './prompt';

describe('vlmevalkitPrompt', () => {
  it('matches VLMEvalKit build_prompt byte for byte (VAL row 0)', () => {
    // Expected text written out by hand from image_mcq.py: "Question: {q}\n" + "Options:\n" +
    // "{L}. {text}\n" per option + the closing sentence with its trailing space.
    const question = 'Focus on the square-highlighted area of this endoscopy image. What could be the potential diagnosis?';
    const options = ["barrett's esophagus", 'gastrointestinal tract cancer', 'high-grade dysplasia', 'polyp'];
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
    const prompt = vlmevalkitPrompt('Q?', ['1', '2', '3', '4', 'a\tb "c"']);
    expect(prompt.split('\n')).toEqual(['Question: Q?', 'Options:', 'A. 1', 'B. 2', 'C. 3', 'D. 4', 'E. a\tb "c"', 'Please select the correct answer from the options above. ', '']);
    expect(vlmevalkitPrompt('Q?', ['x', 'y'])).toBe('Question: Q?\nOptions:\nA. x\nB. y\nPlease select the correct answer from the options above. \n');
  });
});
