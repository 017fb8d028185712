// The pages through the real Worker entry, on the read fixture (awkward values, VAL and TEST).
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../test/worker/support';
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

describe('the API document', () => {
  it('lists no page route', async () => {
    const doc = (await (await api('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
  });
});
