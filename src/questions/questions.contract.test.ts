import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { issuesToErrors } from '../lib/field-errors';
import { SelectionQuerySchema, SelectionSchema, selectionOf } from '../selection/selection';
import { cursorSelection, orderProblem, QuestionQuerySchema } from './questions.contract';

function errors(input: Record<string, unknown>) {
  const result = v.safeParse(QuestionQuerySchema, input);
  expect(result.success).toBe(false);
  return result.success ? [] : issuesToErrors(result.issues as Parameters<typeof issuesToErrors>[0]).map((e) => e.name);
}

describe('question query contract', () => {
  it('turns single and repeated values into sorted sets', () => {
    const out = v.parse(QuestionQuerySchema, { split: 'val', task: ['Bone', 'Bone', 'Attribute Recognition'], department: 'N/A', index: ['10', '9', '10'] });
    expect(out.task).toEqual(['Attribute Recognition', 'Bone']);
    expect(out.department).toEqual(['N/A']);
    expect(out.index).toEqual([9, 10]);
    expect(out.modality).toEqual([]);
    expect(out.order).toBe('index');
    expect(out.limit).toBeUndefined();
  });

  it('keeps commas, parentheses, slashes, quotes and SQL as plain values', () => {
    const values = ['Otolaryngology (ENT)/Head and Neck Surgery', "' OR 1=1 --", 'a,b', '"x"'];
    expect(v.parse(QuestionQuerySchema, { split: 'val', department: values }).department).toEqual([...values].sort());
  });

  it('reduces keywords to phrases of letters and digits', () => {
    expect(v.parse(QuestionQuerySchema, { split: 'val', q: ' fundus  COVID-19 "OR" ' }).q).toEqual(['fundus', 'COVID 19', 'OR']);
  });

  it('names each malformed parameter', () => {
    expect(errors({})).toEqual(['split']);
    expect(errors({ split: 'train' })).toEqual(['split']);
    expect(errors({ split: ['val', 'test'] })).toEqual(['split']);
    expect(errors({ split: 'val', task: '' })).toEqual(['task[0]']);
    expect(errors({ split: 'val', index: ['1', '-1'] })).toEqual(['index[1]']);
    expect(errors({ split: 'val', index: '2147483648' })).toEqual(['index[0]']);
    expect(errors({ split: 'val', index: Array.from({ length: 1001 }, (_, i) => String(i)) })).toEqual(['index']);
    expect(errors({ split: 'val', modality: Array.from({ length: 101 }, (_, i) => `m${i}`) })).toEqual(['modality']);
    expect(errors({ split: 'val', q: '-- ; "' })).toEqual(['q']);
    expect(errors({ split: 'val', q: Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ') })).toEqual(['q']);
    expect(errors({ split: 'val', q: ['a', 'b'] })).toEqual(['q']);
    expect(errors({ split: 'val', limit: '0' })).toEqual(['limit']);
    expect(errors({ split: 'val', limit: '501' })).toEqual(['limit']);
    expect(errors({ split: 'val', limit: '1.5' })).toEqual(['limit']);
    expect(errors({ split: 'val', order: 'random' })).toEqual(['order']);
    expect(errors({ split: 'val', cursor: ['a', 'b'] })).toEqual(['cursor']);
    expect(errors({ split: 'val', tsk: 'Bone' })).toEqual(['tsk']);
  });

  it('refuses label on TEST, where it is the hidden answer text, and relevance without keywords', () => {
    expect(v.parse(QuestionQuerySchema, { split: 'val', label: 'polyp' }).label).toEqual(['polyp']);
    expect(errors({ split: 'test', label: 'polyp' })).toEqual(['label']);
    expect(orderProblem(v.parse(SelectionSchema, { split: 'val' }), 'relevance')).toBe('relevance order needs keywords (q)');
    expect(orderProblem(v.parse(SelectionSchema, { split: 'val', q: 'polyp' }), 'relevance')).toBeNull();
    expect(v.parse(QuestionQuerySchema, { split: 'val', order: 'relevance', q: 'polyp' }).order).toBe('relevance');
  });

  it('has no paging parameters in the tree contract', () => {
    expect(v.safeParse(SelectionQuerySchema, { split: 'val', limit: '5' }).success).toBe(false);
    expect(v.safeParse(SelectionQuerySchema, { split: 'test', label: 'x' }).success).toBe(false);
  });
});

describe('cursorSelection', () => {
  it('binds a cursor to the order as well as the selection, not to the page size', () => {
    const parse = (input: Record<string, unknown>) => selectionOf({ ...v.parse(QuestionQuerySchema, input), split: 'val' });
    const byIndex = parse({ split: 'val', q: 'x', limit: '5' });
    expect(cursorSelection(parse({ split: 'val', q: 'x', limit: '50' }), 'index')).toBe(cursorSelection(byIndex, 'index'));
    expect(cursorSelection(byIndex, 'relevance')).not.toBe(cursorSelection(byIndex, 'index'));
  });
});
