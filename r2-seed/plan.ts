// The whole content of a split except the pixels: every row's text columns and the recipe of
// its image. Pure and fast, so the marginals can be tested at full scale without encoding PNGs.
import { answerSlots, type AnswerSlot } from './answer-slots';
import type { ImageSpec, Overlay } from './image';
import { isColorModality, labelVocabulary } from './labels';
import { isVolumetric, type Kind } from './placements';
import { Rng, hashString } from './prng';
import { makeQuestion } from './questions';
import { allocateRowCells, shrinkRowCells, type RowCell } from './row-cells';
import { apportionRecord, splitTargets, type Split } from './targets';
import { ANSWER_LETTERS, type AnswerLetter, type ClinicalTask, type Department, type Granularity, type Modality, type OriginalTask } from './vocabulary';

export interface PlanOptions {
  seed: number;
  /** 0 < scale ≤ 1: shrink the split proportionally (tests). */
  scale?: number;
  /** Include the ~300 KB and ~2 MB benchmark images (default true). */
  large?: boolean;
}

/** The row's own PNG, or VLMEvalKit's back-reference to an earlier row's image. */
export type RowImage = { kind: 'png'; spec: ImageSpec } | { kind: 'ref'; index: number };

export interface RowPlan {
  index: number;
  question: string;
  /** 2–5 option texts, A first. */
  options: string[];
  answer: AnswerLetter;
  category: string;
  task: ClinicalTask;
  department: Department;
  granularity: Granularity;
  modality: Modality;
  originalTask: OriginalTask;
  image: RowImage;
}

export interface SplitPlan {
  split: Split;
  rows: RowPlan[];
  /** Indices of the incompressible benchmark images (absent without `large`). */
  largeImages: { approxBytes: number; index: number }[];
}

/** Target PNG sizes of the benchmark images: noise makes the PNG as big as its raw RGB pixels. */
const LARGE_IMAGE_BYTES = [300_000, 2_000_000] as const;
/** Share of Image-level rows that back-reference an earlier row's image / re-encode an identical one. */
const REFERENCE_SHARE = 0.06;
const DUPLICATE_SHARE = 0.01;

export function planRows(split: Split, options: PlanOptions): SplitPlan {
  const { seed, scale = 1, large = true } = options;
  const rng = new Rng(seed, hashString(split));
  const targets = splitTargets(split);
  const full = allocateRowCells(targets);
  const cells = scale < 1 ? shrinkRowCells(full, scale) : full;
  const rowCount = cells.reduce((n, c) => n + c.boxRows + c.imageRows + 2 * c.twinPairs, 0);
  const twinPairs = cells.reduce((n, c) => n + c.twinPairs, 0);
  const slots = answerSlots(
    scale < 1 ? apportionRecord(targets.answers, rowCount) : targets.answers,
    scale < 1 ? apportionRecord(targets.optionCounts, rowCount) : targets.optionCounts,
    twinPairs,
    rng,
  );
  const rows: RowPlan[] = [];
  for (const { cell, kind } of unitOrder(cells, rng)) {
    const slot = (kind === 'twin' ? slots.pairs : slots.singles).pop();
    if (!slot) throw new Error('ran out of answer slots');
    const question = questionContent(cell, slot, seed, rng);
    const spec = { caseSeed: rng.uint32(), ...imageSize(rng), color: isColorModality(cell.modality) };
    const add = (granularity: Granularity, overlay: Overlay, originalTask: OriginalTask): void => {
      rows.push({
        index: rows.length,
        question: makeQuestion(cell.task, granularity, cell.modality, rng),
        ...question,
        task: cell.task,
        department: cell.department,
        granularity,
        modality: cell.modality,
        originalTask,
        image: { kind: 'png', spec: { ...spec, overlay } },
      });
    };
    if (kind === 'box') add('Box level', 'box', 'DET_2D');
    else if (kind === 'image') add('Image level', 'none', 'CLS_2D');
    else {
      // Twins: one case, asked once with a filled mask and once with its contour.
      const segTask = isVolumetric(cell.modality) && rng.chance(0.85) ? 'SEG_3D' : 'SEG_2D';
      add('Mask level', 'mask', segTask);
      add('Contour level', 'contour', segTask);
    }
  }
  const largeImages = large ? placeLargeImages(rows, rng) : [];
  shareImages(rows, new Set(largeImages.map((l) => l.index)), rng);
  return { split, rows, largeImages };
}

/** Units (one Box row, one Image row, or one twin pair) grouped by cell, cells in random order. */
function unitOrder(cells: readonly RowCell[], rng: Rng): { cell: RowCell; kind: Kind }[] {
  return rng.shuffle([...cells]).flatMap((cell) => {
    const units: Kind[] = [...Array<Kind>(cell.boxRows).fill('box'), ...Array<Kind>(cell.imageRows).fill('image'), ...Array<Kind>(cell.twinPairs).fill('twin')];
    return rng.shuffle(units).map((kind) => ({ cell, kind }));
  });
}

function questionContent(cell: RowCell, slot: AnswerSlot, seed: number, rng: Rng): Pick<RowPlan, 'options' | 'answer' | 'category'> {
  const vocabulary = labelVocabulary(cell.task, cell.modality, seed);
  const category = rng.pick(vocabulary);
  const options = rng.shuffle(vocabulary.filter((label) => label !== category)).slice(0, slot.optionCount - 1);
  options.splice(ANSWER_LETTERS.indexOf(slot.answer), 0, category);
  return { options, answer: slot.answer, category };
}

/** Mostly small pictures (fast to generate, modest TSVs), a few larger ones, varied aspect. */
function imageSize(rng: Rng): { width: number; height: number } {
  const roll = rng.float();
  const side = roll < 0.92 ? rng.int(96, 160) : roll < 0.99 ? rng.int(160, 256) : rng.int(256, 512);
  const aspect = 0.75 + 0.5 * rng.float();
  return { width: side, height: Math.max(64, Math.round(side * aspect)) };
}

function placeLargeImages(rows: RowPlan[], rng: Rng): SplitPlan['largeImages'] {
  const candidates = rows.filter((r) => r.granularity === 'Image level');
  return LARGE_IMAGE_BYTES.map((approxBytes) => {
    const row = candidates.splice(rng.int(0, candidates.length - 1), 1)[0];
    if (row?.image.kind !== 'png') throw new Error('no Image-level row for a large image');
    const side = Math.round(Math.sqrt(approxBytes / 3));
    row.image.spec = { ...row.image.spec, width: side, height: side, color: true, incompressible: true };
    return { approxBytes, index: row.index };
  });
}

/**
 * Some Image-level rows share an earlier row's image: most by VLMEvalKit's back-reference
 * (the `image` cell holds the earlier index), a few by carrying byte-identical PNG data.
 * Referenced rows always hold data themselves; the large images are left alone.
 */
function shareImages(rows: RowPlan[], large: ReadonlySet<number>, rng: Rng): void {
  const holders = new Map<Modality, RowPlan[]>();
  for (const row of rows) {
    if (row.granularity !== 'Image level' || large.has(row.index)) continue;
    const earlier = holders.get(row.modality) ?? [];
    const roll = rng.float();
    if (earlier.length > 0 && roll < REFERENCE_SHARE) {
      row.image = { kind: 'ref', index: rng.pick(earlier).index };
      continue;
    }
    if (earlier.length > 0 && roll < REFERENCE_SHARE + DUPLICATE_SHARE) row.image = { ...rng.pick(earlier).image };
    earlier.push(row);
    holders.set(row.modality, earlier);
  }
}
