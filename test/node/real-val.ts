// The real VAL rows (../shared/gmai, no images) as VLMEvalKit's localized TSV with generated images.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { formatTsvRow } from '../../src/formats/tsv-writer';
import { SHARED_GMAI } from './support';

/** The records of the real VAL metadata file, header first. */
export function readRealVal(): string[][] {
  return parse(readFileSync(path.join(SHARED_GMAI, 'GMAI-MMBench_VAL.meta.tsv')), { delimiter: '\t', relax_quotes: false }) as string[][];
}

/** Writes the real rows as VLMEvalKit's localized TSV: same columns plus image_path to PNG files. */
export function writeLocalizedVal(dir: string, records: string[][], mutate?: (record: string[], i: number) => string[]): string {
  const [header, ...rows] = records;
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  // 64 distinct images shared round-robin: the importer must store each only once.
  const distinct = Array.from({ length: 64 }, (_, k) => {
    const png = new PNG({ width: 8 + k, height: 8 });
    png.data.fill(k * 4);
    return PNG.sync.write(png);
  });
  const lines = [formatTsvRow([...header!, 'image_path'])];
  rows.forEach((row, i) => {
    writeFileSync(path.join(dir, 'images', `${row[0]}.png`), distinct[i % distinct.length]!);
    lines.push(formatTsvRow([...(mutate ? mutate(row, i) : row), `images/${row[0]}.png`]));
  });
  const file = path.join(dir, 'GMAI-MMBench_VAL_local.tsv');
  writeFileSync(file, lines.join(''));
  return file;
}
