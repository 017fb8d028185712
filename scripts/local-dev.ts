// Where the local development Worker keeps its secrets and how the Node scripts reach it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKeyText } from '../src/receipts/jws';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEV_VARS = path.join(REPO_ROOT, '.dev.vars');
export const DEFAULT_URL = 'http://127.0.0.1:8787';

export function readDevVar(name: string, file = DEV_VARS): string | undefined {
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).replace(/^(["'])(.*)\1$/, '$2');
}

/** The local admin token, created on first use (wrangler dev loads .dev.vars as secrets). */
export function ensureLocalAdminToken(file = DEV_VARS): string {
  return readDevVar('ADMIN_TOKEN', file) || appendDevVar('ADMIN_TOKEN', randomBytes(24).toString('base64url'), file);
}

/** The local receipt signing key (a private Ed25519 JWK), created on first use like the admin token. */
export async function ensureLocalReceiptKey(file = DEV_VARS): Promise<void> {
  // Single quotes: dotenv would otherwise read the JWK's double quotes as the value's own quoting.
  if (!readDevVar('RECEIPT_SIGNING_KEY', file)) appendDevVar('RECEIPT_SIGNING_KEY', `'${await generateSigningKeyText()}'`, file);
}

function appendDevVar(name: string, value: string, file: string): string {
  writeFileSync(file, `${name}=${value}\n`, { flag: 'a' });
  return value;
}

/** Token for admin commands: --token, then GMAI_ADMIN_TOKEN, then the local .dev.vars. */
export function adminToken(flag: string | undefined): string | undefined {
  return flag ?? process.env.GMAI_ADMIN_TOKEN ?? readDevVar('ADMIN_TOKEN');
}
