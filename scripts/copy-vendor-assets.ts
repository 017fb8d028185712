// Copies the browser bundles the pages serve from node_modules into public/vendor/ (git-ignored),
// so /docs works offline from the Worker's own static assets. Run before start, test, bench, deploy.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './local-dev';

export function copyVendorAssets(): void {
  const target = path.join(REPO_ROOT, 'public', 'vendor', 'scalar');
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js'), path.join(target, 'standalone.js'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) copyVendorAssets();
