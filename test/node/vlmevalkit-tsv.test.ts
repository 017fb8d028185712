// The VLMEvalKit loop against a real Worker (wrangler dev) holding the real VAL rows: a subset
// exported as TSV is loaded as VLMEvalKit loads a custom dataset (pandas, its back-reference rule,
// PIL), every row and image must equal the JSON API's, and the prediction file VLMEvalKit would write
// for it (xlsxwriter) must score as computed here. Also: the README's Python example runs as a user
// would copy it, and VLMEvalKit's real xlsx files give the _acc.csv the reference letters imply under
// the 2025-08 and 2026-06 scorers. Expected values come from the data and ../shared/gmai/matching/.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../scripts/import/run-import';
import { REPO_ROOT } from '../../scripts/local-dev';
import { readRealVal, writeLocalizedVal } from './real-val';
import { fetchOnLiveConnection, HAVE_SHARED, SHARED_GMAI, startTestServer, tempDir, type TestServer } from './support';

/** A Python with pandas, PIL and xlsxwriter (Debian: python3-pandas python3-pil python3-xlsxwriter). */
function pandasPython(): string | null {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import pandas, PIL, xlsxwriter'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}
const PYTHON = pandasPython();
if (!PYTHON)
  console.warn(
    'SKIPPING the pandas checks of the TSV export: no python3 with pandas, PIL and xlsxwriter (apt-get install python3-pandas python3-pil python3-xlsxwriter)',
  );

const LOADER = path.join(REPO_ROOT, 'test', 'fixtures', 'vlmevalkit', 'load_tsv.py');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'home_grown_loop.py');
const LETTERS = ['A', 'B', 'C', 'D', 'E'];

interface ApiQuestion {
  index: number;
  question: string;
  options: Record<string, string>;
  answer: string;
  category: string;
  clinical_vqa_task: string;
  department: string | null;
  perceptual_granularity: string;
  modality: string;
  original_task: string;
  image: { sha256: string; width: number; height: number };
}

describe.skipIf(!HAVE_SHARED)('VLMEvalKit loop on the real VAL rows', () => {
  let server: TestServer;
  let records: string[][];
  const column = (name: string) => records[0]!.indexOf(name);

  beforeAll(async () => {
    records = readRealVal();
    const localized = writeLocalizedVal(tempDir('gmai-tsv-val-'), records);
    server = await startTestServer();
    const report = await runImport({ files: [localized], split: 'val', client: server.client });
    expect(report).toMatchObject({ status: 'committed', rows: 4550 });
  });
  afterAll(() => server?.close());

  async function ndjson(query: string): Promise<ApiQuestion[]> {
    const res = await fetch(`${server.url}/v1/questions?${query}&format=ndjson`);
    return (await res.text())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ApiQuestion);
  }

  it.skipIf(!PYTHON)('exports a subset that pandas, the back-reference rule and PIL read as the JSON API serves it; its xlsx scores as expected', async () => {
    const selection = 'split=val&department=Ophthalmology&department=Pulmonary%20Medicine';
    const res = await fetch(`${server.url}/v1/questions?${selection}`, { headers: { Accept: 'text/tab-separated-values' } });
    expect(res.status).toBe(200);
    const subset = res.headers.get('Subset-Id')!;
    expect(res.headers.get('Content-Disposition')).toBe(`attachment; filename="GMAI-MMBench_VAL_${subset}.tsv"`);
    const dir = tempDir('gmai-tsv-export-');
    const tsv = path.join(dir, `GMAI-MMBench_VAL_${subset}.tsv`);
    writeFileSync(tsv, Buffer.from(await res.arrayBuffer()));
    const [rowsFile, xlsx] = [path.join(dir, 'rows.jsonl'), path.join(dir, 'predictions.xlsx')];
    execFileSync(PYTHON!, [LOADER, tsv, rowsFile, xlsx], { stdio: ['ignore', 'inherit', 'inherit'] });
    const loaded = readFileSync(rowsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

    const served = await ndjson(selection);
    expect(served).toHaveLength(569 + 405);
    expect(loaded).toHaveLength(served.length);
    loaded.forEach((row, i) => {
      const q = served[i]!;
      expect(row).toEqual({
        index: q.index,
        question: q.question,
        ...Object.fromEntries(LETTERS.map((l) => [l, q.options[l] ?? null])),
        answer: q.answer,
        category: q.category,
        'clinical VQA task': q.clinical_vqa_task,
        department: q.department,
        'perceptual granularity': q.perceptual_granularity,
        modality: q.modality,
        'original task': q.original_task,
        image_sha256: q.image.sha256,
        image_size: [q.image.width, q.image.height],
      });
    });
    // 64 distinct images over the file: most rows are back-references.
    const images = readFileSync(tsv, 'utf8')
      .split('\n')
      .slice(1, -1)
      .map((line) => line.slice(line.lastIndexOf('\t') + 1));
    expect(images.filter((image) => image.length > 64)).toHaveLength(new Set(served.map((q) => q.image.sha256)).size);

    // The real answers, from the metadata file: every third row predicted right, the others no letter.
    const answerOf = new Map(records.slice(1).map((r) => [Number(r[column('index')]), r[column('answer')]!]));
    const expected = served.filter((q) => q.index % 3 === 0).length;
    expect(served.every((q) => q.answer === answerOf.get(q.index))).toBe(true);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(xlsx)]), `Model_GMAI-MMBench_VAL_${subset}.xlsx`);
    const scored = await fetch(`${server.url}/v1/scores?subset=${subset}`, { method: 'POST', body: form });
    expect(scored.status).toBe(200);
    expect(await scored.json()).toMatchObject({
      overall: { n: served.length, correct: expected },
      coverage: { in_scope: served.length, missing: 0 },
      subset: { id: subset },
    });
  });

  it("runs the README's Python example against the server (the file the README shows)", async () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(EXAMPLE, 'utf8'));
    const page = (await (await fetch(`${server.url}/v1/questions?split=val&modality=Fundus%20Photography&limit=1`)).json()) as {
      subset: { id: string };
      total: number;
    };
    const output = execFileSync('python3', [EXAMPLE], { env: { ...process.env, GMAI_API: server.url, GMAI_SUBSET: page.subset.id }, encoding: 'utf8' });
    const rows = records.slice(1).filter((r) => r[column('modality')] === 'Fundus Photography');
    const correct = rows.filter((r) => r[column('answer')] === 'A').length;
    expect(rows).toHaveLength(409);
    expect(output.trim()).toBe(`${correct}/409 correct (${(correct / 409).toFixed(4)}) on subset ${page.subset.id}`);
  });

  /** Python's repr of a float in (1e-4, 1]: the shortest round-trip digits, as JavaScript prints them, and 1.0/0.0 for integers. */
  const pythonRepr = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

  it.each(['Qwen2-VL-7B-Instruct', 'qwen_chat'])("gives %s's _acc.csv under the 2025-08 and 2026-06 scorers as the reference letters imply", async (model) => {
    const dir = path.join(SHARED_GMAI, 'vlmevalkit', model);
    const summary = JSON.parse(readFileSync(path.join(SHARED_GMAI, 'matching', 'summary.json'), 'utf8'))[model] as { correct: Record<string, number> };
    const letters = readFileSync(path.join(SHARED_GMAI, 'matching', `${model}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { index: number; extracted: Record<string, string> });
    const byIndex = new Map(records.slice(1).map((r) => [Number(r[column('index')]), r]));
    const columns = { 'clinical vqa task': 'clinical VQA task', department: 'department', 'perceptual granularity': 'perceptual granularity' } as const;
    for (const scorer of ['vlmevalkit-2025-08', 'vlmevalkit-2026-06']) {
      for (const [group, field] of Object.entries(columns)) {
        // The header (groups sorted, the N/A department as "None") is the one of VLMEvalKit's own 2024 CSV.
        const header = readFileSync(path.join(dir, `${model}_GMAI-MMBench_VAL_${group}_acc.csv`), 'utf8').split('\n')[0]!;
        const names = JSON.parse(`[${header}]`) as string[];
        const hits = (value: string | null) => {
          const rows = letters.filter((l) => (value === null ? true : (byIndex.get(l.index)![column(field)] || 'None') === value));
          return rows.filter((l) => l.extracted[scorer] === byIndex.get(l.index)![column('answer')]).length / rows.length;
        };
        const values = names.slice(2).map((name) => (name === 'None' ? '' : pythonRepr(hits(name))));
        expect(pythonRepr(hits(null))).toBe(pythonRepr(summary.correct[scorer]! / 4550));
        const expected = `${header}\n${['none', pythonRepr(summary.correct[scorer]! / 4550), ...values].map((v) => `"${v}"`).join(',')}\n`;
        const form = new FormData();
        form.append('file', new Blob([readFileSync(path.join(dir, `${model}_GMAI-MMBench_VAL.xlsx`))]), `${model}_GMAI-MMBench_VAL.xlsx`);
        const res = await fetchOnLiveConnection(`${server.url}/v1/scores?split=val&scorer=${scorer}&format=vlmevalkit-csv&group=${encodeURIComponent(group)}`, {
          method: 'POST',
          body: form,
        });
        expect(await res.text(), `${scorer} ${group}`).toBe(expected);
      }
    }
  });
});
