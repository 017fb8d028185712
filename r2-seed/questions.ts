// Synthetic question text: a lead that names the annotation the granularity implies, then a
// task-specific ask. A small share gets a tab, newline or double quote so the TSV quoting path
// is exercised, and some get commas, parentheses and slashes.
import type { Rng } from './prng';
import type { ClinicalTask, Granularity, Modality } from './vocabulary';

const LEADS: Record<Granularity, readonly string[]> = {
  'Box level': [
    'Focus on the box-highlighted region of this {m} image.',
    'Observe the {m} image, focusing on the area within the box.',
    'Look at the region enclosed by the bounding box in this {m} image.',
  ],
  'Contour level': ['Examine the region outlined by the contour in this {m} image.', 'In this {m} image, attention is on the area inside the contour line.'],
  'Mask level': ['Examine the region covered by the colored mask in this {m} image.', 'Focus on the masked area of this {m} image.'],
  'Image level': ['Look at this {m} image.', 'This is a {m} image.', 'Consider the whole {m} image.'],
};

const ASKS: Record<ClinicalTask, readonly string[]> = {
  'Attribute Recognition': ['Which attribute best describes what is shown?', 'What attribute can be recognized here?'],
  'Blood Vessels Recognition': ['Which blood vessel is shown?', 'What vessel does this region correspond to?'],
  Bone: ['Which bone is shown?', 'Which bone does this region correspond to?'],
  'Cell Recognition': ['What type of cell is this?', 'Which cell type is shown?'],
  Counting: ['How many cells can be counted?', 'What is the number of cells visible?'],
  'Disease Diagnosis': ['What is the most likely diagnosis?', 'What abnormality is most likely present?', 'Which condition does this finding suggest?'],
  'Image Quality Grading': ['How would you grade the image quality?', 'What is the quality level of this image?'],
  'Microorganism Recognition': ['Which microorganism is shown?', 'What kind of microorganism can be seen?'],
  Muscle: ['Which muscle is shown?', 'Which muscle does this region correspond to?'],
  'Nervous Tissue': ['Which nervous tissue is shown?', 'What neural structure does this region correspond to?'],
  'Organ Recognition - Abdomen': ['Which abdominal organ is shown?', 'What anatomical structure does this region correspond to?'],
  'Organ Recognition - Head and Neck': ['Which head and neck structure is shown?', 'What anatomical structure does this region correspond to?'],
  'Organ Recognition - Pelvic': ['Which pelvic organ is shown?', 'What anatomical structure does this region correspond to?'],
  'Organ Recognition - Thorax': ['Which thoracic organ is shown?', 'What anatomical structure does this region correspond to?'],
  'Severity Grading': ['What is the severity grade?', 'How severe is the condition shown?'],
  'Surgeon Action Recognition': ['What action is the surgeon performing?', 'Which surgical action is taking place?'],
  'Surgical Instrument Recognition': ['Which surgical instrument is shown?', 'What instrument is visible here?'],
  'Surgical Workflow Recognition': ['Which surgical phase does this frame belong to?', 'What step of the procedure is shown?'],
};

/** Acronym-bearing names stay as written ("CT", "X-ray"); others read lower-case ("endoscopy"). */
function modalityPhrase(modality: Modality): string {
  return /[A-Z]{2}|X-ray/.test(modality) ? modality : modality.toLowerCase();
}

export function makeQuestion(task: ClinicalTask, granularity: Granularity, modality: Modality, rng: Rng): string {
  const lead = rng.pick(LEADS[granularity]).replace('{m}', modalityPhrase(modality));
  const ask = rng.pick(ASKS[task]);
  const roll = rng.float();
  if (roll < 0.003) return `${lead}\t${ask}`;
  if (roll < 0.006) return `${lead}\n${ask}`;
  if (roll < 0.007) return `${lead}\r\n${ask}`;
  if (roll < 0.011) return `${lead} ${ask} Answer with the "best" match.`;
  if (roll < 0.04) return `${lead} ${ask} (Consider left/right, anterior/posterior.)`;
  return `${lead} ${ask}`;
}
