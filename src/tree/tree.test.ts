import { describe, expect, it } from 'vitest';
import { buildTree, type TreeGroup } from './tree';

const g = (
  task: string,
  department: string | null,
  granularity: string,
  modality: string,
  original: string,
  label: string | null,
  count: number,
): TreeGroup => ({
  clinical_vqa_task: task,
  department,
  perceptual_granularity: granularity,
  modality,
  original_task: original,
  label,
  count,
});

const groups = [
  g('Disease Diagnosis', 'Ophthalmology', 'Image level', 'Fundus Photography', 'CLS_2D', 'cataract', 3),
  g('Disease Diagnosis', 'Ophthalmology', 'Image level', 'Fundus Photography', 'CLS_2D', 'glaucoma', 2),
  g('Disease Diagnosis', 'Ophthalmology', 'Box level', 'OCT', 'DET_2D', 'cataract', 1),
  g('Attribute Recognition', null, 'Image level', 'X-ray', 'CLS_2D', 'male', 4),
  g('Bone', 'Orthopedic Surgery', 'Mask level', 'X-ray', 'SEG_2D', 'femur', 5),
];

describe('buildTree', () => {
  const tree = buildTree(groups, true);

  it('counts every question once in each lexicon and facet', () => {
    expect(tree.total).toBe(15);
    for (const lexicon of Object.values(tree.lexicons)) expect(lexicon.reduce((n, v) => n + v.count, 0)).toBe(15);
    expect(tree.modality).toEqual([
      { value: 'Fundus Photography', count: 5 },
      { value: 'OCT', count: 1 },
      { value: 'X-ray', count: 9 },
    ]);
    expect(tree.original_task).toEqual([
      { value: 'CLS_2D', count: 9 },
      { value: 'DET_2D', count: 1 },
      { value: 'SEG_2D', count: 5 },
    ]);
  });

  it('nests value → modality → label with sums at each level', () => {
    expect(tree.lexicons.clinical_vqa_task).toEqual([
      { value: 'Attribute Recognition', count: 4, modalities: [{ modality: 'X-ray', count: 4, labels: [{ label: 'male', count: 4 }] }] },
      { value: 'Bone', count: 5, modalities: [{ modality: 'X-ray', count: 5, labels: [{ label: 'femur', count: 5 }] }] },
      {
        value: 'Disease Diagnosis',
        count: 6,
        modalities: [
          {
            modality: 'Fundus Photography',
            count: 5,
            labels: [
              { label: 'cataract', count: 3 },
              { label: 'glaucoma', count: 2 },
            ],
          },
          { modality: 'OCT', count: 1, labels: [{ label: 'cataract', count: 1 }] },
        ],
      },
    ]);
  });

  it('keeps the N/A department as null, sorted last', () => {
    expect(tree.lexicons.department.map((d) => [d.value, d.count])).toEqual([
      ['Ophthalmology', 6],
      ['Orthopedic Surgery', 5],
      [null, 4],
    ]);
  });

  it('merges rows that differ only in columns a lexicon does not show', () => {
    expect(tree.lexicons.perceptual_granularity.find((v) => v.value === 'Image level')).toEqual({
      value: 'Image level',
      count: 9,
      modalities: [
        {
          modality: 'Fundus Photography',
          count: 5,
          labels: [
            { label: 'cataract', count: 3 },
            { label: 'glaucoma', count: 2 },
          ],
        },
        { modality: 'X-ray', count: 4, labels: [{ label: 'male', count: 4 }] },
      ],
    });
  });

  it('has no labels key at all without labels (hidden answers)', () => {
    const hidden = buildTree(
      groups.map(({ label: _label, ...rest }) => rest),
      false,
    );
    expect(JSON.stringify(hidden)).not.toContain('labels');
    expect(hidden.lexicons.clinical_vqa_task[2]).toEqual({
      value: 'Disease Diagnosis',
      count: 6,
      modalities: [
        { modality: 'Fundus Photography', count: 5 },
        { modality: 'OCT', count: 1 },
      ],
    });
  });

  it('is empty for no groups', () => {
    expect(buildTree([], true)).toEqual({
      total: 0,
      lexicons: { clinical_vqa_task: [], department: [], perceptual_granularity: [] },
      modality: [],
      original_task: [],
    });
  });
});

describe('buildTree order', () => {
  it('sorts by code point as VLMEvalKit (Python) does, not by UTF-16 unit', () => {
    // U+FF21 (fullwidth A) < U+1F600 (an emoji) by code point; as UTF-16 the emoji's lead surrogate U+D83D sorts first.
    const tree = buildTree(
      [g('T', null, 'Image level', '\u{1F600} scan', 'CLS_2D', null, 1), g('T', null, 'Image level', '\uFF21 scan', 'CLS_2D', null, 1)],
      false,
    );
    expect(tree.modality.map((m) => m.value)).toEqual(['\uFF21 scan', '\u{1F600} scan']);
    expect(tree.lexicons.department[0]!.modalities.map((m) => m.modality)).toEqual(['\uFF21 scan', '\u{1F600} scan']);
  });
});
