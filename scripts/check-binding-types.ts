// `npm test` step: fails when worker-configuration.d.ts no longer matches wrangler.toml (and
// wrangler.secrets.env). It regenerates the file exactly as `npm run types` does and compares;
// the committed file is left as it was, so a failing check changes nothing in the tree.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './local-dev';

const file = path.join(REPO_ROOT, 'worker-configuration.d.ts');
const committed = readFileSync(file, 'utf8');
const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
const [command, ...args] = scripts.types!.split(' ');
execFileSync(path.join(REPO_ROOT, 'node_modules/.bin', command!), args, { cwd: REPO_ROOT, stdio: 'ignore' });
const generated = readFileSync(file, 'utf8');
if (generated !== committed) {
  writeFileSync(file, committed);
  console.error('worker-configuration.d.ts is out of date with wrangler.toml: run `npm run types` and commit it.');
  process.exit(1);
}
console.log('worker-configuration.d.ts matches wrangler.toml.');
