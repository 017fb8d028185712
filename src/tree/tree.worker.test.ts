import { beforeAll, describe, expect, it } from 'vitest';
import type { StagedRow } from '../ingest/contract';
import { api } from '../../test/worker/support';
import { SECRET_LABEL, seedReadFixture, type ReadFixture } from '../../test/worker/read-fixture';

interface Node {
  value: string | null;
  count: number;
  modalities: { modality: string; count: number; labels?: { label: string | null; count: number }[] }[];
}
interface Tree {
  split: string;
  total: number;
  dataset_version: string;
  lexicons: Record<'clinical_vqa_task' | 'department' | 'perceptual_granularity', Node[]>;
  modality: { value: string; count: number }[];
  original_task: { value: string; count: number }[];
}

let fixture: ReadFixture;
beforeAll(async () => {
  fixture = await seedReadFixture();
});

async function tree(search: string): Promise<Tree> {
  const res = await api(`/v1/tree?${search}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Tree;
}

/** Expected counts straight from the imported rows: "value|modality|label" → count. */
function leafCounts(rows: StagedRow[], rowValue: (r: StagedRow) => string | null, withLabel: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify([rowValue(r), r.modality, withLabel ? r.category : undefined]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function treeLeaves(nodes: Node[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    expect(node.count).toBe(node.modalities.reduce((n, m) => n + m.count, 0));
    for (const m of node.modalities) {
      if (m.labels) {
        expect(m.count).toBe(m.labels.reduce((n, l) => n + l.count, 0));
        for (const l of m.labels) counts.set(JSON.stringify([node.value, m.modality, l.label]), l.count);
      } else counts.set(JSON.stringify([node.value, m.modality, undefined]), m.count);
    }
  }
  return counts;
}

describe('GET /v1/tree', () => {
  it('counts every VAL question under each lexicon value, modality and label', async () => {
    const t = await tree('split=val');
    expect(t.total).toBe(fixture.val.length);
    expect(treeLeaves(t.lexicons.clinical_vqa_task)).toEqual(leafCounts(fixture.val, (r) => r.clinical_vqa_task, true));
    expect(treeLeaves(t.lexicons.department)).toEqual(leafCounts(fixture.val, (r) => r.department, true));
    expect(treeLeaves(t.lexicons.perceptual_granularity)).toEqual(leafCounts(fixture.val, (r) => r.perceptual_granularity, true));
    const byModality = new Map<string, number>();
    for (const r of fixture.val) byModality.set(r.modality, (byModality.get(r.modality) ?? 0) + 1);
    expect(new Map(t.modality.map((m) => [m.value, m.count]))).toEqual(byModality);
    expect(t.original_task.reduce((n, o) => n + o.count, 0)).toBe(fixture.val.length);
  });

  it('shows the N/A department as null, last', async () => {
    const departments = (await tree('split=val')).lexicons.department;
    expect(departments.at(-1)).toMatchObject({ value: null, count: fixture.val.filter((r) => r.department === null).length });
    expect(departments.filter((d) => d.value === null)).toHaveLength(1);
  });

  it('has no labels on TEST and never shows its hidden categories', async () => {
    const res = await api('/v1/tree?split=test');
    const text = await res.text();
    expect(text).not.toContain(SECRET_LABEL);
    expect(text).not.toContain('"labels"');
    const t = JSON.parse(text) as Tree;
    expect(t.total).toBe(fixture.test.length);
    expect(treeLeaves(t.lexicons.department)).toEqual(leafCounts(fixture.test, (r) => r.department, false));
    expect((await api('/v1/tree?split=test&label=x')).status).toBe(400);
  });

  it('counts only the questions matching the filters, consistently with /v1/questions', async () => {
    const search =
      'split=val&department=Otolaryngology%20(ENT)%2FHead%20and%20Neck%20Surgery&department=N%2FA&granularity=Image%20level&granularity=Mask%20level';
    const t = await tree(search);
    const expected = fixture.val.filter(
      (r) =>
        (r.department === null || r.department === 'Otolaryngology (ENT)/Head and Neck Surgery') &&
        ['Image level', 'Mask level'].includes(r.perceptual_granularity),
    );
    expect(t.total).toBe(expected.length);
    expect(treeLeaves(t.lexicons.clinical_vqa_task)).toEqual(leafCounts(expected, (r) => r.clinical_vqa_task, true));
    // Narrowing by any node of the tree gives as many questions as the node counts.
    for (const node of t.lexicons.clinical_vqa_task) {
      for (const m of node.modalities) {
        const narrowed = new URLSearchParams(search);
        narrowed.append('task', node.value!);
        narrowed.append('modality', m.modality);
        const page = (await (await api(`/v1/questions?${narrowed}&limit=1`)).json()) as { total: number };
        expect(page.total, `${node.value} / ${m.modality}`).toBe(m.count);
      }
    }
  });

  it('is empty, not an error, for unknown values; malformed filters are a 400 naming them', async () => {
    expect(await tree('split=val&modality=Nope')).toMatchObject({
      total: 0,
      lexicons: { clinical_vqa_task: [], department: [], perceptual_granularity: [] },
      modality: [],
      original_task: [],
    });
    for (const [search, name] of [
      ['split=x', 'split'],
      ['split=val&limit=5', 'limit'],
      ['split=val&index=x', 'index'],
      ['split=val&q=--', 'q'],
    ]) {
      const res = await api(`/v1/tree?${search}`);
      expect(res.status, search).toBe(400);
      expect(((await res.json()) as { errors: { name: string }[] }).errors.map((e) => e.name)).toEqual([name]);
    }
  });

  it('is cached by dataset version and query', async () => {
    const res = await api('/v1/tree?split=val&task=Bone');
    const etag = res.headers.get('ETag')!;
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect((await api('/v1/tree?split=val&task=Bone', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await api('/v1/tree?split=val&task=Counting', { headers: { 'If-None-Match': etag } })).status).toBe(200);
  });
});
