// Production code stands on its own: no module under src/ (other than tests) imports test support,
// fixtures or the Node tooling (scripts/, r2-seed/, bench/), which the Worker bundle must not contain.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/local-dev';

const OUTSIDE = ['test', 'scripts', 'r2-seed', 'bench'];
const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function productionModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return productionModules(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function forbiddenImports(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3]!;
    if (!specifier.startsWith('.')) continue;
    const top = path.relative(REPO_ROOT, path.resolve(path.dirname(file), specifier)).split(path.sep)[0]!;
    if (OUTSIDE.includes(top)) found.push(`${path.relative(REPO_ROOT, file)} imports ${specifier}`);
  }
  return found;
}

describe('module boundaries', () => {
  it('finds an import of test support (the check itself works)', () => {
    const file = path.join(REPO_ROOT, 'src/questions/example.ts');
    expect(forbiddenImports(file, "import { api } from '../../test/worker/support';\nimport { x } from './y';")).toEqual([
      'src/questions/example.ts imports ../../test/worker/support',
    ]);
    expect(forbiddenImports(file, "export { row } from '../../scripts/import/tsv-row';")).toHaveLength(1);
  });

  it('no production module under src/ imports test/, scripts/, r2-seed/ or bench/', () => {
    const files = productionModules(path.join(REPO_ROOT, 'src'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => forbiddenImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });
});
