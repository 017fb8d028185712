// Argument parsing of `npm run gmai -- <command>`: pure, so every usage error is tested directly.
import { parseArgs } from 'node:util';

export const USAGE = `Usage:
  npm run gmai -- score <predictions file> --split val|test [--url URL] [--token TOKEN] [--scorer NAME]
                   [--min-accuracy X] [--compare-to RUN --max-drop D --alpha A] [--save --model NAME]
  npm run gmai -- runs import <folder> [--model NAME] [--visibility public|private] [--url URL] [--token TOKEN]
  npm run gmai -- verify <receipt | run id> [--url URL] [--jwks FILE]

  --min-accuracy X   fail (exit 1) when overall accuracy is below X (a fraction like 0.45, or 45%)
  --compare-to RUN   paired comparison with a stored run on the questions both answered; fail when this
                     submission is worse by more than --max-drop D (default 0; fraction or %) and
                     McNemar's exact p-value is below --alpha A (default 0.05)
  --save             store the submission as a run (POST /v1/runs; needs --model and a token)
  The URL defaults to $GMAI_URL or http://127.0.0.1:8787; the token to $GMAI_TOKEN.
  Exit codes: 0 every gate passes, 1 a gate fails, 2 anything else (usage, file, server).`;

export type Split = 'val' | 'test';

export interface Connection {
  readonly url: string;
  readonly token?: string;
}

export interface ScoreCommand extends Connection {
  readonly command: 'score';
  readonly file: string;
  readonly split: Split;
  readonly scorer?: string;
  readonly minAccuracy?: number;
  readonly compare?: { readonly run: string; readonly maxDrop: number; readonly alpha: number };
  readonly save?: { readonly model: string };
}

export interface ImportCommand extends Connection {
  readonly command: 'runs-import';
  readonly folder: string;
  readonly model?: string;
  readonly visibility?: 'public' | 'private';
}

export interface VerifyCommand extends Omit<Connection, 'token'> {
  readonly command: 'verify';
  /** A compact JWS or a run id. */
  readonly subject: string;
  readonly jwksFile?: string;
}

export type GmaiCommand = ScoreCommand | ImportCommand | VerifyCommand;

/** A usage problem: the CLI prints it with the usage text and exits 2. */
export class UsageError extends Error {}

export const DEFAULT_GMAI_URL = 'http://127.0.0.1:8787';

export function parseGmaiArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): GmaiCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        split: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        scorer: { type: 'string' },
        'min-accuracy': { type: 'string' },
        'compare-to': { type: 'string' },
        'max-drop': { type: 'string' },
        alpha: { type: 'string' },
        save: { type: 'boolean' },
        model: { type: 'string' },
        visibility: { type: 'string' },
        jwks: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  // An empty variable (common in CI templates) counts as unset.
  const url = (values.url ?? (env.GMAI_URL || DEFAULT_GMAI_URL)).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must start with http:// or https:// (got ${url})`);
  const token = values.token ?? (env.GMAI_TOKEN || undefined);
  const [command, ...rest] = positionals;
  const allowed = (names: string[]) => {
    const extra = Object.keys(values).filter((name) => !names.includes(name));
    if (extra.length) throw new UsageError(`${command} does not take --${extra.join(', --')}`);
  };

  if (command === 'score') {
    allowed(['split', 'url', 'token', 'scorer', 'min-accuracy', 'compare-to', 'max-drop', 'alpha', 'save', 'model']);
    const file = single(rest, 'score needs exactly one predictions file');
    if (values.split !== 'val' && values.split !== 'test') throw new UsageError('--split must be val or test');
    const compareOnly = ['max-drop', 'alpha'].filter((name) => values[name as 'alpha'] !== undefined);
    if (!values['compare-to'] && compareOnly.length) throw new UsageError(`--${compareOnly.join(' and --')} only apply with --compare-to`);
    if (values.model !== undefined && !values.save) throw new UsageError('--model only applies with --save');
    if (values.save && !values.model?.trim()) throw new UsageError('--save needs --model NAME');
    if (values.scorer !== undefined && !values.scorer.trim()) throw new UsageError('--scorer needs a name');
    return {
      command: 'score',
      file,
      split: values.split,
      url,
      ...(token ? { token } : {}),
      ...(values.scorer ? { scorer: values.scorer } : {}),
      ...(values['min-accuracy'] !== undefined ? { minAccuracy: fraction(values['min-accuracy'], '--min-accuracy') } : {}),
      ...(values['compare-to']
        ? {
            compare: {
              run: values['compare-to'],
              maxDrop: values['max-drop'] === undefined ? 0 : fraction(values['max-drop'], '--max-drop'),
              alpha: values.alpha === undefined ? 0.05 : probability(values.alpha),
            },
          }
        : {}),
      ...(values.save ? { save: { model: values.model!.trim() } } : {}),
    };
  }
  if (command === 'runs') {
    const [sub, ...folders] = rest;
    if (sub !== 'import') throw new UsageError(`unknown runs command ${JSON.stringify(sub ?? '')} (expected: runs import <folder>)`);
    allowed(['url', 'token', 'model', 'visibility']);
    const folder = single(folders, 'runs import needs exactly one folder');
    if (values.visibility !== undefined && values.visibility !== 'public' && values.visibility !== 'private')
      throw new UsageError('--visibility must be public or private');
    return {
      command: 'runs-import',
      folder,
      url,
      ...(token ? { token } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values.visibility ? { visibility: values.visibility } : {}),
    };
  }
  if (command === 'verify') {
    allowed(['url', 'jwks']);
    return { command: 'verify', subject: single(rest, 'verify needs one receipt or run id'), url, ...(values.jwks ? { jwksFile: values.jwks } : {}) };
  }
  throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : 'no command given');
}

function single(values: readonly string[], message: string): string {
  if (values.length !== 1 || !values[0]) throw new UsageError(message);
  return values[0];
}

/** "0.45" or "45%" → 0.45, within [0, 1]. */
export function fraction(text: string, flag: string): number {
  const percent = text.trim().endsWith('%');
  const number = Number(percent ? text.trim().slice(0, -1) : text.trim());
  const value = percent ? number / 100 : number;
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new UsageError(`${flag} must be a fraction 0–1 or a percentage (got ${JSON.stringify(text)})`);
  return value;
}

function probability(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value >= 1)
    throw new UsageError(`--alpha must be between 0 and 1, exclusive (got ${JSON.stringify(text)})`);
  return value;
}
