// The web pages in a real browser (Debian's Chromium through playwright-core) against a real
// wrangler dev with the real VAL rows (generated images) and a generated TEST split: no console
// error, no request leaving the machine, counts equal to the API's, axe-core clean, screenshots.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPartFiles, writeDataset } from '../../r2-seed/write-dataset';
import { copyVendorAssets } from '../../scripts/copy-vendor-assets';
import { runImport } from '../../scripts/import/run-import';
import { ensureLocalReceiptKey, REPO_ROOT } from '../../scripts/local-dev';
import { SYNTHETIC_PROFILES, syntheticPredictions } from '../../scripts/synthetic-runs';
import { readRealVal, writeLocalizedVal } from '../node/real-val';
import { allQuestions, HAVE_SHARED, SHARED_GMAI, startTestServer, tempDir, TEST_ADMIN_TOKEN, type TestServer } from '../node/support';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results', 'screenshots');
const WIDTHS = [390, 1440] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const XLSX = path.join(SHARED_GMAI, 'vlmevalkit', 'Qwen2-VL-7B-Instruct', 'Qwen2-VL-7B-Instruct_GMAI-MMBench_VAL.xlsx');

if (!existsSync(CHROMIUM)) console.warn(`SKIPPING browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);

interface Tree {
  total: number;
  lexicons: Record<string, Array<{ value: string | null; count: number }>>;
}

describe.skipIf(!existsSync(CHROMIUM))('pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  /** Requests to any host but loopback, and console errors, of every page opened. */
  const offHost: string[] = [];
  const consoleErrors = new Map<Page, string[]>();
  let firstVal: number;
  let firstTest: number;
  /** A token with runs:write, and the VAL runs posted with it (synthetic profiles of differing strength). */
  let token: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    copyVendorAssets();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const generated = tempDir('gmai-pages-');
    writeDataset({ out: generated, seed: 7, scale: 0.02, large: false });
    const envFile = path.join(tempDir('gmai-pages-env-'), '.dev.vars');
    await ensureLocalReceiptKey(envFile);
    server = await startTestServer({ envFile });
    // The real VAL rows where they are here (the upload test needs them), else the generated ones.
    const val = HAVE_SHARED ? writeLocalizedVal(tempDir('gmai-pages-val-'), readRealVal()) : path.join(generated, 'GMAI-MMBench_VAL.tsv');
    expect((await runImport({ files: [val], split: 'val', client: server.client })).status).toBe('committed');
    const testParts = testPartFiles(generated);
    expect((await runImport({ files: testParts, split: 'test', client: server.client })).status).toBe('committed');
    firstVal = (await server.json<{ data: Array<{ index: number }> }>('/v1/questions?split=val&limit=1')).data[0]!.index;
    firstTest = (await server.json<{ data: Array<{ index: number }> }>('/v1/questions?split=test&limit=1')).data[0]!.index;
    token = (
      await server.json<{ token: string }>('/v1/admin/tokens', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'pages' }),
      })
    ).token;
    const questions = (await allQuestions(server, 'val')).map((q) => ({
      index: q.index as number,
      answer: q.answer as string,
      letters: Object.keys(q.options as object),
      task: q.clinical_vqa_task as string,
      granularity: q.perceptual_granularity as string,
    }));
    for (const profile of SYNTHETIC_PROFILES.slice(0, 3)) {
      const body = JSON.stringify({ model: profile.model, organization: 'Browser test', predictions: syntheticPredictions(profile, 'val', questions) });
      const run = await server.json<{ id: string }>('/v1/runs?split=val', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
      });
      runIds.push(run.id);
    }

    // launch() gives the browser a fresh temporary profile (its own --user-data-dir) every run.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || LOOPBACK.has(url.hostname)) return route.continue();
      offHost.push(url.href);
      return route.abort();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page that fails the test on a console error; `status` is the document's expected HTTP status. */
  async function open(pathAndQuery: string, { width = 1440, status = 200 } = {}): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (msg) => {
      // Chromium logs a non-2xx document as a failed resource; the tests check those statuses themselves.
      const documentStatus = msg.text().startsWith('Failed to load resource') && msg.location().url === page.url();
      if (msg.type() === 'error' && !documentStatus) errors.push(msg.text());
    });
    const res = await page.goto(server.url + pathAndQuery, { waitUntil: 'load' });
    expect(res?.status(), pathAndQuery).toBe(status);
    consoleErrors.set(page, errors);
    return page;
  }

  async function closeClean(page: Page): Promise<void> {
    expect(consoleErrors.get(page), `console errors on ${page.url()}`).toEqual([]);
    expect(offHost, 'requests to other hosts').toEqual([]);
    await page.close();
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(`${axe.source};undefined`);
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as axe.AxeResults;
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')})`,
      );
  }

  /** Elements reaching past the right edge of the viewport (the page itself must not scroll sideways). */
  const overflowing = (page: Page) =>
    page.evaluate(`[...document.querySelectorAll('body *')]
      .filter((e) => !e.closest('.chart-scroll, .table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5).map((e) => e.tagName + '.' + e.className)
      .concat(document.documentElement.scrollWidth > document.documentElement.clientWidth ? ['the page scrolls sideways'] : [])`) as Promise<string[]>;

  const tree = (query: string) => server.json<Tree>(`/v1/tree?${query}`);
  const shownTotal = async (page: Page) => Number((await page.getByTestId('total').textContent())!.replaceAll(',', ''));
  /** The count of every top-level node of the chart, from its accessible name ("value: N questions"). */
  const chartCounts = async (page: Page) =>
    Object.fromEntries(
      (await page.locator('svg.icicle a.d0').evaluateAll((links) => links.map((a) => a.getAttribute('aria-label')!))).map((label) => {
        const [, value, count] = label.match(/^(.*): (\d+) questions$/)!;
        return [value!, Number(count)];
      }),
    );

  const PAGES: Array<{ name: string; path: () => string; status?: number; ready?: (page: Page) => Promise<unknown> }> = [
    { name: 'explorer-val', path: () => '/?split=val' },
    { name: 'explorer-department', path: () => '/?split=val&department=Ophthalmology&lexicon=department' },
    { name: 'explorer-test', path: () => '/?split=test&lexicon=granularity' },
    { name: 'explorer-empty', path: () => '/?split=val&q=nothingmatchesthisatall' },
    { name: 'explorer-bad-parameter', path: () => '/?split=val&colour=red', status: 400 },
    { name: 'question-val', path: () => `/questions/val/${firstVal}` },
    { name: 'question-test', path: () => `/questions/test/${firstTest}` },
    { name: 'upload', path: () => '/upload' },
    { name: 'leaderboard-val', path: () => '/leaderboard?split=val' },
    { name: 'leaderboard-selection', path: () => '/leaderboard?split=val&department=Ophthalmology&scorer=vlmevalkit-2026-06' },
    { name: 'leaderboard-empty-selection', path: () => '/leaderboard?split=val&q=nothingmatchesthisatall' },
    { name: 'leaderboard-bad-parameter', path: () => '/leaderboard?split=val&colour=red', status: 400 },
    { name: 'run', path: () => `/runs/${runIds[0]}` },
    { name: 'run-selection', path: () => `/runs/${runIds[1]}?department=Ophthalmology` },
    { name: 'run-unknown', path: () => '/runs/run_nothing', status: 404 },
    { name: 'compare-picker', path: () => '/compare' },
    { name: 'compare', path: () => `/compare?a=${runIds[0]}&b=${runIds[1]}` },
    {
      name: 'docs',
      path: () => '/docs',
      ready: (page) => page.getByText('Lexical tree with question counts for the filters').first().waitFor({ state: 'attached' }),
    },
  ];

  it.each(PAGES)('$name loads clean, passes axe-core and is captured at 390 and 1440 px', async ({ name, path: pagePath, status, ready }) => {
    for (const width of WIDTHS) {
      const page = await open(pagePath(), { width, status });
      await ready?.(page);
      expect(await seriousViolations(page), `${name} at ${width}px`).toEqual([]);
      if (name !== 'docs') expect(await overflowing(page), `${name} at ${width}px`).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
      await closeClean(page);
    }
  });

  it.each([
    ['explorer-val', () => '/?split=val'],
    ['leaderboard-val', () => '/leaderboard?split=val'],
    ['compare', () => `/compare?a=${runIds[0]}&b=${runIds[1]}`],
  ])('renders %s in the dark theme', async (name, pagePath) => {
    const page = await open(pagePath());
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-dark-1440.png`), fullPage: true });
    await closeClean(page);
  });

  it.each([
    ['split=val', 'clinical_vqa_task', ''],
    ['split=val&department=Ophthalmology', 'department', '&lexicon=department'],
    ['split=val&modality=CT&granularity=Mask+level', 'perceptual_granularity', '&lexicon=granularity'],
    ['split=test&q=image', 'clinical_vqa_task', ''],
  ])('shows the counts of /v1/tree?%s', async (query, lexicon, extra) => {
    const expected = await tree(query);
    const page = await open(`/?${query}${extra}`);
    expect(await shownTotal(page)).toBe(expected.total);
    expect(await chartCounts(page)).toEqual(Object.fromEntries(expected.lexicons[lexicon]!.map((n) => [n.value ?? 'N/A', n.count])));
    await closeClean(page);
  });

  it('narrows the selection when a node is clicked, and widens it again from its chip', async () => {
    const page = await open('/?split=val');
    const whole = await tree('split=val');
    const biggest = whole.lexicons.clinical_vqa_task!.reduce((a, b) => (b.count > a.count ? b : a));
    await Promise.all([page.waitForURL(/task=/), page.locator(`svg.icicle a.d0[aria-label="${biggest.value}: ${biggest.count} questions"]`).click()]);
    expect(new URL(page.url()).searchParams.getAll('task')).toEqual([biggest.value]);
    expect(await shownTotal(page)).toBe(biggest.count);

    // One level deeper: a modality of that task, checked against the API for the new URL.
    const modality = page.locator('svg.icicle a.d1').first();
    await Promise.all([page.waitForURL(/modality=/), modality.click()]);
    const url = new URL(page.url());
    expect(await shownTotal(page)).toBe((await tree(url.searchParams.toString())).total);

    await Promise.all([page.waitForURL((u) => !u.searchParams.has('modality')), page.getByRole('link', { name: /^Remove modality / }).click()]);
    expect(await shownTotal(page)).toBe(biggest.count);
    await closeClean(page);
  });

  it('loads the thumbnails of the questions shown', async () => {
    const page = await open('/?split=val');
    const images = page.locator('.cards img');
    expect(await images.count()).toBe(24);
    for (const i of [0, 1, 23]) {
      await images.nth(i).scrollIntoViewIfNeeded();
      await expect
        .poll(
          () =>
            images.nth(i).evaluate((img) => {
              const i = img as unknown as { complete: boolean; naturalWidth: number };
              return i.complete ? i.naturalWidth : 0;
            }),
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      expect(await images.nth(i).getAttribute('src')).toMatch(/\/v1\/images\/[0-9a-f]{64}$/);
    }
    await closeClean(page);
  });

  it('pages through the questions by cursor', async () => {
    const page = await open('/?split=val');
    const first = await page.locator('.cards .meta').first().textContent();
    await Promise.all([page.waitForURL(/cursor=/), page.getByRole('link', { name: /^Next \d+ questions$/ }).click()]);
    expect(await page.locator('.cards .meta').first().textContent()).not.toBe(first);
    expect(await shownTotal(page)).toBe((await tree('split=val')).total);
    await closeClean(page);
  });

  it('never shows a TEST answer', async () => {
    for (const pagePath of ['/?split=test', `/questions/test/${firstTest}`]) {
      const page = await open(pagePath);
      expect(await page.locator('.correct, .tag').count()).toBe(0);
      expect(await page.locator('body').textContent()).not.toMatch(/Label:/);
      await closeClean(page);
    }
  });

  it('lists every operation of /openapi.json on /docs', async () => {
    const doc = await server.json<{ paths: Record<string, Record<string, { summary?: string }>> }>('/openapi.json');
    const summaries = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.summary!));
    expect(summaries.length).toBeGreaterThan(5);
    const page = await open('/docs');
    for (const summary of summaries) await page.getByText(summary, { exact: true }).first().waitFor({ state: 'attached', timeout: 20_000 });
    await closeClean(page);
  });

  it.skipIf(!existsSync(XLSX))("scores VLMEvalKit's real Qwen2-VL-7B-Instruct xlsx from the upload form", async () => {
    const page = await open('/upload');
    await page
      .getByLabel(/VLMEvalKit prediction file/)
      .setInputFiles({ name: path.basename(XLSX), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(XLSX) });
    await Promise.all([page.waitForURL(/\/upload$/), page.getByRole('button', { name: 'Score on VAL' }).click()]);
    // ../shared/gmai/README.md: Qwen2-VL-7B-Instruct scores 2114 of 4550 on VAL.
    expect(await page.getByTestId('overall-count').textContent()).toBe('2114 / 4550');
    expect(await page.getByTestId('overall').textContent()).toBe('46.5%');
    expect(await page.getByRole('link', { name: 'department (CSV)' }).getAttribute('download')).toBe(
      'Qwen2-VL-7B-Instruct_GMAI-MMBench_VAL_department_acc.csv',
    );
    expect(await seriousViolations(page)).toEqual([]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      expect(await overflowing(page), `run report at ${width}px`).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `run-report-${width}.png`), fullPage: true });
    }
    await closeClean(page);
  });
  if (!existsSync(XLSX)) console.warn(`SKIPPING the upload of a real VLMEvalKit file: ${XLSX} is missing`);

  it('shows the row the API names for a bad upload', async () => {
    const page = await open('/upload');
    await page
      .getByLabel(/VLMEvalKit prediction file/)
      .setInputFiles({ name: 'bad.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(`index\tprediction\n${firstVal}\tA\nseven\tB\n`) });
    await Promise.all([page.waitForURL(/\/upload$/), page.getByRole('button', { name: 'Score on VAL' }).click()]);
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toMatch(/422/);
    expect(alert).toMatch(/line 3|row 3/);
    await closeClean(page);
  });

  interface Board {
    data: Array<{
      rank: number | null;
      run_id: string | null;
      model: string;
      n: number | null;
      correct: number | null;
      accuracy: number | null;
      published: boolean;
      tied: boolean;
    }>;
  }
  /** Every row of the leaderboard table as shown: rank, model, accuracy text, count text, published mark. */
  const boardRows = (page: Page) =>
    page.locator('table.leaderboard tbody tr').evaluateAll((rows) =>
      rows.map((tr) => ({
        rank: tr.querySelector('[data-testid=rank]')!.firstChild!.textContent!.trim(),
        model: tr.querySelector('th a, th')!.firstChild!.textContent!.trim(),
        accuracy: tr.querySelector('.bar-value')!.textContent!.trim(),
        count: tr.querySelector('[data-testid=count]')!.textContent!.trim(),
        published: tr.querySelector('.published-tag')?.textContent ?? null,
      })),
    );
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

  it.each([
    ['split=val', true],
    ['split=val&department=Ophthalmology&modality=Fundus+Photography', false],
  ])('shows the bars of /v1/leaderboard?%s', async (query, whole) => {
    const board = await server.json<Board>(`/v1/leaderboard?${query}`);
    const page = await open(`/leaderboard?${query}`);
    const shown = await boardRows(page);
    expect(shown).toEqual(
      board.data.map((r) => ({
        rank: r.rank === null ? '—' : String(r.rank),
        model: r.model,
        accuracy: pct(r.accuracy),
        count: r.n === null ? 'reference' : `${r.correct} / ${r.n}`,
        published: r.published ? 'published' : null,
      })),
    );
    // Published reference rows exist on the whole split only, and each is marked.
    const published = board.data.filter((r) => r.published).length;
    expect(published > 0).toBe(whole);
    expect(shown.filter((r) => r.published === 'published').length).toBe(published);
    expect(
      board.data
        .filter((r) => !r.published)
        .map((r) => r.run_id)
        .sort(),
    ).toEqual([...runIds].sort());
    // Each stored run links to its page.
    for (const id of runIds) expect(await page.locator(`tr[data-run="${id}"] th a`).getAttribute('href')).toMatch(new RegExp(`^/runs/${id}`));
    await closeClean(page);
  });

  interface StoredReport {
    overall: { n: number; correct: number; accuracy: number };
    by: Record<string, Record<string, { n: number; correct: number; accuracy: number }>>;
    methods: Record<string, number>;
    run: { id: string; model: string };
  }

  it('shows the numbers of GET /v1/runs/{id} on the run page', async () => {
    const query = 'department=Ophthalmology&scorer=vlmevalkit-2026-06';
    // The page draws breakdowns, so it asks for the full report (the API's default is the summary).
    const report = await server.json<StoredReport>(`/v1/runs/${runIds[2]}?${query}&detail=full`);
    const page = await open(`/runs/${runIds[2]}?${query}`);
    expect(await page.getByTestId('overall-count').textContent()).toBe(`${report.overall.correct} / ${report.overall.n}`);
    expect(await page.getByTestId('overall').textContent()).toBe(pct(report.overall.accuracy));
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(report.run.model);
    for (const [method, count] of Object.entries(report.methods)) expect(await page.getByTestId(`method-${method}`).textContent()).toBe(String(count));
    const modalityRows = await page
      .locator('section[aria-labelledby="accuracy-by-modality"] tbody tr')
      .evaluateAll((rows) =>
        rows.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td:last-child')!.textContent!.replace(/\s+/g, ' ').trim()]),
      );
    expect(modalityRows).toEqual(Object.entries(report.by.modality!).map(([name, s]) => [name, `${s.correct} / ${s.n}`]));
    await closeClean(page);
  });

  interface Paired {
    n: number;
    only_a: number;
    only_b: number;
    difference: number;
    mcnemar_p: number;
  }

  it('shows the numbers of GET /v1/compare on the compare page', async () => {
    const query = `a=${runIds[0]}&b=${runIds[2]}&granularity=Image+level`;
    const comparison = await server.json<{ overall: Paired; tree: Record<string, Record<string, Paired>> }>(`/v1/compare?${query}`);
    const page = await open(`/compare?${query}`);
    const overall = page.getByTestId('overall');
    expect(Number(await overall.getAttribute('data-difference'))).toBe(comparison.overall.difference);
    expect(Number(await overall.getAttribute('data-p'))).toBe(comparison.overall.mcnemar_p);
    expect(await page.getByTestId('only-a').textContent()).toBe(String(comparison.overall.only_a));
    expect(await page.getByTestId('only-b').textContent()).toBe(String(comparison.overall.only_b));
    for (const [lexicon, nodes] of Object.entries(comparison.tree)) {
      const rows = await page.locator(`table[data-lexicon="${lexicon}"] tbody tr`).evaluateAll((trs) =>
        trs.map((tr) => ({
          node: tr.getAttribute('data-node'),
          difference: Number(tr.getAttribute('data-difference')),
          p: Number(tr.getAttribute('data-p')),
          marked: tr.querySelector('.sig')?.textContent?.trim() ?? null,
        })),
      );
      expect(rows).toEqual(
        Object.entries(nodes).map(([node, x]) => ({
          node,
          difference: x.difference,
          p: x.mcnemar_p,
          marked: x.mcnemar_p < 0.05 && x.difference !== 0 ? 'significant' : null,
        })),
      );
    }
    await closeClean(page);
  });

  it('picks two runs on the compare page', async () => {
    const page = await open('/compare');
    await page.getByLabel('Run A').selectOption(runIds[1]!);
    await page.getByLabel('Run B').selectOption(runIds[2]!);
    await Promise.all([page.waitForURL(/a=.*b=/), page.getByRole('button', { name: 'Compare' }).click()]);
    const comparison = await server.json<{ overall: Paired }>(`/v1/compare?a=${runIds[1]}&b=${runIds[2]}`);
    expect(await page.getByTestId('only-a').textContent()).toBe(String(comparison.overall.only_a));
    await closeClean(page);
  });

  it('saves an upload with a token as a run and lands on its page', async () => {
    const file =
      HAVE_SHARED && existsSync(XLSX)
        ? { name: path.basename(XLSX), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(XLSX) }
        : { name: 'Letters_GMAI-MMBench_VAL.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(`index\tprediction\n${firstVal}\tA\n`) };
    const page = await open('/upload');
    await page.getByLabel(/VLMEvalKit prediction file/).setInputFiles(file);
    await page.getByLabel('Model name').fill('Saved from the browser');
    await page.getByLabel('Token', { exact: true }).fill(token);
    await Promise.all([page.waitForURL(/\/runs\/run_/), page.getByRole('button', { name: 'Score on VAL' }).click()]);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    expect(page.url()).not.toContain(token);
    expect(await page.content()).not.toContain(token);
    const report = await server.json<StoredReport>(`/v1/runs/${id}`);
    expect(report.run.model).toBe('Saved from the browser');
    expect(await page.getByTestId('overall-count').textContent()).toBe(`${report.overall.correct} / ${report.overall.n}`);
    expect(await seriousViolations(page)).toEqual([]);
    await closeClean(page);
  });
});
