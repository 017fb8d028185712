// Layout of a horizontal icicle: one column per tree level (lexicon value → modality → label),
// each node as tall as its share of the questions. Pure: numbers in, rectangles out.

export interface IcicleInput {
  name: string;
  count: number;
  children?: IcicleInput[];
}

export interface IcicleRect<T> {
  node: T;
  /** 0 for the lexicon values, 1 for modalities, 2 for labels. */
  depth: number;
  /** Index of the top-level ancestor (colours follow it). */
  branch: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Rectangles for every node, children stacked inside their parent's vertical span. `columns` gives
 * the x-extent of each depth; nodes deeper than it are not laid out.
 */
export function icicleLayout<T extends IcicleInput>(
  roots: readonly T[],
  height: number,
  columns: ReadonlyArray<readonly [x: number, width: number]>,
): IcicleRect<T>[] {
  const rects: IcicleRect<T>[] = [];
  const total = roots.reduce((n, r) => n + r.count, 0);
  if (total === 0) return rects;
  const place = (nodes: readonly T[], depth: number, top: number, span: number, parentCount: number, branch: number | null) => {
    const column = columns[depth];
    if (!column) return;
    let y = top;
    nodes.forEach((node, i) => {
      const h = (node.count / parentCount) * span;
      const b = branch ?? i;
      rects.push({ node, depth, branch: b, x: column[0], y, width: column[1], height: h });
      if (node.children?.length) place(node.children as T[], depth + 1, y, h, node.count, b);
      y += h;
    });
  };
  place(roots, 0, 0, height, total, null);
  return rects;
}

/** Text that fits `width` at about `charWidth` per character, with an ellipsis when cut. */
export function fitText(text: string, width: number, charWidth: number): string {
  const max = Math.floor(width / charWidth);
  if (text.length <= max) return text;
  return max <= 1 ? '' : `${text.slice(0, max - 1)}…`;
}
