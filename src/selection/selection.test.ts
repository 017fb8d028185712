import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { issuesToErrors } from '../lib/field-errors';
import {
  canonicalSelection,
  hasFilterBeyondSplit,
  selectionConditions,
  selectionEntries,
  selectionFromCanonical,
  selectionKey,
  selectionQueryString,
  SelectionQuerySchema,
  SelectionSchema,
  wholeSplit,
  type Selection,
} from './selection';

const parse = (input: Record<string, unknown>): Selection => v.parse(SelectionSchema, input);
const dialect = new SQLiteAsyncDialect();
const query = (s: Selection, keywordsRanked = false) => {
  const { sql, params } = dialect.sqlToQuery(selectionConditions(s, { keywordsRanked }));
  return { sql, params };
};

/** One valid value of every filter parameter. */
const ONE_OF_EACH: Record<string, string> = {
  task: 'Bone',
  department: 'N/A',
  granularity: 'Image level',
  modality: 'CT',
  original_task: 'CLS_2D',
  label: 'polyp',
  index: '7',
  q: 'fundus',
};

describe('selection contract', () => {
  it('has a documented parameter for every filter, and the test list above names them all', () => {
    expect(Object.keys(selectionEntries).sort()).toEqual(['split', 'subset', ...Object.keys(ONE_OF_EACH)].sort());
    for (const [name, schema] of Object.entries(selectionEntries)) {
      const wrapped = 'wrapped' in schema ? schema.wrapped : schema;
      expect(v.getDescription(wrapped as v.GenericSchema)?.length, name).toBeGreaterThan(20);
    }
  });

  it('refuses label where answers are hidden, naming the parameter', () => {
    const result = v.safeParse(SelectionQuerySchema, { split: 'test', label: 'polyp' });
    expect(result.success).toBe(false);
    expect(result.success ? [] : issuesToErrors(result.issues as Parameters<typeof issuesToErrors>[0]).map((e) => e.name)).toEqual(['label']);
    expect(parse({ split: 'val', label: 'polyp' }).label).toEqual(['polyp']);
  });

  it('wholeSplit is the selection of a split given alone', () => {
    expect(wholeSplit('test')).toEqual(parse({ split: 'test' }));
  });
});

describe('selectionKey', () => {
  it('is equal for every spelling of a selection', () => {
    const a = selectionKey(parse({ split: 'val', task: ['B', 'A'], index: ['10', '9'], q: 'lung  fundus' }));
    expect(selectionKey(parse({ q: 'fundus lung fundus', index: ['9', '10', '9'], task: ['A', 'B', 'A'], split: 'val' }))).toBe(a);
    // Selections built in code need not be normalized.
    expect(selectionKey({ ...wholeSplit('val'), task: ['B', 'A', 'B'], index: [10, 9], q: ['lung', 'fundus'] })).toBe(a);
  });

  it('differs when any part of the selection differs', () => {
    const base = { split: 'val', task: ['A', 'B'] };
    const keys = [
      base,
      { ...base, split: 'test' },
      { ...base, task: 'A' },
      { split: 'val', department: ['A', 'B'] },
      ...Object.entries(ONE_OF_EACH).map(([name, value]) => ({ ...base, [name]: value })),
    ].map((input) => selectionKey(parse(input)));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('hasFilterBeyondSplit', () => {
  it('is false for a split alone and true for each filter given', () => {
    expect(hasFilterBeyondSplit(parse({ split: 'val' }))).toBe(false);
    expect(hasFilterBeyondSplit(wholeSplit('test'))).toBe(false);
    for (const [name, value] of Object.entries(ONE_OF_EACH)) expect(hasFilterBeyondSplit(parse({ split: 'val', [name]: value })), name).toBe(true);
  });
});

describe('selectionConditions', () => {
  it('is the split alone without filters', () => {
    expect(query(wholeSplit('val'))).toEqual({ sql: 'q.split = ?', params: ['val'] });
  });

  it('ANDs the filters, ORs the values of one, and binds every value', () => {
    const { sql, params } = query(parse({ split: 'val', task: ['Bone', "' OR 1=1 --"], department: ['N/A', 'Oncology'], index: '3' }));
    expect(sql).toBe('q.split = ? AND q.clinical_vqa_task IN (SELECT value FROM json_each(?)) AND (q.department IS NULL OR q.department = ?) AND q.idx = ?');
    expect(params).toEqual(['val', JSON.stringify(["' OR 1=1 --", 'Bone']), 'Oncology', 3]);
  });

  it('reads labels from the answer key and keywords from the FTS index, unless ranked in FROM', () => {
    expect(query(parse({ split: 'val', label: 'polyp' })).sql).toBe('q.split = ? AND q.idx IN (SELECT idx FROM answer_key WHERE split = ? AND category = ?)');
    const keywords = parse({ split: 'val', q: 'fundus' });
    expect(query(keywords)).toEqual({
      sql: 'q.split = ? AND +q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)',
      params: ['val', '"fundus"'],
    });
    expect(query(keywords, true)).toEqual({ sql: 'q.split = ?', params: ['val'] });
  });
});

describe('canonical and query-string forms', () => {
  const spelled = parse({ split: 'val', task: ['B', 'A', 'B'], department: 'N/A', index: ['10', '9', '010'], q: 'Fundus  COVID-19 fundus' });

  it('keep only the given filters, each as a sorted set, and come back to the same selection', () => {
    expect(canonicalSelection(spelled)).toEqual({ split: 'val', task: ['A', 'B'], department: ['N/A'], index: [9, 10], q: ['COVID 19', 'Fundus', 'fundus'] });
    expect(JSON.stringify(canonicalSelection(wholeSplit('test')))).toBe('{"split":"test"}');
    const back = selectionFromCanonical(JSON.parse(JSON.stringify(canonicalSelection(spelled))));
    expect(selectionKey(back)).toBe(selectionKey(spelled));
    expect(selectionFromCanonical({ split: 'test' })).toEqual(wholeSplit('test'));
  });

  it('give query parameters that parse back to the same selection', () => {
    const text = selectionQueryString(spelled);
    expect(text).toBe('split=val&task=A&task=B&department=N%2FA&index=9&index=10&q=COVID-19+Fundus+fundus');
    const search = new URLSearchParams(text);
    const reparsed = parse(Object.fromEntries([...new Set(search.keys())].map((k) => [k, search.getAll(k).length > 1 ? search.getAll(k) : search.get(k)!])));
    expect(selectionKey(reparsed)).toBe(selectionKey(spelled));
    expect(selectionQueryString(wholeSplit('val'))).toBe('split=val');
  });
});

describe('subset parameter', () => {
  const names = (input: Record<string, unknown>) => {
    const result = v.safeParse(SelectionQuerySchema, input);
    return result.success ? [] : issuesToErrors(result.issues as Parameters<typeof issuesToErrors>[0]).map((e) => e.name);
  };

  it('stands alone: with a filter it is a 400 naming subset; with a split or alone it is accepted', () => {
    expect(names({ subset: 'abcdefghijklmnop', department: 'Urology' })).toEqual(['subset']);
    expect(names({ subset: 'abcdefghijklmnop' })).toEqual([]);
    expect(names({ subset: 'abcdefghijklmnop', split: 'val' })).toEqual([]);
  });

  it('must look like an id, given once; without it the split is required', () => {
    expect(names({ subset: 'ABCDEFGHIJKLMNOP' })).toEqual(['subset']);
    expect(names({ subset: 'abc' })).toEqual(['subset']);
    expect(names({ subset: ['abcdefghijklmnop', 'abcdefghijklmnop'] })).toEqual(['subset']);
    expect(names({ department: 'Urology' })).toEqual(['split']);
  });
});
