// Child process of the bench: one import, then its report and the process's peak resident memory
// as one JSON line (measured in its own process so the bench's memory does not count).
import { parseArgs } from 'node:util';
import type { Split } from '../src/dataset/vocabulary';
import { IngestClient } from '../scripts/import/ingest-client';
import { runImport } from '../scripts/import/run-import';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { split: { type: 'string' }, answers: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } },
});
const report = await runImport({
  files: positionals,
  split: values.split as Split,
  answersFile: values.answers,
  client: new IngestClient(values.url!, values.token!),
});
console.log(
  JSON.stringify({
    status: report.status,
    rows: report.rows,
    bytes: report.bytesRead,
    seconds: report.seconds,
    issues: report.issues.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
