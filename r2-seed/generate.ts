// CLI: npx tsx r2-seed/generate.ts --out r2-seed/data [--seed N] [--scale F] [--no-large]
// Generates the default synthetic GMAI-MMBench dataset (see write-dataset.ts for the files).
import { parseArgs } from 'node:util';
import { writeDataset } from './write-dataset';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'r2-seed/data' },
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '1' },
    'no-large': { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const scale = Number(values.scale);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed must be an integer in [0, 2^32): ${values.seed}`);
if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1]: ${values.scale}`);

// Under `npm start` (an IPC channel) the parent imports each file as soon as it is written.
const manifest = writeDataset({ out: values.out, seed, scale, large: !values['no-large'], onFileWritten: (name) => process.send?.({ written: name }) });
const megabytes = (split: 'val' | 'test'): string =>
  (manifest.files.filter((f) => f.split === split && f.role === 'questions').reduce((n, f) => n + f.bytes, 0) / 1e6).toFixed(1);
console.log(
  `wrote ${manifest.rows.val} VAL rows (${megabytes('val')} MB) and ${manifest.rows.test} TEST rows (${megabytes('test')} MB) to ${values.out} in ${(manifest.generationMs / 1000).toFixed(1)} s`,
);
