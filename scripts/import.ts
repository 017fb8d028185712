// npm run import -- <files...> --split val|test [--answers key.tsv | --answers-from-category [--allow-unmatched]] [--url URL] [--token T] [--check]
import { parseArgs } from 'node:util';
import { SPLITS, type Split } from '../src/dataset/vocabulary';
import { MAX_ROWS_PER_BATCH } from '../src/ingest/contract';
import { IngestClient, IngestError } from './import/ingest-client';
import { TerminalProgress } from './import/progress';
import { runImport, type ImportIssue, type ImportReport } from './import/run-import';
import { adminToken, DEFAULT_URL } from './local-dev';

const USAGE = `usage: npm run import -- <file.tsv...> --split val|test [--answers key.tsv] [--answers-from-category [--allow-unmatched]] [--url ${DEFAULT_URL}] [--token T] [--check]
  TEST parts are given together, in order (GMAI_mm_bench_TEST_part_1.tsv ... _part_11.tsv).
  --answers  index<TAB>answer file with the hidden TEST answers (operators only)
  --answers-from-category  derive each answer from \`category\`, the correct option's text, which the
             official TEST files keep; a row where it matches no option or several fails the import
             (with --answers as well, the two must agree)
  --allow-unmatched  with --answers-from-category: import such rows without an answer (listed as warnings)
  --check    validate only; send nothing
  --batch-rows N  rows per ingest request (default 500, at most ${MAX_ROWS_PER_BATCH})`;

const SHOWN_ISSUES = 50;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        split: { type: 'string' },
        answers: { type: 'string' },
        'answers-from-category': { type: 'boolean' },
        'allow-unmatched': { type: 'boolean' },
        url: { type: 'string' },
        token: { type: 'string' },
        check: { type: 'boolean' },
        'batch-rows': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || !(SPLITS as readonly string[]).includes(values.split ?? '') || positionals.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const split = values.split as Split;
  if (values['allow-unmatched'] && !values['answers-from-category']) {
    console.error(`--allow-unmatched only applies with --answers-from-category\n${USAGE}`);
    return 2;
  }
  const batchRows = Number(values['batch-rows'] ?? 500);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > MAX_ROWS_PER_BATCH) {
    console.error(`--batch-rows must be an integer from 1 to ${MAX_ROWS_PER_BATCH}\n${USAGE}`);
    return 2;
  }
  let client: IngestClient | undefined;
  if (!values.check) {
    const token = adminToken(values.token);
    if (!token) {
      console.error('No admin token: pass --token, set GMAI_ADMIN_TOKEN, or run `npm start` once to create .dev.vars.');
      return 2;
    }
    client = new IngestClient(values.url ?? DEFAULT_URL, token);
  }
  try {
    const report = await runImport({
      files: positionals,
      split,
      answersFile: values.answers,
      answersFromCategory: values['answers-from-category'],
      allowUnmatched: values['allow-unmatched'],
      client,
      batchRows,
      progress: new TerminalProgress(`import ${split}`),
    });
    printReport(split, report);
    return report.status === 'invalid' ? 1 : 0;
  } catch (err) {
    if (err instanceof IngestError) {
      console.error(`import failed, nothing was changed: ${err.message}`);
      return 3;
    }
    throw err;
  }
}

function printReport(split: Split, r: ImportReport): void {
  if (r.warnings.length) console.error(`import ${split}: ${r.warnings.length} row(s) without an answer (--allow-unmatched):`);
  printIssues(r.warnings);
  if (r.status === 'invalid') {
    console.error(`import ${split}: ${r.issues.length} problem(s); nothing was changed.`);
    printIssues(r.issues);
    return;
  }
  const mb = r.bytesRead / 1e6;
  console.log(
    `import ${split}: ${r.status}: ${r.rows} rows (${r.answers} with answers), ${r.imagesUploaded} new images, ` +
      `${mb.toFixed(1)} MB in ${r.seconds.toFixed(1)} s (${(r.rows / r.seconds).toFixed(0)} rows/s, ${(mb / r.seconds).toFixed(1)} MB/s)` +
      (r.datasetVersion ? `; dataset version ${r.datasetVersion}` : ''),
  );
}

function printIssues(issues: ImportIssue[]): void {
  for (const i of issues.slice(0, SHOWN_ISSUES)) console.error(`  ${i.file}:${i.line}: column "${i.column}" ${i.message}`);
  if (issues.length > SHOWN_ISSUES) console.error(`  ... and ${issues.length - SHOWN_ISSUES} more`);
}

process.exitCode = await main();
