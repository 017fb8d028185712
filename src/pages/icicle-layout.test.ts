import { describe, expect, it } from 'vitest';
import { fitText, icicleLayout } from './icicle-layout';

describe('icicleLayout', () => {
  const roots = [
    {
      name: 'a',
      count: 30,
      children: [
        { name: 'a1', count: 10 },
        { name: 'a2', count: 20 },
      ],
    },
    { name: 'b', count: 10, children: [{ name: 'b1', count: 10 }] },
  ];

  it('stacks children inside their parent, heights proportional to counts', () => {
    const rects = icicleLayout(roots, 400, [
      [0, 100],
      [100, 50],
    ]);
    const box = (name: string) => {
      const r = rects.find((r) => r.node.name === name)!;
      return [r.depth, r.branch, r.x, r.y, r.width, r.height];
    };
    expect(box('a')).toEqual([0, 0, 0, 0, 100, 300]);
    expect(box('b')).toEqual([0, 1, 0, 300, 100, 100]);
    expect(box('a1')).toEqual([1, 0, 100, 0, 50, 100]);
    expect(box('a2')).toEqual([1, 0, 100, 100, 50, 200]);
    expect(box('b1')).toEqual([1, 1, 100, 300, 50, 100]);
  });

  it('lays out only the levels it has columns for, and nothing for no questions', () => {
    expect(icicleLayout(roots, 400, [[0, 100]]).map((r) => r.node.name)).toEqual(['a', 'b']);
    expect(icicleLayout([{ name: 'x', count: 0 }], 400, [[0, 100]])).toEqual([]);
  });
});

describe('fitText', () => {
  it('cuts with an ellipsis what does not fit', () => {
    expect(fitText('Disease Diagnosis', 100, 10)).toBe('Disease D…');
    expect(fitText('CT', 100, 10)).toBe('CT');
    expect(fitText('CT (3)', 10, 10)).toBe('');
  });
});
