// Where the local development Worker keeps its secrets and how the Node scripts reach it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEV_VARS = path.join(REPO_ROOT, '.dev.vars');
export const DEFAULT_URL = 'http://127.0.0.1:8787';

export function readDevVar(name: string, file = DEV_VARS): string | undefined {
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8').split(/\r?\n/).find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).replace(/^"(.*)"$/, '$1');
}

/** The local admin token, created on first use (wrangler dev loads .dev.vars as secrets). */
export function ensureLocalAdminToken(file = DEV_VARS): string {
  const existing = readDevVar('ADMIN_TOKEN', file);
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `ADMIN_TOKEN=${token}\n`, { flag: 'a' });
  return token;
}

/** Token for admin commands: --token, then GMAI_ADMIN_TOKEN, then the local .dev.vars. */
export function adminToken(flag: string | undefined): string | undefined {
  return flag ?? process.env.GMAI_ADMIN_TOKEN ?? readDevVar('ADMIN_TOKEN');
}
