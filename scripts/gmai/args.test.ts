import { describe, expect, it } from 'vitest';
import { fraction, parseGmaiArgs, UsageError } from './args';

describe('gmai arguments', () => {
  it('parses a score command with gates, defaults and environment fallbacks', () => {
    expect(parseGmaiArgs(['score', 'p.xlsx', '--split', 'val', '--min-accuracy', '45%'], { GMAI_URL: 'https://x.test/', GMAI_TOKEN: 't' })).toEqual({
      command: 'score',
      file: 'p.xlsx',
      split: 'val',
      url: 'https://x.test',
      token: 't',
      minAccuracy: 0.45,
    });
    expect(
      parseGmaiArgs(['score', 'p.json', '--split', 'test', '--compare-to', 'run_1', '--save', '--model', ' M ', '--token', 'flag'], { GMAI_TOKEN: 'env' }),
    ).toEqual({
      command: 'score',
      file: 'p.json',
      split: 'test',
      url: 'http://127.0.0.1:8787',
      token: 'flag',
      compare: { run: 'run_1', maxDrop: 0, alpha: 0.05 },
      save: { model: 'M' },
    });
    expect(
      parseGmaiArgs(['score', 'p.json', '--split', 'val', '--compare-to', 'r', '--max-drop', '0.01', '--alpha', '0.1', '--scorer', 'vlmevalkit-2026-06']),
    ).toMatchObject({
      scorer: 'vlmevalkit-2026-06',
      compare: { run: 'r', maxDrop: 0.01, alpha: 0.1 },
    });
  });

  it('treats empty environment variables as unset', () => {
    expect(parseGmaiArgs(['verify', 'x'], { GMAI_URL: '', GMAI_TOKEN: '' })).toEqual({ command: 'verify', subject: 'x', url: 'http://127.0.0.1:8787' });
  });

  it('parses runs import and verify', () => {
    expect(parseGmaiArgs(['runs', 'import', 'out/', '--visibility', 'private', '--token', 't'])).toEqual({
      command: 'runs-import',
      folder: 'out/',
      url: 'http://127.0.0.1:8787',
      token: 't',
      visibility: 'private',
    });
    expect(parseGmaiArgs(['verify', 'a.b.c', '--jwks', 'k.json'])).toEqual({
      command: 'verify',
      subject: 'a.b.c',
      url: 'http://127.0.0.1:8787',
      jwksFile: 'k.json',
    });
  });

  it.each([
    [[], /no command/],
    [['scores', 'x'], /unknown command "scores"/],
    [['score', '--split', 'val'], /exactly one predictions file/],
    [['score', 'a', 'b', '--split', 'val'], /exactly one predictions file/],
    [['score', 'a', '--split', 'train'], /--split must be val or test/],
    [['score', 'a'], /--split must be val or test/],
    [['score', 'a', '--split', 'val', '--min-accuracy', '1.5'], /--min-accuracy must be a fraction/],
    [['score', 'a', '--split', 'val', '--min-accuracy', ''], /--min-accuracy must be a fraction/],
    [['score', 'a', '--split', 'val', '--max-drop', '0.1'], /only apply with --compare-to/],
    [['score', 'a', '--split', 'val', '--compare-to', 'r', '--alpha', '1'], /--alpha must be between 0 and 1/],
    [['score', 'a', '--split', 'val', '--save'], /--save needs --model/],
    [['score', 'a', '--split', 'val', '--model', 'm'], /--model only applies with --save/],
    [['score', 'a', '--split', 'val', '--url', 'ftp://x'], /--url must start with http/],
    [['score', 'a', '--split', 'val', '--bogus'], /Unknown option '--bogus'/],
    [['score', 'a', '--split', 'val', '--jwks', 'k'], /score does not take --jwks/],
    [['runs', 'list'], /unknown runs command "list"/],
    [['runs', 'import'], /exactly one folder/],
    [['runs', 'import', 'f', '--visibility', 'hidden'], /--visibility must be public or private/],
    [['verify'], /one receipt or run id/],
    [['verify', 'x', '--token', 't'], /verify does not take --token/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseGmaiArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseGmaiArgs(argv as string[])).toThrow(message);
  });

  it('reads fractions and percentages', () => {
    expect(fraction('0.5', 'x')).toBe(0.5);
    expect(fraction('50%', 'x')).toBe(0.5);
    expect(fraction(' 0 ', 'x')).toBe(0);
    expect(() => fraction('abc', 'x')).toThrow(UsageError);
    expect(() => fraction('-1%', 'x')).toThrow(UsageError);
  });
});
