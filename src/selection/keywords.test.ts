import { describe, expect, it } from 'vitest';
import { ftsMatchExpression, keywordPhrases } from './keywords';

describe('keywordPhrases', () => {
  it('splits on whitespace and keeps each word as one phrase of its tokens', () => {
    expect(keywordPhrases("  barrett's   esophagus\tCOVID-19 ")).toEqual(['barrett s', 'esophagus', 'COVID 19']);
  });

  it('drops words without letters or digits, so FTS5 operators and punctuation are inert', () => {
    expect(keywordPhrases('" OR 1=1 -- ( ) * ^ :')).toEqual(['OR', '1 1']);
    expect(keywordPhrases('\'" -- ;')).toEqual([]);
    expect(keywordPhrases('')).toEqual([]);
  });

  it('keeps non-Latin letters and combining marks', () => {
    expect(keywordPhrases('肺 cafe\u0301')).toEqual(['肺', 'cafe\u0301']);
  });
});

describe('ftsMatchExpression', () => {
  it('quotes every phrase and AND-s them implicitly', () => {
    expect(ftsMatchExpression(['fundus', 'NEAR', 'a b'])).toBe('"fundus" "NEAR" "a b"');
  });
});
