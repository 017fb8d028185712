// One import run: stream the TSV files, validate every row, upload new images, stage rows in
// batches, and commit atomically. Any invalid row aborts the import; the served data stays as it was.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ANSWERS_PUBLIC, LETTERS, type Letter, type Split } from '../../src/dataset/vocabulary';
import { MAX_ROW_BATCH_BYTES, type StagedRow } from '../../src/ingest/contract';
import { MAX_PACK_IMAGES } from '../../src/formats/image-pack';
import type { CommitResult, IngestClient } from './ingest-client';
import { resolveRowImage, type DecodedImage } from './row-image';
import { readHeader, readTsvRecords } from './tsv-records';
import { answerFromCategory } from './answer-from-category';
import { REQUIRED_COLUMNS, rowOptions, tsvCell, tsvRecordToRow } from './tsv-row';

export interface ImportIssue {
  file: string;
  line: number;
  column: string;
  message: string;
}

export interface ImportProgress {
  start(totalBytes: number): void;
  update(bytesRead: number, rows: number): void;
  stop(): void;
}

export interface ImportOptions {
  files: string[];
  split: Split;
  answersFile?: string;
  /**
   * Derive each row's answer from `category` (the correct option's text, kept by the official TEST
   * files). A row where it matches no option or several is a problem that fails the import, unless
   * `allowUnmatched`: then the row is imported without an answer and reported in `warnings`.
   */
  answersFromCategory?: boolean;
  allowUnmatched?: boolean;
  /**
   * For files still being written (npm start imports the generated files as they appear): resolves once
   * `file` is complete. Each file, its header check included, is opened only after that.
   */
  awaitFile?: (file: string) => Promise<void>;
  /** Without a client the run only validates (nothing is sent). */
  client?: IngestClient;
  batchRows?: number;
  progress?: ImportProgress;
}

export interface ImportReport {
  status: CommitResult['status'] | 'invalid' | 'valid';
  rows: number;
  answers: number;
  imagesUploaded: number;
  bytesRead: number;
  seconds: number;
  contentSha256: string | null;
  datasetVersion: string | null;
  issues: ImportIssue[];
  /** Rows imported without an answer under `allowUnmatched`. */
  warnings: ImportIssue[];
}

/** Images are held until uploaded; this bounds that memory (one batch filling, two in flight). */
const IMAGE_BATCH_BYTES = 16 * 1024 * 1024;
const IMAGE_BATCH_COUNT = MAX_PACK_IMAGES;
const UPLOAD_CONCURRENCY = 3;
/** Images above this go alone (streamed); below it they are grouped up to UPLOAD_GROUP_BYTES. */
const SINGLE_UPLOAD_BYTES = 4 * 1024 * 1024;
const UPLOAD_GROUP_BYTES = 4 * 1024 * 1024;
const PLACEHOLDER_SHA = '0'.repeat(64);
/** Flush rows well before the server's MAX_ROW_BATCH_BYTES (JSON wrapping and escapes add a little). */
const ROW_BATCH_BYTES = MAX_ROW_BATCH_BYTES / 2;

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const issues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const { client, split } = options;
  const batchRows = options.batchRows ?? 500;

  if (options.files.length === 0) issues.push({ file: '(none)', line: 0, column: '(file)', message: 'no TSV files given' });
  if (!options.awaitFile) for (const file of options.files) await checkHeader(file, options, issues);
  if (options.awaitFile && options.answersFile) await options.awaitFile(options.answersFile);
  const answerKey = options.answersFile ? await readAnswerKey(options.answersFile, issues) : undefined;
  let bytesRead = 0;
  const report = (status: ImportReport['status'], extra: Partial<ImportReport> = {}): ImportReport => ({
    status,
    rows: 0,
    answers: 0,
    imagesUploaded: 0,
    bytesRead,
    seconds: (performance.now() - started) / 1000,
    contentSha256: null,
    datasetVersion: null,
    issues,
    warnings,
    ...extra,
  });
  if (issues.length) return report('invalid');

  const importId = client ? await client.createImport(split) : null;
  const rowsLane = new Lane();
  const imagesLane = new Lane();
  const hasher = createHash('sha256');
  const shaOfIndex = new Map<number, string>();
  const lineOfIndex = new Map<number, string>();
  const uploadedOrQueued = new Set<string>();
  const deferred: Array<{ fields: Map<string, string>; file: string; line: number; target: number }> = [];
  let rowBatch: StagedRow[] = [];
  let rowBatchBytes = 0;
  let imageBatch: DecodedImage[] = [];
  let imageBatchBytes = 0;
  let rows = 0;
  let answers = 0;
  let imagesUploaded = 0;

  const flushImages = () => {
    const batch = imageBatch;
    imageBatch = [];
    imageBatchBytes = 0;
    if (client && batch.length) imagesLane.push(async () => (imagesUploaded += await uploadMissing(client, batch)));
  };
  const flushRows = () => {
    const batch = rowBatch;
    rowBatch = [];
    rowBatchBytes = 0;
    if (client && importId && batch.length) rowsLane.push(() => client.stageRows(importId, batch));
  };
  const accept = (row: StagedRow) => {
    // Once a row is bad nothing more is sent: the rest is only validated, for the report.
    if (issues.length) return;
    const json = JSON.stringify(row);
    hasher.update(`${json}\n`);
    rows++;
    if (row.answer !== null) answers++;
    rowBatch.push(row);
    rowBatchBytes += Buffer.byteLength(json) + 1;
    if (rowBatch.length >= batchRows || rowBatchBytes >= ROW_BATCH_BYTES) flushRows();
  };
  const addRow = (fields: Map<string, string>, file: string, line: number, sha: string, imageIssue: boolean) => {
    const index = Number(fields.get('index'));
    const keyed = answerKey?.get(index);
    const derived = derivedAnswer(fields, file, line);
    if (keyed && derived && keyed !== derived)
      issues.push({ file, line, column: 'category', message: 'is the text of another option than the answer key names' });
    const result = tsvRecordToRow(fields, sha, keyed ?? derived);
    for (const e of result.errors) issues.push({ file, line, ...e });
    // A hidden split's labels are its answers' text: they are never sent, let alone stored.
    if (result.row && !imageIssue) accept(ANSWERS_PUBLIC[split] ? result.row : { ...result.row, category: null });
  };
  const derivedAnswer = (fields: Map<string, string>, file: string, line: number): Letter | undefined => {
    if (!options.answersFromCategory) return undefined;
    const match = answerFromCategory(tsvCell(fields, 'category'), rowOptions(fields).options);
    if ('letter' in match) return match.letter;
    (options.allowUnmatched ? warnings : issues).push({ file, line, column: 'category', message: match.problem });
    return undefined;
  };

  // Files yet to be written have no size: the progress then shows no percentage or ETA.
  const stats = await Promise.all(options.files.map((f) => stat(f).catch(() => null)));
  options.progress?.start(stats.every((s) => s !== null) ? stats.reduce((n, s) => n + s!.size, 0) : 0);
  try {
    for (const file of options.files) {
      if (options.awaitFile) {
        await options.awaitFile(file);
        const before = issues.length;
        await checkHeader(file, options, issues);
        if (issues.length > before) continue; // as up front: a file without a usable header is not read
      }
      for await (const record of readTsvRecords(file, (n) => (bytesRead += n))) {
        const { fields, line } = record;
        if (record.unreadable) {
          issues.push({ file, line, column: '(row)', message: record.unreadable });
          continue;
        }
        if (record.fieldCountMismatch) issues.push({ file, line, column: '(row)', message: 'has a different number of fields than the header' });
        const indexText = fields.get('index') ?? '';
        const index = /^\d{1,10}$/.test(indexText) ? Number(indexText) : null;
        if (index !== null) {
          const earlier = lineOfIndex.get(index);
          if (earlier) issues.push({ file, line, column: 'index', message: `duplicate index ${index} (first at ${earlier})` });
          else lineOfIndex.set(index, `${file}:${line}`);
        }
        const image = await resolveRowImage(fields, file);
        if (image.kind === 'error') {
          issues.push({ file, line, ...image });
          addRow(fields, file, line, PLACEHOLDER_SHA, true);
        } else if (image.kind === 'reference') {
          const target = shaOfIndex.get(image.index);
          if (target) addRow(fields, file, line, target, false);
          else deferred.push({ fields, file, line, target: image.index });
          if (target && index !== null) shaOfIndex.set(index, target);
        } else {
          if (index !== null) shaOfIndex.set(index, image.image.sha256);
          if (!uploadedOrQueued.has(image.image.sha256)) {
            uploadedOrQueued.add(image.image.sha256);
            imageBatch.push(image.image);
            imageBatchBytes += image.image.bytes.length;
            if (imageBatch.length >= IMAGE_BATCH_COUNT || imageBatchBytes >= IMAGE_BATCH_BYTES) {
              flushImages();
              await imagesLane.idle(1); // backpressure: at most two batches in flight
            }
          }
          addRow(fields, file, line, image.image.sha256, false);
        }
        if (rowsLane.pending > 1) await rowsLane.idle(1);
        options.progress?.update(bytesRead, rows);
      }
    }
    // Back-references to rows further down the files resolve once everything has been read.
    for (const ref of deferred) {
      const target = shaOfIndex.get(ref.target);
      if (target) addRow(ref.fields, ref.file, ref.line, target, false);
      else issues.push({ file: ref.file, line: ref.line, column: 'image', message: `refers to index ${ref.target}, which has no image in these files` });
    }
    if (answerKey) {
      for (const index of answerKey.keys()) {
        if (!lineOfIndex.has(index))
          issues.push({ file: options.answersFile!, line: 0, column: 'index', message: `answer key names index ${index}, which is not in the split` });
      }
    }
    if (rows === 0 && issues.length === 0) issues.push({ file: options.files.join(', '), line: 0, column: '(file)', message: 'contains no rows' });
    flushImages();
    flushRows();
    await Promise.all([imagesLane.idle(0), rowsLane.idle(0)]);
  } catch (err) {
    if (client && importId) await client.abort(importId).catch(() => undefined);
    throw err;
  } finally {
    options.progress?.stop();
  }

  if (issues.length) {
    if (client && importId) await client.abort(importId);
    return report('invalid');
  }
  const contentSha256 = hasher.digest('hex');
  if (!client || !importId) return report('valid', { rows, answers, contentSha256 });
  const committed = await client.commit(importId, contentSha256, rows);
  return report(committed.status, { rows, answers, imagesUploaded, contentSha256, datasetVersion: committed.dataset_version });
}

async function checkHeader(file: string, options: ImportOptions, issues: ImportIssue[]): Promise<void> {
  let header: string[];
  try {
    header = await readHeader(file);
  } catch {
    issues.push({ file, line: 0, column: '(file)', message: 'cannot be read' });
    return;
  }
  const required = [...REQUIRED_COLUMNS];
  if (options.answersFromCategory) required.push('category');
  else if (options.split === 'val' && !options.answersFile) required.push('answer');
  for (const column of required) if (!header.includes(column)) issues.push({ file, line: 1, column, message: 'column is missing from the header' });
  if (!header.includes('image') && !header.includes('image_path'))
    issues.push({ file, line: 1, column: 'image', message: 'needs an image or image_path column' });
}

/** `index<TAB>answer` lines, with or without a header line. */
export async function readAnswerKey(file: string, issues: ImportIssue[]): Promise<Map<number, Letter>> {
  const key = new Map<number, Letter>();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    issues.push({ file, line: 0, column: '(file)', message: 'cannot be read' });
    return key;
  }
  text.split(/\r?\n/).forEach((lineText, i) => {
    if (lineText === '' || (i === 0 && /^index\tanswer$/i.test(lineText))) return;
    const [indexText = '', answer = '', ...rest] = lineText.split('\t');
    const line = i + 1;
    if (rest.length || !/^\d{1,10}$/.test(indexText)) issues.push({ file, line, column: 'index', message: 'expected "index<TAB>answer"' });
    else if (!(LETTERS as readonly string[]).includes(answer)) issues.push({ file, line, column: 'answer', message: 'must be one of A-E' });
    else if (key.has(Number(indexText))) issues.push({ file, line, column: 'index', message: `duplicate index ${indexText}` });
    else key.set(Number(indexText), answer as Letter);
  });
  return key;
}

async function uploadMissing(client: IngestClient, batch: DecodedImage[]): Promise<number> {
  const missing = new Set(await client.missingImages(batch.map((i) => i.sha256)));
  const toSend = batch.filter((i) => missing.has(i.sha256));
  // Small images travel in image packs (far fewer requests); big ones are streamed one by one.
  const requests: Array<() => Promise<void>> = [];
  let group: DecodedImage[] = [];
  let groupBytes = 0;
  for (const image of toSend) {
    if (image.bytes.length > SINGLE_UPLOAD_BYTES) {
      requests.push(() => client.putImage(image));
      continue;
    }
    if (groupBytes + image.bytes.length > UPLOAD_GROUP_BYTES && group.length) {
      const full = group;
      requests.push(() => client.putImages(full));
      group = [];
      groupBytes = 0;
    }
    group.push(image);
    groupBytes += image.bytes.length;
  }
  if (group.length) requests.push(() => client.putImages(group));
  const workers = Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
    for (let next = requests.shift(); next; next = requests.shift()) await next();
  });
  await Promise.all(workers);
  return missing.size;
}

/** Runs pushed tasks side by side in the background (callers bound them with `idle`); the first failure is rethrown. */
class Lane {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;

  get pending(): number {
    return this.running.size;
  }

  push(task: () => Promise<unknown>): void {
    const run: Promise<void> = Promise.resolve()
      .then(() => (this.failure === null ? task() : undefined))
      .then(
        () => undefined,
        (err: unknown) => void (this.failure ??= err),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Waits until at most `maxPending` tasks are left. */
  async idle(maxPending: number): Promise<void> {
    while (this.running.size > maxPending) await Promise.race(this.running);
    if (this.failure !== null) throw this.failure;
  }
}
