import { describe, expect, it } from 'vitest';
import { MIN_HIDDEN_SPLIT_NODE, visibleChildren } from './score-report';

const node = (name: string, n: number) => ({ name, n });
const names = (nodes: { name: string }[]) => nodes.map((x) => x.name);

describe('visibleChildren (hidden answers)', () => {
  it('hides children under the minimum size', () => {
    expect(MIN_HIDDEN_SPLIT_NODE).toBe(30);
    expect(names(visibleChildren([node('a', 40), node('b', 30), node('c', 29)], 99 + 30))).toEqual(['a', 'b']);
  });

  it('hides a small sibling as well when parent minus the shown children would reveal a hidden one', () => {
    // 35 = 31 + 4: showing the 31 would give away the 4 by subtraction.
    expect(names(visibleChildren([node('big', 31), node('small', 4)], 35))).toEqual([]);
    // 100 = 60 + 35 + 5: hiding the 35 as well leaves a remainder of 40.
    expect(names(visibleChildren([node('a', 60), node('b', 35), node('c', 5)], 100))).toEqual(['a']);
  });

  it('keeps every child when nothing is hidden or the hidden remainder is large enough', () => {
    expect(names(visibleChildren([node('a', 30), node('b', 30)], 60))).toEqual(['a', 'b']);
    expect(names(visibleChildren([node('a', 50), node('b', 10), node('c', 20)], 80))).toEqual(['a']);
  });
});
