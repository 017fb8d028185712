import { describe, expect, it } from 'vitest';
import { badgeMessage, badgeSvg, shieldsEndpoint } from './badge';

describe('run badge', () => {
  it('is a shields.io endpoint document with the accuracy, counts and a colour band', () => {
    expect(shieldsEndpoint({ label: 'GMAI-MMBench VAL', correct: 2114, n: 4550 })).toEqual({
      schemaVersion: 1,
      label: 'GMAI-MMBench VAL',
      message: '46.5% (2,114/4,550)',
      color: 'yellow',
    });
    expect(shieldsEndpoint({ label: 'x', correct: 60, n: 100 }).color).toBe('brightgreen');
    expect(shieldsEndpoint({ label: 'x', correct: 59, n: 100 }).color).toBe('green');
    expect(shieldsEndpoint({ label: 'x', correct: 0, n: 100 }).color).toBe('red');
    expect(shieldsEndpoint({ label: 'x', correct: 0, n: 0 })).toMatchObject({ message: 'no data', color: 'lightgrey' });
    expect(badgeMessage({ label: 'x', correct: 21281, n: 21281 })).toBe('100.0% (21,281/21,281)');
  });

  it('renders a well-formed SVG with escaped text', () => {
    const svg = badgeSvg({ label: 'A&B <model>', correct: 1, n: 3 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('A&amp;B &lt;model&gt;');
    expect(svg).not.toContain('<model>');
    expect(svg).toContain('33.3% (1/3)');
    expect(svg).toContain('#fe7d37'); // 33.3% is in the orange band (30–40%)
    // Every opened element is closed (a cheap well-formedness check without an XML parser).
    const opened = [...svg.matchAll(/<([a-zA-Z]+)([^>]*)>/g)].filter((m) => !m[2]!.endsWith('/')).map((m) => m[1]);
    const closed = [...svg.matchAll(/<\/([a-zA-Z]+)>/g)].map((m) => m[1]);
    expect(closed.sort()).toEqual(opened.sort());
  });
});
