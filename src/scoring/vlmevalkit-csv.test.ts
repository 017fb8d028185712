import { describe, expect, it } from 'vitest';
import type { RowGroups } from './accuracy';
import { vlmevalkitAccuracyCsv } from './vlmevalkit-csv';

const base: RowGroups = {
  clinical_vqa_task: 'Counting',
  department: 'Hematology',
  perceptual_granularity: 'Image level',
  modality: 'Microscopy',
  original_task: 'CLS_2D',
};
const row = (hit: 0 | 1, groups: Partial<RowGroups> = {}) => ({ hit, groups: { ...base, ...groups } });

describe('vlmevalkitAccuracyCsv', () => {
  it('quotes every field, sorts the groups by code point and ends each line with \\n', () => {
    const csv = vlmevalkitAccuracyCsv(
      [row(1, { perceptual_granularity: 'Mask level' }), row(0, { perceptual_granularity: 'Box level' }), row(1)],
      'perceptual granularity',
    );
    // 2/3 = 0.6666666666666666 in Python; the integral means print as 1.0 and 0.0.
    expect(csv).toBe('"split","Overall","Box level","Image level","Mask level"\n' + '"none","0.6666666666666666","0.0","1.0","1.0"\n');
  });

  it("names the missing department 'None', leaves its mean empty and still counts its rows in Overall", () => {
    const csv = vlmevalkitAccuracyCsv([row(1, { department: null }), row(1, { department: null }), row(0)], 'department');
    // 'H' < 'N': Hematology before None. Overall = 2/3 although None's two hits appear nowhere else.
    expect(csv).toBe('"split","Overall","Hematology","None"\n' + '"none","0.6666666666666666","0.0",""\n');
  });

  it("merges the missing department with a real department named 'None'", () => {
    const csv = vlmevalkitAccuracyCsv([row(1, { department: null }), row(0, { department: 'None' })], 'department');
    // One 'None' column, its mean over the row whose value is the string 'None' only.
    expect(csv).toBe('"split","Overall","None"\n"none","0.5","0.0"\n');
  });

  it('doubles quotes inside fields and sorts astral characters after U+FFFF-range ones', () => {
    const csv = vlmevalkitAccuracyCsv(
      [row(1, { clinical_vqa_task: 'Say "hi"' }), row(0, { clinical_vqa_task: '\u{1F600}' }), row(1, { clinical_vqa_task: '\uff01' })],
      'clinical vqa task',
    );
    expect(csv).toBe(`"split","Overall","Say ""hi""","\uff01","\u{1F600}"\n"none","0.6666666666666666","1.0","1.0","0.0"\n`);
  });

  it("overwrites the Overall column in place for a group named 'Overall', as a Python dict does", () => {
    const csv = vlmevalkitAccuracyCsv([row(1, { clinical_vqa_task: 'Overall' }), row(0)], 'clinical vqa task');
    expect(csv).toBe('"split","Overall","Counting"\n"none","1.0","0.0"\n');
  });
});
