// Splits a split's rows into cells (task, department, modality) with so many Box rows, Image
// rows and Mask/Contour twin pairs, hitting every target marginal exactly:
//  1. proportional fitting over the plausible placements gives a fractional table; its floors
//     are kept;
//  2. a max-flow task → department → modality places the rest (department = node capacity) and
//     each department's share is joined task × modality by a transport;
//  3. where that join had to pair outside the placements, swaps between two cells that keep all
//     three marginals move the rows back onto plausible cells;
//  4. a transport cells × kinds splits each cell into Box/Image/twin rows; twin rows are then
//     made even, pair by pair.
import { FlowNetwork, fitProportional, integerTransport, sum } from './flow';
import { KINDS, TASK_PROFILES, allowsBox, type Kind } from './placements';
import { apportion, type SplitTargets } from './targets';
import { CLINICAL_TASKS, DEPARTMENTS, MODALITIES, type ClinicalTask, type Department, type Modality } from './vocabulary';

export interface RowCell {
  task: ClinicalTask;
  department: Department;
  modality: Modality;
  boxRows: number;
  imageRows: number;
  twinPairs: number;
}

/** Indices into CLINICAL_TASKS, DEPARTMENTS, MODALITIES. */
type CellKey = readonly [task: number, department: number, modality: number];

interface Placement {
  key: CellKey;
  weight: number;
  kinds: readonly Kind[];
}

/** Row counts by cell, keyed by `CellKey.join(',')`. */
type CellCounts = Map<string, number>;

export function allocateRowCells(targets: SplitTargets): RowCell[] {
  const totals: readonly number[][] = [
    CLINICAL_TASKS.map((t) => targets.tasks[t]),
    DEPARTMENTS.map((d) => targets.departments[d]),
    MODALITIES.map((m) => targets.modalities[m]),
  ];
  const placements = plausiblePlacements(targets);
  const floors = fitProportional(placements, totals).map(Math.floor);
  const cells: CellCounts = new Map();
  placements.forEach((p, i) => addTo(cells, p.key, floors[i] ?? 0));
  const rest = totals.map((dimTotals, dim) => dimTotals.map((total, v) => total - sum(placements.map((p, i) => (p.key[dim] === v ? (floors[i] ?? 0) : 0)))));
  const placed = routeByFlow(placements, rest);
  if (!placed) throw new Error('the placements cannot carry the rows the floors left over');
  for (const [k, n] of placed) cells.set(k, (cells.get(k) ?? 0) + n);
  const plausible = new Set(placements.map((p) => p.key.join(',')));
  moveOntoPlacements(cells, plausible);
  const stray = [...cells.keys()].filter((k) => !plausible.has(k));
  if (stray.length > 0) throw new Error(`rows left outside the placements: ${stray.join(' ')}`);
  return assignKinds(cells, placements, targets);
}

function addTo(cells: CellCounts, key: CellKey, n: number): void {
  const k = key.join(',');
  if (n > 0) cells.set(k, (cells.get(k) ?? 0) + n);
}

function parseKey(k: string): CellKey {
  const [t = 0, d = 0, m = 0] = k.split(',').map(Number);
  return [t, d, m];
}

function plausiblePlacements(targets: SplitTargets): Placement[] {
  const out: Placement[] = [];
  CLINICAL_TASKS.forEach((task, t) => {
    const profile = TASK_PROFILES[task];
    for (const place of profile.places) {
      for (const modality of place.modalities) {
        if (targets.tasks[task] > 0 && targets.departments[place.department] > 0 && targets.modalities[modality] > 0) {
          out.push({
            key: [t, DEPARTMENTS.indexOf(place.department), MODALITIES.indexOf(modality)],
            weight: (place.weight ?? 1) / place.modalities.length,
            kinds: kindsAllowed(place.kinds ?? (Object.keys(profile.kinds) as Kind[]), modality),
          });
        }
      }
    }
  });
  return out;
}

function kindsAllowed(kinds: readonly Kind[], modality: Modality): Kind[] {
  return kinds.filter((k) => k !== 'box' || allowsBox(modality));
}

/**
 * Max-flow task → department → modality (so all three marginals hold), then inside each
 * department a transport joins its tasks to its modalities, along placements where it can.
 * Null when the pairings the placements allow cannot carry the totals.
 */
function routeByFlow(placements: Placement[], [tasks = [], departments = [], modalities = []]: readonly number[][]): CellCounts | null {
  if ([...tasks, ...departments, ...modalities].some((n) => n < 0)) return null;
  const net = new FlowNetwork();
  const source = net.addNode();
  const sink = net.addNode();
  const bound = sum(tasks);
  const taskNodes = net.addNodesFrom(source, tasks);
  const departmentNodes = departments.map((n) => {
    const inNode = net.addNode();
    const outNode = net.addNode();
    net.addEdge(inNode, outNode, n);
    return [inNode, outNode] as const;
  });
  const modalityNodes = net.addNodesInto(sink, modalities);
  const taskEdges = new Map<string, number>();
  const modalityEdges = new Map<string, number>();
  for (const {
    key: [t, d, m],
  } of placements) {
    const [inNode, outNode] = departmentNodes[d] as readonly [number, number];
    if (!taskEdges.has(`${t},${d}`)) taskEdges.set(`${t},${d}`, net.addEdge(taskNodes[t] as number, inNode, bound));
    if (!modalityEdges.has(`${d},${m}`)) modalityEdges.set(`${d},${m}`, net.addEdge(outNode, modalityNodes[m] as number, bound));
  }
  if (net.maxFlow(source, sink) !== bound) return null;
  const flowOf = (edge: number | undefined): number => (edge === undefined ? 0 : net.flowOn(edge));
  const plausible = new Set(placements.map((p) => p.key.join(',')));
  const placed: CellCounts = new Map();
  DEPARTMENTS.forEach((_, d) => {
    const inflow = CLINICAL_TASKS.map((_, t) => flowOf(taskEdges.get(`${t},${d}`)));
    const outflow = MODALITIES.map((_, m) => flowOf(modalityEdges.get(`${d},${m}`)));
    if (sum(inflow) === 0) return;
    const table =
      integerTransport(inflow, outflow, (t, m) => (plausible.has(`${t},${d},${m}`) ? 1 : 0)) ??
      integerTransport(inflow, outflow, (t, m) => (plausible.has(`${t},${d},${m}`) ? 1 : 1e-6));
    table?.forEach((line, t) => line.forEach((n, m) => addTo(placed, [t, d, m], n)));
  });
  return placed;
}

/**
 * Moves rows off cells outside the placements. Swapping one coordinate between two rows,
 * (t,d,m) + (t',d',m') → (t',d,m) + (t,d',m') (likewise for d or m), keeps every marginal.
 */
function moveOntoPlacements(cells: CellCounts, plausible: ReadonlySet<string>): void {
  for (const [k, count] of [...cells]) {
    if (plausible.has(k)) continue;
    const a = parseKey(k);
    for (let left = count; left > 0; left--) {
      const swap = findSwap(a, cells, plausible);
      if (!swap) break;
      for (const [key, delta] of swap) {
        const next = (cells.get(key) ?? 0) + delta;
        if (next === 0) cells.delete(key);
        else cells.set(key, next);
      }
    }
  }
}

function findSwap(a: CellKey, cells: CellCounts, plausible: ReadonlySet<string>): [string, number][] | null {
  for (const [k, n] of cells) {
    if (n <= 0 || !plausible.has(k)) continue;
    const b = parseKey(k);
    for (let dim = 0; dim < 3; dim++) {
      const a2 = a.map((v, i) => (i === dim ? b[i] : v)).join(',');
      const b2 = b.map((v, i) => (i === dim ? a[i] : v)).join(',');
      if (plausible.has(a2) && plausible.has(b2))
        return [
          [a.join(','), -1],
          [k, -1],
          [a2, 1],
          [b2, 1],
        ];
    }
  }
  return null;
}

/** Splits every cell into Box / Image / twin rows with exact kind totals and even twin rows. */
function assignKinds(cells: CellCounts, placements: Placement[], targets: SplitTargets): RowCell[] {
  const kindsByKey = new Map(placements.map((p) => [p.key.join(','), p.kinds]));
  const entries = [...cells].map(([k, n]) => {
    const key = parseKey(k);
    const profile = TASK_PROFILES[CLINICAL_TASKS[key[0]] as ClinicalTask];
    const kinds = kindsByKey.get(k) as readonly Kind[];
    return { key, n, weights: KINDS.map((kind) => (kinds.includes(kind) ? (profile.kinds[kind] ?? 0) : 0)) };
  });
  const table = integerTransport(
    entries.map((e) => e.n),
    [targets.boxRows, targets.imageRows, 2 * targets.twinPairs],
    (i, k) => entries[i]?.weights[k] ?? 0,
  );
  if (!table) throw new Error('no plausible granularity split hits the targets');
  const box = KINDS.indexOf('box');
  const image = KINDS.indexOf('image');
  const twin = KINDS.indexOf('twin');
  // Twin rows come in pairs: round each odd cell down into Image (every twin-capable task
  // allows Image), then buy rows back two at a time from the twin-capable cells richest in Image.
  let owed = 0;
  for (const line of table) {
    if ((line[twin] ?? 0) % 2 === 1) {
      line[twin] = (line[twin] ?? 0) - 1;
      line[image] = (line[image] ?? 0) + 1;
      owed++;
    }
  }
  const donors = table.filter((_, i) => (entries[i]?.weights[twin] ?? 0) > 0);
  while (owed > 0) {
    const donor = donors.reduce<number[] | undefined>((best, line) => ((line[image] ?? 0) > (best?.[image] ?? 1) ? line : best), undefined);
    if (!donor) throw new Error('cannot pair the twin rows');
    donor[image] = (donor[image] ?? 0) - 2;
    donor[twin] = (donor[twin] ?? 0) + 2;
    owed -= 2;
  }
  return entries.map(({ key: [t, d, m] }, i) => {
    const line = table[i] ?? [];
    return {
      task: CLINICAL_TASKS[t] as ClinicalTask,
      department: DEPARTMENTS[d] as Department,
      modality: MODALITIES[m] as Modality,
      boxRows: line[box] ?? 0,
      imageRows: line[image] ?? 0,
      twinPairs: (line[twin] ?? 0) / 2,
    };
  });
}

/**
 * The cells of a `scale`-times smaller split: units (Box rows, Image rows, twin pairs) are
 * apportioned per (cell, kind), after one unit each for a few groups chosen so every task,
 * department, modality and granularity present stays present.
 */
export function shrinkRowCells(cells: readonly RowCell[], scale: number): RowCell[] {
  const unitsOf = { box: (c: RowCell) => c.boxRows, image: (c: RowCell) => c.imageRows, twin: (c: RowCell) => c.twinPairs };
  const groups = cells.flatMap((cell, c) => KINDS.map((kind) => ({ c, kind, units: unitsOf[kind](cell) }))).filter((g) => g.units > 0);
  const covers = (g: { c: number; kind: Kind }): string[] => {
    const cell = cells[g.c] as RowCell;
    return [`t:${cell.task}`, `d:${cell.department}`, `m:${cell.modality}`, `k:${g.kind}`];
  };
  const min = groups.map(() => 0);
  const uncovered = new Set(groups.flatMap(covers));
  while (uncovered.size > 0) {
    // Greedy set cover: the group covering most missing values, then the larger group.
    const gain = (i: number): number => covers(groups[i] as (typeof groups)[number]).filter((v) => uncovered.has(v)).length;
    let best = 0;
    for (let i = 1; i < groups.length; i++) {
      if (gain(i) > gain(best) || (gain(i) === gain(best) && (groups[i]?.units ?? 0) > (groups[best]?.units ?? 0))) best = i;
    }
    min[best] = 1;
    for (const v of covers(groups[best] as (typeof groups)[number])) uncovered.delete(v);
  }
  const units = groups.map((g) => g.units);
  const shares = apportion(units, Math.max(sum(min), Math.round(sum(units) * scale)), min, units);
  const shrunk = cells.map((cell) => ({ ...cell, boxRows: 0, imageRows: 0, twinPairs: 0 }));
  groups.forEach((g, i) => {
    const cell = shrunk[g.c] as RowCell;
    const n = shares[i] ?? 0;
    if (g.kind === 'box') cell.boxRows = n;
    else if (g.kind === 'image') cell.imageRows = n;
    else cell.twinPairs = n;
  });
  return shrunk.filter((cell) => cell.boxRows + cell.imageRows + cell.twinPairs > 0);
}
