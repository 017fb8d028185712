import { describe, expect, it } from 'vitest';
import { TASK_PROFILES } from './placements';
import { planRows, type RowPlan, type SplitPlan } from './plan';

// Expected counts copied from docs/gmai-mmbench.md (§2, §3), not from the generator's tables.
const DOC_TASKS = `Attribute Recognition 135, Blood Vessels
Recognition 135, Bone 175, Cell Recognition 115, Counting 188, Disease Diagnosis 2122, Image Quality
Grading 50, Microorganism Recognition 135, Muscle 50, Nervous Tissue 40, Organ Recognition - Abdomen 245,
Organ Recognition - Head and Neck 155, Organ Recognition - Pelvic 75, Organ Recognition - Thorax 170,
Severity Grading 336, Surgeon Action Recognition 115, Surgical Instrument Recognition 239, Surgical
Workflow Recognition 70`;
const DOC_DEPARTMENTS = `Cardiovascular Surgery 85, Dermatology 185, Endocrinology 50,
Gastroenterology and Hepatology 410, General Surgery 454, Hematology 458, Infectious Diseases 35,
Laboratory Medicine and Pathology 257, Nephrology and Hypertension 75, Neurosurgery 55, Obstetrics and
Gynecology 75, Oncology (Medical) 347, Ophthalmology 569, Orthopedic Surgery 360, Otolaryngology
(ENT)/Head and Neck Surgery 130, Pulmonary Medicine 405, Sports Medicine 345, Urology 180, empty 75`;
const DOC_MODALITIES = `ADC MRI 8, ASL MRI, Adaptive Optics
Ophthalmoscopy 10, CMR, CT 934, CTA, Colposcopy 15, DCE MRI 10, DE MRI, DTI MRI, DWI MRI, Dermoscopy 210,
Endoscopy 654, FLAIR MRI 10, Fat MRI, Fundus Photography 409, Gadolinium MRI 4, Histopathology 624,
In-phase MRI 2, Infrared Reflectance (IR) imaging 75, LGE MRI, MP-RAGE MRI, MRI 706, Microscopy 218,
OCT 95, Opposed-phase MRI 8, PD MRI, SWI MRI 2, T1 MRI, T1 weighted MRI 10, T1Gd MRI 10, T1ce MRI,
T2 MRI, T2 weighted MRI 26, Texture Characterization of Bone Radiograph 10, UltraSound 105, Water MRI,
X-ray 395`;
const DOC_GRANULARITIES = { 'Box level': 295, 'Contour level': 947, 'Image level': 2361, 'Mask level': 947 };
const DOC_PAPER_GRANULARITIES = { 'Box level': 1715, 'Contour level': 5587, 'Image level': 12942, 'Mask level': 5587 };
const DOC_ANSWERS = { A: 1150, B: 1175, C: 1055, D: 977, E: 193 };
const DOC_OPTION_COUNTS = { 2: 304, 3: 165, 4: 3075, 5: 1006 };

/** "Name 12, Other name, …" → { Name: 12, 'Other name': 0 } ("empty" is the empty department). */
function docCounts(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of text.replace(/\s+/g, ' ').split(', ')) {
    const [, name = '', count] = /^(.*?)(?: (\d+))?$/.exec(item.trim()) ?? [];
    out[name === 'empty' ? '' : name] = Number(count ?? 0);
  }
  return out;
}

function countBy(rows: readonly RowPlan[], column: (row: RowPlan) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[column(row)] = (out[column(row)] ?? 0) + 1;
  return out;
}

const present = (counts: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

const val = planRows('val', { seed: 1 });
const test = planRows('test', { seed: 1 });

describe('VAL plan at full scale reproduces the documented marginals', () => {
  for (const seed of [1, 2]) {
    const rows = seed === 1 ? val.rows : planRows('val', { seed }).rows;
    it(`seed ${seed}: rows, tasks, departments, modalities, granularities, answers, option counts`, () => {
      expect(rows.map((r) => r.index)).toEqual(Array.from({ length: 4550 }, (_, i) => i));
      expect(countBy(rows, (r) => r.task)).toEqual(docCounts(DOC_TASKS));
      expect(countBy(rows, (r) => r.department)).toEqual(docCounts(DOC_DEPARTMENTS));
      expect(countBy(rows, (r) => r.modality)).toEqual(present(docCounts(DOC_MODALITIES)));
      expect(countBy(rows, (r) => r.granularity)).toEqual(DOC_GRANULARITIES);
      expect(countBy(rows, (r) => r.answer)).toEqual(DOC_ANSWERS);
      expect(countBy(rows, (r) => r.options.length)).toEqual(DOC_OPTION_COUNTS);
    });
  }

  it('uses the empty department only on Attribute Recognition rows of IR imaging or X-ray', () => {
    for (const row of val.rows.filter((r) => r.department === '')) {
      expect(row.task).toBe('Attribute Recognition');
      expect(['Infrared Reflectance (IR) imaging', 'X-ray']).toContain(row.modality);
    }
  });
});

describe('TEST plan at full scale', () => {
  it('has 21,281 rows, the paper granularity totals minus VAL, and every name of the doc', () => {
    expect(test.rows.map((r) => r.index)).toEqual(Array.from({ length: 21281 }, (_, i) => i));
    const granularities = countBy(test.rows, (r) => r.granularity);
    for (const [name, total] of Object.entries(DOC_PAPER_GRANULARITIES)) {
      expect(granularities[name]).toBe(total - DOC_GRANULARITIES[name as keyof typeof DOC_GRANULARITIES]);
    }
    expect(Object.keys(countBy(test.rows, (r) => r.task)).sort()).toEqual(Object.keys(docCounts(DOC_TASKS)).sort());
    expect(Object.keys(countBy(test.rows, (r) => r.department)).sort()).toEqual(Object.keys(docCounts(DOC_DEPARTMENTS)).sort());
    expect(Object.keys(countBy(test.rows, (r) => r.modality)).sort()).toEqual(Object.keys(docCounts(DOC_MODALITIES)).sort());
  });

  it('keeps VAL proportions of tasks, answers and option counts (≈ ×4.68)', () => {
    const ratio = 21281 / 4550;
    const close = (actual: Record<string, number>, expected: Record<string, number>): void => {
      for (const [name, n] of Object.entries(expected)) expect(Math.abs((actual[name] ?? 0) - n * ratio)).toBeLessThanOrEqual(1);
    };
    close(
      countBy(test.rows, (r) => r.task),
      docCounts(DOC_TASKS),
    );
    close(
      countBy(test.rows, (r) => r.department),
      docCounts(DOC_DEPARTMENTS),
    );
    close(
      countBy(test.rows, (r) => r.answer),
      DOC_ANSWERS,
    );
    close(
      countBy(test.rows, (r) => r.options.length),
      DOC_OPTION_COUNTS,
    );
  });
});

describe.each([
  ['VAL full', val],
  ['TEST full', test],
  ['VAL 1%', planRows('val', { seed: 3, scale: 0.01 })],
  ['TEST 5%', planRows('test', { seed: 3, scale: 0.05 })],
])('%s: row invariants', (_, plan: SplitPlan) => {
  it('has 2–5 distinct options, left to right, the answer among them and category = its text', () => {
    for (const row of plan.rows) {
      expect(row.options.length).toBeGreaterThanOrEqual(2);
      expect(row.options.length).toBeLessThanOrEqual(5);
      expect(row.options.every((o) => o.length > 0)).toBe(true);
      expect(new Set(row.options).size).toBe(row.options.length);
      expect(row.options['ABCDE'.indexOf(row.answer)]).toBe(row.category);
    }
  });

  it('keeps every (task, department, modality) on a plausible placement', () => {
    for (const row of plan.rows) {
      const places = TASK_PROFILES[row.task].places.filter((p) => p.department === row.department);
      expect(
        places.some((p) => p.modalities.includes(row.modality)),
        `${row.task} | ${row.department} | ${row.modality}`,
      ).toBe(true);
    }
  });

  it('matches the original task to the granularity', () => {
    const allowed = { 'Box level': ['DET_2D'], 'Image level': ['CLS_2D'], 'Mask level': ['SEG_2D', 'SEG_3D'], 'Contour level': ['SEG_2D', 'SEG_3D'] };
    for (const row of plan.rows) expect(allowed[row.granularity]).toContain(row.originalTask);
  });

  it('pairs every Mask row with a Contour twin: same case, labels, answer and base image', () => {
    const twinKey = (r: RowPlan): string =>
      JSON.stringify([
        r.task,
        r.department,
        r.modality,
        r.options,
        r.answer,
        r.originalTask,
        r.image.kind === 'png' ? { ...r.image.spec, overlay: '' } : r.image,
      ]);
    const masks = plan.rows
      .filter((r) => r.granularity === 'Mask level')
      .map(twinKey)
      .sort();
    const contours = plan.rows
      .filter((r) => r.granularity === 'Contour level')
      .map(twinKey)
      .sort();
    expect(masks.length).toBeGreaterThan(0);
    expect(contours).toEqual(masks);
  });

  it('draws the overlay its granularity names', () => {
    const overlay = { 'Box level': 'box', 'Image level': 'none', 'Mask level': 'mask', 'Contour level': 'contour' };
    for (const row of plan.rows) if (row.image.kind === 'png') expect(row.image.spec.overlay).toBe(overlay[row.granularity]);
  });

  it('back-references only earlier rows that hold image data, never the large images', () => {
    const large = new Set(plan.largeImages.map((l) => l.index));
    for (const row of plan.rows) {
      if (row.image.kind !== 'ref') continue;
      expect(row.image.index).toBeLessThan(row.index);
      expect(plan.rows[row.image.index]?.image.kind).toBe('png');
      expect(large.has(row.index) || large.has(row.image.index)).toBe(false);
    }
  });
});

describe('variety the importer and scorer must cope with', () => {
  it('back-references 2–5% of rows and repeats a few images byte for byte without a reference', () => {
    for (const plan of [val, test]) {
      const refs = plan.rows.filter((r) => r.image.kind === 'ref').length / plan.rows.length;
      expect(refs).toBeGreaterThan(0.02);
      expect(refs).toBeLessThan(0.05);
      const specs = plan.rows.flatMap((r) => (r.image.kind === 'png' ? [JSON.stringify(r.image.spec)] : []));
      expect(specs.length - new Set(specs).size).toBeGreaterThan(3);
    }
  });

  it('puts a tab, a newline, a CR and a double quote into some questions (about 1%), commas and slashes into more', () => {
    const share = (pattern: RegExp): number => val.rows.filter((r) => pattern.test(r.question)).length / val.rows.length;
    for (const pattern of [/\t/, /\n/, /\r/, /"/, /\//]) expect(share(pattern)).toBeGreaterThan(0);
    expect(share(/[\t\n\r"]/)).toBeGreaterThan(0.005);
    expect(share(/[\t\n\r"]/)).toBeLessThan(0.02);
  });

  it('has rows where one option text contains another', () => {
    const nested = val.rows.filter((r) => r.options.some((a) => r.options.some((b) => a !== b && b.includes(a))));
    expect(nested.length).toBeGreaterThan(50);
  });

  it('places one ~300 KB and one ~2 MB image on Image-level rows of each split', () => {
    for (const plan of [val, test]) {
      expect(plan.largeImages.map((l) => l.approxBytes)).toEqual([300_000, 2_000_000]);
      for (const { index } of plan.largeImages) expect(plan.rows[index]?.granularity).toBe('Image level');
    }
  });

  it('lets every twin-capable task fall back to Image level (twin rows are paired through Image)', () => {
    for (const profile of Object.values(TASK_PROFILES)) if (profile.kinds.twin) expect(profile.kinds.image).toBeGreaterThan(0);
  });
});

describe('--scale', () => {
  it.each([0.005, 0.02, 0.2])('keeps every task, department, modality and granularity at scale %s', (scale) => {
    for (const [split, full] of [
      ['val', val],
      ['test', test],
    ] as const) {
      const rows = planRows(split, { seed: 5, scale }).rows;
      expect(rows.length).toBeLessThan(Math.max(120, full.rows.length * scale * 1.1));
      for (const column of [(r: RowPlan) => r.task, (r: RowPlan) => r.department, (r: RowPlan) => r.modality, (r: RowPlan) => r.granularity]) {
        expect(Object.keys(countBy(rows, column)).sort()).toEqual(Object.keys(countBy(full.rows, column)).sort());
      }
    }
  });

  it('is deterministic in the seed', () => {
    const a = planRows('val', { seed: 9, scale: 0.05 });
    expect(planRows('val', { seed: 9, scale: 0.05 })).toEqual(a);
    expect(planRows('val', { seed: 10, scale: 0.05 }).rows.map((r) => r.question)).not.toEqual(a.rows.map((r) => r.question));
  });
});
