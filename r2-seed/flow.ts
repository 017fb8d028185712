// Integer max-flow (Dinic) and the transport helper built on it: the row planner uses them to
// turn target marginals into integer tables that hit every marginal exactly.

export class FlowNetwork {
  private readonly to: number[] = [];
  private readonly capacity: number[] = [];
  private readonly original: number[] = [];
  private readonly adjacency: number[][] = [];

  addNode(): number {
    this.adjacency.push([]);
    return this.adjacency.length - 1;
  }

  /** Returns the edge id; its reverse edge is id ^ 1. */
  addEdge(from: number, to: number, capacity: number): number {
    const id = this.to.length;
    this.to.push(to, from);
    this.capacity.push(capacity, 0);
    this.original.push(capacity, 0);
    this.adjacency[from]?.push(id);
    this.adjacency[to]?.push(id + 1);
    return id;
  }

  /** One new node per capacity, fed from `from` through an edge of that capacity. */
  addNodesFrom(from: number, capacities: readonly number[]): number[] {
    return capacities.map((capacity) => {
      const node = this.addNode();
      this.addEdge(from, node, capacity);
      return node;
    });
  }

  /** One new node per capacity, draining into `to` through an edge of that capacity. */
  addNodesInto(to: number, capacities: readonly number[]): number[] {
    return capacities.map((capacity) => {
      const node = this.addNode();
      this.addEdge(node, to, capacity);
      return node;
    });
  }

  flowOn(edge: number): number {
    return (this.original[edge] ?? 0) - (this.capacity[edge] ?? 0);
  }

  maxFlow(source: number, sink: number): number {
    let total = 0;
    for (;;) {
      const level = this.levels(source);
      if ((level[sink] ?? -1) < 0) return total;
      const cursor = new Array<number>(this.adjacency.length).fill(0);
      for (let pushed = this.push(source, sink, Infinity, level, cursor); pushed > 0; pushed = this.push(source, sink, Infinity, level, cursor)) {
        total += pushed;
      }
    }
  }

  private levels(source: number): number[] {
    const level = new Array<number>(this.adjacency.length).fill(-1);
    level[source] = 0;
    const queue = [source];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as number;
      for (const edge of this.adjacency[node] ?? []) {
        const next = this.to[edge] as number;
        if ((this.capacity[edge] ?? 0) > 0 && (level[next] ?? 0) < 0) {
          level[next] = (level[node] ?? 0) + 1;
          queue.push(next);
        }
      }
    }
    return level;
  }

  private push(node: number, sink: number, limit: number, level: number[], cursor: number[]): number {
    if (node === sink) return limit;
    const edges = this.adjacency[node] ?? [];
    for (; (cursor[node] ?? 0) < edges.length; cursor[node] = (cursor[node] ?? 0) + 1) {
      const edge = edges[cursor[node] ?? 0] as number;
      const next = this.to[edge] as number;
      const room = this.capacity[edge] ?? 0;
      if (room <= 0 || level[next] !== (level[node] ?? 0) + 1) continue;
      const pushed = this.push(next, sink, Math.min(limit, room), level, cursor);
      if (pushed > 0) {
        this.capacity[edge] = room - pushed;
        this.capacity[edge ^ 1] = (this.capacity[edge ^ 1] ?? 0) + pushed;
        return pushed;
      }
    }
    return 0;
  }
}

/**
 * Non-negative integer table with exactly the given row and column sums, zero wherever
 * weight(i, j) is 0, and otherwise close to proportional to the weights: iterative
 * proportional fitting gives a fractional table, its floors are kept and max-flow places the
 * remainder. Returns null when the support cannot carry the sums.
 */
export function integerTransport(rows: readonly number[], cols: readonly number[], weight: (row: number, col: number) => number): number[][] | null {
  const cells = rows.flatMap((_, i) => cols.map((_, j) => ({ key: [i, j], weight: weight(i, j) }))).filter((c) => c.weight > 0);
  const fitted = fitProportional(cells, [rows, cols]);
  const table = rows.map(() => cols.map(() => 0));
  cells.forEach(({ key: [i = 0, j = 0] }, n) => ((table[i] as number[])[j] = Math.floor(fitted[n] ?? 0)));
  const rowRest = rows.map((total, i) => total - sum(table[i] ?? []));
  const colRest = cols.map((total, j) => total - sum(table.map((line) => line[j] ?? 0)));
  const placed = placeByFlow(rowRest, colRest, weight);
  if (placed) return table.map((line, i) => line.map((v, j) => v + (placed[i]?.[j] ?? 0)));
  // The floors can block a feasible remainder; fall back to a flow over the whole table.
  return placeByFlow(rows, cols, weight);
}

function placeByFlow(rows: readonly number[], cols: readonly number[], weight: (row: number, col: number) => number): number[][] | null {
  if (sum(rows) !== sum(cols) || [...rows, ...cols].some((total) => total < 0)) return null;
  const net = new FlowNetwork();
  const source = net.addNode();
  const sink = net.addNode();
  const rowNodes = net.addNodesFrom(source, rows);
  const colNodes = net.addNodesInto(sink, cols);
  const edges = rows.map((_, i) => cols.map((_, j) => (weight(i, j) > 0 ? net.addEdge(rowNodes[i] as number, colNodes[j] as number, sum(rows)) : -1)));
  if (net.maxFlow(source, sink) !== sum(rows)) return null;
  return edges.map((line) => line.map((edge) => (edge < 0 ? 0 : net.flowOn(edge))));
}

/**
 * Iterative proportional fitting: scales the weights of sparse cells (one coordinate per
 * dimension) until, in every dimension, each value's cells add up to its total.
 */
export function fitProportional(cells: readonly { key: readonly number[]; weight: number }[], totals: readonly (readonly number[])[]): number[] {
  const values = cells.map((cell) => Math.max(0, cell.weight));
  for (let round = 0; round < 200; round++) {
    totals.forEach((dimTotals, dim) => {
      const current = dimTotals.map(() => 0);
      cells.forEach((cell, i) => {
        const v = cell.key[dim] as number;
        current[v] = (current[v] ?? 0) + (values[i] ?? 0);
      });
      cells.forEach((cell, i) => {
        const v = cell.key[dim] as number;
        const c = current[v] ?? 0;
        values[i] = c > 0 ? ((values[i] ?? 0) * (dimTotals[v] ?? 0)) / c : 0;
      });
    });
  }
  return values;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
