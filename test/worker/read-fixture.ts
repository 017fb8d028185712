// Test data for the read API's Worker tests, imported through the admin API exactly as the importer
// does. Values are chosen to be awkward: commas, parentheses, slashes, quotes and SQL in filter
// values, the N/A department, 2 to 5 options, index gaps, VAL and TEST indexes that overlap, and TEST
// labels that are easy to spot if they ever leak.
import { GRANULARITIES, LETTERS, ORIGINAL_TASKS } from '../../src/dataset/vocabulary';
import type { StagedRow } from '../../src/ingest/contract';
import { importSplit, makePng, row, sha256Hex, uploadImage } from './support';

export const TASKS = ['Disease Diagnosis', 'Bone', 'Counting', 'Organ Recognition - Head and Neck'];
export const DEPARTMENTS = [
  'Ophthalmology',
  'Otolaryngology (ENT)/Head and Neck Surgery',
  null,
  'Oncology (Medical)',
  `O'Hara, "quoted"; DROP TABLE questions; --`,
];
export const MODALITIES = ['Fundus Photography', 'CT', 'X-ray', "' OR 1=1 --", 'T1 weighted MRI'];
const OPTION_POOL = ['polyp', 'normal', 'cataract, mature', 'glaucoma (suspected)', 'left/right', "barrett's esophagus", 'drusen', 'AND', 'NEAR', 'none'];

/** Marks every TEST label, so a leak is a plain substring search. */
export const SECRET_LABEL = 'SECRET-LABEL-';

function attributes(i: number) {
  return {
    clinical_vqa_task: TASKS[i % TASKS.length]!,
    department: DEPARTMENTS[Math.floor(i / 4) % DEPARTMENTS.length]!,
    perceptual_granularity: GRANULARITIES[Math.floor(i / 20) % GRANULARITIES.length]!,
    modality: MODALITIES[(i * 3) % MODALITIES.length]!,
    original_task: ORIGINAL_TASKS[Math.floor(i / 7) % ORIGINAL_TASKS.length]!,
  };
}

function options(i: number): string[] {
  return Array.from({ length: 2 + (i % 4) }, (_, k) => OPTION_POOL[(i + k) % OPTION_POOL.length]!);
}

function questionText(i: number): string {
  const topic = i % 5 === 0 ? "Barrett's esophagus" : i % 3 === 0 ? 'fundus image' : 'scan';
  return `Case ${i}: what does this ${topic} show?`;
}

export interface ReadFixture {
  val: StagedRow[];
  test: StagedRow[];
  images: Uint8Array[];
}

export function fixtureRows(shas: readonly string[], valCount = 240, testCount = 180): Omit<ReadFixture, 'images'> {
  const val = Array.from({ length: valCount }, (_, i) => {
    const opts = options(i);
    const answer = i % opts.length;
    return row(3 * i, shas[i % shas.length]!, {
      question: questionText(i),
      options: opts,
      answer: LETTERS[answer]!,
      category: opts[answer]!,
      ...attributes(i),
    });
  });
  const test = Array.from({ length: testCount }, (_, i) => {
    const opts = options(i + 1);
    return row(i, shas[(i + 1) % shas.length]!, {
      question: questionText(i + 1),
      options: opts,
      answer: LETTERS[i % opts.length]!,
      category: `${SECRET_LABEL}${i}`,
      ...attributes(i + 2),
    });
  });
  return { val, test };
}

/** Uploads three images and imports both splits; throws if any step fails. */
export async function seedReadFixture(valCount?: number, testCount?: number): Promise<ReadFixture> {
  const images = await Promise.all([makePng(40, 30, 10), makePng(8, 8, 200), makePng(64, 48, 90)]);
  for (const png of images) {
    const uploaded = await uploadImage(png);
    if (uploaded.status !== 201) throw new Error(`image upload failed: ${uploaded.status}`);
  }
  const rows = fixtureRows(await Promise.all(images.map((png) => sha256Hex(png))), valCount, testCount);
  for (const [split, splitRows] of [
    ['val', rows.val],
    ['test', rows.test],
  ] as const) {
    const imported = await importSplit(split, splitRows, await sha256Hex(new TextEncoder().encode(JSON.stringify(splitRows))));
    if (imported.status !== 200) throw new Error(`import of ${split} failed: ${imported.status} ${await imported.text()}`);
  }
  return { ...rows, images };
}
