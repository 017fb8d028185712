// npm run gmai -- score | runs import | verify: the CI command (see scripts/gmai/args.ts for usage).
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { runGmai } from './gmai/commands';

const code = await runGmai(process.argv.slice(2), {
  fetch: globalThis.fetch,
  readFile: async (file) => new Uint8Array(await readFile(file)),
  listFiles: (folder) => readdir(folder, { recursive: true }),
  appendFile: (file, text) => appendFile(file, text),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = code;
