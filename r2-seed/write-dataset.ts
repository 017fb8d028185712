// Writes the generated dataset: the VAL TSV, the hidden TEST answer key, the 11 TEST parts and
// a manifest. Rows stream to disk one at a time, images are encoded as they are written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashedFile, type WrittenFile } from './hashed-file';
import { renderPng } from './image';
import { planRows, type RowPlan, type SplitPlan } from './plan';
import { formatTsvRow, type TsvField } from '../src/formats/tsv-writer';
import { TEST_COLUMNS, TEST_PARTS, VAL_COLUMNS } from './vocabulary';

export const VAL_FILE = 'GMAI-MMBench_VAL.tsv';
export const TEST_ANSWERS_FILE = 'GMAI-MMBench_TEST_answers.tsv';
export const MANIFEST_FILE = 'manifest.json';
export const testPartFile = (part: number): string => `GMAI_mm_bench_TEST_part_${part}.tsv`;
/** The paths of all TEST parts in `dir`, in order (the importer takes them together). */
export const testPartFiles = (dir: string): string[] => Array.from({ length: TEST_PARTS }, (_, i) => join(dir, testPartFile(i + 1)));

export interface DatasetOptions {
  out: string;
  seed: number;
  scale: number;
  /** Include the ~300 KB and ~2 MB benchmark images. */
  large: boolean;
  /**
   * Called with each file's name once it is complete (VAL first; TEST's answer key before its parts), so
   * a caller can import the files meanwhile.
   */
  onFileWritten?: (name: string) => void;
}

export interface Manifest {
  generator: string;
  seed: number;
  scale: number;
  rows: { val: number; test: number };
  files: (WrittenFile & { split: 'val' | 'test'; role: 'questions' | 'answers'; firstIndex: number })[];
  largeImages: { split: 'val' | 'test'; index: number; targetBytes: number; pngBytes: number }[];
  generatedAt: string;
  generationMs: number;
}

export function writeDataset(options: DatasetOptions): Manifest {
  const started = performance.now();
  mkdirSync(options.out, { recursive: true });
  const manifest: Omit<Manifest, 'generatedAt' | 'generationMs'> = {
    generator: 'r2-seed/generate.ts',
    seed: options.seed,
    scale: options.scale,
    rows: { val: 0, test: 0 },
    files: [],
    largeImages: [],
  };
  for (const split of ['val', 'test'] as const) {
    const plan = planRows(split, options);
    const written = writeSplit(plan, options.out, options.onFileWritten);
    manifest.rows[split] = plan.rows.length;
    manifest.files.push(...written.files);
    manifest.largeImages.push(...written.largeImages);
  }
  const complete: Manifest = { ...manifest, generatedAt: new Date().toISOString(), generationMs: Math.round(performance.now() - started) };
  writeFileSync(join(options.out, MANIFEST_FILE), `${JSON.stringify(complete, null, 2)}\n`);
  return complete;
}

function writeSplit({ split, rows, largeImages }: SplitPlan, out: string, onFileWritten?: (name: string) => void): Pick<Manifest, 'files' | 'largeImages'> {
  const withAnswer = split === 'val';
  const parts = withAnswer ? [{ name: VAL_FILE, rows }] : splitParts(rows).map((partRows, i) => ({ name: testPartFile(i + 1), rows: partRows }));
  const largeTargets = new Map(largeImages.map((l) => [l.index, l.approxBytes]));
  const written: Pick<Manifest, 'files' | 'largeImages'> = { files: [], largeImages: [] };
  // The key first: an importer reads it before the parts.
  if (!withAnswer) {
    written.files.push({ split, role: 'answers', firstIndex: 0, ...writeAnswerKey(join(out, TEST_ANSWERS_FILE), rows) });
    onFileWritten?.(TEST_ANSWERS_FILE);
  }
  for (const part of parts) {
    const file = new HashedFile(join(out, part.name));
    file.write(formatTsvRow(withAnswer ? VAL_COLUMNS : TEST_COLUMNS), false);
    for (const row of part.rows) {
      const image = imageCell(row);
      const targetBytes = largeTargets.get(row.index);
      if (targetBytes !== undefined) written.largeImages.push({ split, index: row.index, targetBytes, pngBytes: Buffer.byteLength(image, 'base64') });
      file.write(formatTsvRow(rowFields(row, image, withAnswer)));
    }
    written.files.push({ split, role: 'questions', firstIndex: part.rows[0]?.index ?? 0, ...file.close() });
    onFileWritten?.(part.name);
  }
  return written;
}

/** TEST rows in 11 consecutive parts of (almost) equal row counts, as the official files. */
export function splitParts<T>(rows: readonly T[], parts = TEST_PARTS): T[][] {
  const base = Math.floor(rows.length / parts);
  const extra = rows.length % parts;
  let start = 0;
  return Array.from({ length: parts }, (_, i) => {
    const size = base + (i < extra ? 1 : 0);
    start += size;
    return rows.slice(start - size, start);
  });
}

function imageCell(row: RowPlan): string {
  return row.image.kind === 'ref' ? String(row.image.index) : renderPng(row.image.spec).toString('base64');
}

function rowFields(row: RowPlan, image: string, withAnswer: boolean): TsvField[] {
  const options = [0, 1, 2, 3, 4].map((i) => row.options[i] ?? null);
  return [
    row.index,
    row.question,
    ...options,
    ...(withAnswer ? [row.answer] : []),
    row.category,
    row.task,
    row.department || null,
    row.granularity,
    row.modality,
    row.originalTask,
    image,
  ];
}

function writeAnswerKey(path: string, rows: readonly RowPlan[]): WrittenFile {
  const file = new HashedFile(path);
  file.write(formatTsvRow(['index', 'answer']), false);
  for (const row of rows) file.write(formatTsvRow([row.index, row.answer]));
  return file.close();
}
