// The pages through the real Worker entry, on the read fixture (awkward values, VAL and TEST).
import { beforeAll, describe, expect, it } from 'vitest';
import { api, postJson } from '../../test/worker/support';
import { DEPARTMENTS, SECRET_LABEL, seedReadFixture, type ReadFixture } from '../../test/worker/read-fixture';

let fixture: ReadFixture;
beforeAll(async () => {
  fixture = await seedReadFixture();
});

async function html(path: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const res = await api(path, init);
  expect(res.headers.get('Content-Type')).toContain('text/html');
  return { status: res.status, text: await res.text() };
}

/** The text content of the element carrying data-testid, HTML entities of digits aside. */
const testId = (page: string, id: string) => page.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))?.[1];

describe('explorer', () => {
  it('opens on VAL when the URL names no split', async () => {
    const res = await api('/?department=Ophthalmology', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/?split=val&department=Ophthalmology');
  });

  it('shows the total of the selection, counted from the fixture rows', async () => {
    const awkward = DEPARTMENTS[4]!;
    const expected = fixture.val.filter((r) => r.department === awkward && r.modality === 'CT').length;
    expect(expected).toBeGreaterThan(0);
    const page = await html(`/?split=val&department=${encodeURIComponent(awkward)}&modality=CT`);
    expect(page.status).toBe(200);
    expect(testId(page.text, 'total')).toBe(String(expected));
    // Escaped by JSX, never raw: the value's quotes cannot end an attribute.
    expect(page.text).not.toContain(awkward);
    expect(page.text).toContain('O&#39;Hara, &quot;quoted&quot;; DROP TABLE questions; --');
    expect(page.text).toContain(`aria-label="Remove department O&#39;Hara`);
  });

  it('shows the problem the API names for a bad parameter, with a way back', async () => {
    const page = await html('/?split=val&colour=red');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<code>colour</code> is not a parameter of this endpoint');
    expect(page.text).toContain('href="/?split=val"');
    const label = await html('/?split=test&label=x');
    expect(label.status).toBe(400);
    expect(label.text).toContain('<code>label</code> is only available on VAL');
  });

  it('says so when nothing matches', async () => {
    const page = await html('/?split=val&q=nothingmatchesthis');
    expect(page.status).toBe(200);
    expect(testId(page.text, 'total')).toBe('0');
    expect(page.text).toContain('No question matches this selection.');
  });

  it('never shows a TEST label or answer', async () => {
    for (const lexicon of ['task', 'department', 'granularity']) {
      const page = await html(`/?split=test&lexicon=${lexicon}`);
      expect(page.status).toBe(200);
      expect(testId(page.text, 'total')).toBe(String(fixture.test.length));
      expect(page.text).not.toContain(SECRET_LABEL);
    }
    const question = await html(`/questions/test/${fixture.test[5]!.index}`);
    expect(question.status).toBe(200);
    expect(question.text).not.toContain(SECRET_LABEL);
    expect(question.text).not.toContain('class="correct"');
  });
});

describe('question page', () => {
  it('marks the VAL answer and links the tree position back to the explorer', async () => {
    const row = fixture.val[7]!;
    const page = await html(`/questions/val/${row.index}`);
    expect(page.status).toBe(200);
    const correct = page.text.match(/<li class="correct"><b>([A-E])\.<\/b>/)?.[1];
    expect(correct).toBe(row.answer);
    expect(page.text).toContain(`href="/?split=val&amp;task=${encodeURIComponent(row.clinical_vqa_task).replaceAll('%20', '+')}"`);
  });

  it('shows a 404 for an unknown question', async () => {
    const page = await html('/questions/val/999999');
    expect(page.status).toBe(404);
    expect(page.text).toContain('No question 999999 in val.');
  });
});

describe('upload', () => {
  const upload = (body: FormData) => html('/upload', { method: 'POST', body });

  it('scores an uploaded TSV on VAL', async () => {
    // Every prediction "A": correct exactly where the fixture's answer is A.
    const tsv = ['index\tprediction', ...fixture.val.map((r) => `${r.index}\tA`)].join('\n');
    const body = new FormData();
    body.append('file', new Blob([tsv], { type: 'text/tab-separated-values' }), 'Fixture_GMAI-MMBench_VAL.tsv');
    const page = await upload(body);
    expect(page.status).toBe(200);
    const correct = fixture.val.filter((r) => r.answer === 'A').length;
    expect(testId(page.text, 'overall-count')).toBe(`${correct} / ${fixture.val.length}`);
    expect(page.text).toContain('Fixture on VAL');
    expect(page.text).toContain('download="Fixture_GMAI-MMBench_VAL_department_acc.csv"');
    expect(page.text).toContain('Accuracy by clinical VQA task × perceptual granularity');
  });

  it('names the row and column of a bad file', async () => {
    const body = new FormData();
    body.append('file', new Blob([`index\tprediction\n${fixture.val[0]!.index}\tA\nseven\tB\n`]), 'bad.tsv');
    const page = await upload(body);
    expect(page.status).toBe(422);
    expect(page.text).toMatch(/<code>[^<]*(line|row) 3[^<]*<\/code>/);
    expect(page.text).toContain('bad.tsv');
  });

  it('asks for a file when none was chosen', async () => {
    const page = await upload(new FormData());
    expect(page.status).toBe(400);
    expect(page.text).toContain('<code>file</code> choose a VLMEvalKit prediction file to score');
  });
});

describe('runs', () => {
  let token = '';
  /** Two VAL runs: "always A" (right where the answer is A) and "always B". */
  const runs: Record<'a' | 'b' | 'test', string> = { a: '', b: '', test: '' };
  const always = (letter: string, rows: ReadFixture['val']) => Object.fromEntries(rows.map((r) => [String(r.index), letter]));

  beforeAll(async () => {
    const created = await postJson('/v1/admin/tokens', { name: 'pages' });
    token = ((await created.json()) as { token: string }).token;
    const post = async (split: string, model: string, predictions: Record<string, string>) => {
      const res = await api(`/v1/runs?split=${split}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model, predictions }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    runs.a = await post('val', 'Always A', always('A', fixture.val));
    runs.b = await post('val', 'Always B', always('B', fixture.val));
    runs.test = await post('test', 'Always A on TEST', always('A', fixture.test));
  });

  it('ranks the runs on the leaderboard with the counts of the fixture', async () => {
    const page = await html('/leaderboard?split=val');
    expect(page.status).toBe(200);
    const correct = (letter: string) => fixture.val.filter((r) => r.answer === letter).length;
    const shown = [...page.text.matchAll(/data-run="([^"]+)".*?data-testid="count">(\d+) \/ (\d+)</gs)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    const expected = [
      [runs.a, correct('A'), fixture.val.length],
      [runs.b, correct('B'), fixture.val.length],
    ].sort((x, y) => (y[1] as number) - (x[1] as number));
    expect(shown).toEqual(expected);
    // The whole split under the 2024 rules: the README's published rows, marked.
    expect(page.text).toContain('data-published="true"');
    expect(page.text).toContain('class="published-tag">published<');
    // A selection has no published rows.
    const narrowed = await html('/leaderboard?split=val&department=Ophthalmology');
    expect(narrowed.text).not.toContain('data-published="true"');
    const empty = await html('/leaderboard?split=val&q=nothingmatchesthis');
    expect(empty.text).toContain('No question matches this selection');
    expect(empty.text).not.toContain('data-run=');
  });

  it('shows a bad leaderboard parameter as the API states it', async () => {
    const page = await html('/leaderboard?split=val&colour=red');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<code>colour</code> is not a parameter of this endpoint');
  });

  it('shows a stored run with its report and receipt', async () => {
    const page = await html(`/runs/${runs.a}?department=Ophthalmology`);
    expect(page.status).toBe(200);
    const rows = fixture.val.filter((r) => r.department === 'Ophthalmology');
    expect(testId(page.text, 'overall-count')).toBe(`${rows.filter((r) => r.answer === 'A').length} / ${rows.length}`);
    expect(testId(page.text, 'run-id')).toBe(runs.a);
    expect(page.text).toContain(`/v1/runs/${runs.a}/badge.svg`);
    expect(page.text).toContain('npm run gmai -- verify');
    expect(page.text).toContain('Accuracy by clinical VQA task × perceptual granularity');
    expect(page.text).toContain('download="Always_A_GMAI-MMBench_VAL_department_acc.csv"');
  });

  it('never shows a TEST answer on a TEST run page', async () => {
    const page = await html(`/runs/${runs.test}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(SECRET_LABEL);
    expect(page.text).not.toContain('Extracted letters');
  });

  it('shows a 404 for an unknown run', async () => {
    const page = await html('/runs/run_nothing');
    expect(page.status).toBe(404);
    expect(page.text).toContain('There is no run &quot;run_nothing&quot; visible to this caller.');
  });

  it('compares two runs with the paired counts of the fixture', async () => {
    const page = await html(`/compare?a=${runs.a}&b=${runs.b}`);
    expect(page.status).toBe(200);
    const onlyA = fixture.val.filter((r) => r.answer === 'A').length;
    const onlyB = fixture.val.filter((r) => r.answer === 'B').length;
    expect(testId(page.text, 'only-a')).toBe(String(onlyA));
    expect(testId(page.text, 'only-b')).toBe(String(onlyB));
    expect(page.text).toContain(`data-difference="${(onlyA - onlyB) / fixture.val.length}"`);
    const refused = await html(`/compare?a=${runs.a}&b=${runs.test}`);
    expect(refused.status).toBe(409);
  });

  describe('saving an upload', () => {
    const file = (letter: string) => ['index\tprediction', ...fixture.val.map((r) => `${r.index}\t${letter}`)].join('\n');
    const form = (fields: Record<string, string>, letter = 'C') => {
      const body = new FormData();
      body.append('file', new Blob([file(letter)], { type: 'text/tab-separated-values' }), 'Saved_GMAI-MMBench_VAL.tsv');
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      return body;
    };

    it('stores a run with a token and sends the browser to its page', async () => {
      const res = await api('/upload', { method: 'POST', body: form({ token, model: 'Uploaded C' }), redirect: 'manual' });
      expect(res.status).toBe(303);
      const location = res.headers.get('Location')!;
      expect(location).toMatch(/^\/runs\/run_[\w-]+$/);
      expect(location).not.toContain(token);
      const page = await html(location);
      expect(page.text).toContain('Uploaded C');
      expect(testId(page.text, 'overall-count')).toBe(`${fixture.val.filter((r) => r.answer === 'C').length} / ${fixture.val.length}`);
    });

    it('shows a private run once, on the answer to the upload', async () => {
      const page = await html('/upload', { method: 'POST', body: form({ token, model: 'Private D', visibility: 'private' }, 'D') });
      expect(page.status).toBe(201);
      expect(page.text).toContain('Saved as private run');
      expect(page.text).not.toContain(token);
      const id = testId(page.text, 'run-id')!;
      expect((await html(`/runs/${id}`)).status).toBe(404);
    });

    it('shows the problem of a bad token without echoing it', async () => {
      const bad = 'gmai_not-a-real-token-value';
      const page = await html('/upload', { method: 'POST', body: form({ token: bad }) });
      expect(page.status).toBe(401);
      expect(page.text).not.toContain(bad);
    });

    it('scores without saving when no token is given', async () => {
      const before = ((await (await api('/v1/runs?split=val&limit=100')).json()) as { data: unknown[] }).data.length;
      const page = await html('/upload', { method: 'POST', body: form({ model: 'Not saved' }) });
      expect(page.status).toBe(200);
      expect(page.text).toContain('Not saved on VAL');
      expect(((await (await api('/v1/runs?split=val&limit=100')).json()) as { data: unknown[] }).data.length).toBe(before);
    });
  });
});

describe('the API document', () => {
  it('lists no page route', async () => {
    const doc = (await (await api('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
  });
});
