// Which (department, modality, granularity) combinations each clinical task may use in the
// generated data: plausible pairings (fundus photos in ophthalmology, surgical tasks on
// endoscopy, histopathology in pathology/oncology…), not a copy of the real joint table.
import type { ClinicalTask, Department, Modality } from './vocabulary';

/** How a question marks its region: one Box row, one Image row, or a Mask+Contour twin pair. */
export type Kind = 'box' | 'image' | 'twin';
export const KINDS: readonly Kind[] = ['box', 'image', 'twin'];

interface Place {
  department: Department;
  modalities: readonly Modality[];
  /** Relative prior weight of this department within the task (default 1). */
  weight?: number;
  /** Restricts the task's kinds here (e.g. the N/A department is image-level only). */
  kinds?: readonly Kind[];
}

export interface TaskProfile {
  /** Prior weight of each allowed kind; twin-capable tasks always allow image (see row-cells). */
  kinds: Partial<Record<Kind, number>>;
  places: readonly Place[];
}

const MRI_SEQUENCES: readonly Modality[] = ['MRI', 'T1 weighted MRI', 'T2 weighted MRI', 'T1 MRI', 'T2 MRI'];
const BRAIN_MRI: readonly Modality[] = [
  'MRI',
  'Gadolinium MRI',
  'FLAIR MRI',
  'T1ce MRI',
  'T1Gd MRI',
  'DWI MRI',
  'ASL MRI',
  'DTI MRI',
  'MP-RAGE MRI',
  'PD MRI',
  'SWI MRI',
  'T1 MRI',
  'T2 MRI',
];
const CARDIAC: readonly Modality[] = ['CT', 'MRI', 'CMR', 'LGE MRI', 'DE MRI', 'CTA'];
const CELLS: readonly Modality[] = ['Histopathology', 'Microscopy'];

export const TASK_PROFILES: Record<ClinicalTask, TaskProfile> = {
  'Attribute Recognition': {
    kinds: { image: 5, twin: 1 },
    places: [
      { department: '', modalities: ['Infrared Reflectance (IR) imaging', 'X-ray'], weight: 3, kinds: ['image'] },
      { department: 'General Surgery', modalities: ['Endoscopy'] },
      { department: 'Laboratory Medicine and Pathology', modalities: ['Microscopy'] },
      { department: 'Ophthalmology', modalities: ['Fundus Photography', 'OCT'], weight: 2 },
    ],
  },
  'Blood Vessels Recognition': {
    kinds: { twin: 5, image: 1 },
    places: [
      { department: 'Hematology', modalities: ['CT', 'MRI', 'UltraSound', 'CTA'], weight: 3 },
      { department: 'Ophthalmology', modalities: ['Fundus Photography', 'Infrared Reflectance (IR) imaging', 'OCT'] },
      { department: 'Cardiovascular Surgery', modalities: ['CTA', 'CT'] },
    ],
  },
  Bone: {
    kinds: { twin: 3, image: 1 },
    places: [{ department: 'Orthopedic Surgery', modalities: ['CT', 'X-ray', 'In-phase MRI', 'Opposed-phase MRI', 'Fat MRI', 'Water MRI', 'MRI'] }],
  },
  'Cell Recognition': {
    kinds: { twin: 4, box: 1, image: 0.2 },
    places: [
      { department: 'Hematology', modalities: CELLS },
      { department: 'Laboratory Medicine and Pathology', modalities: CELLS, weight: 2 },
      { department: 'Oncology (Medical)', modalities: ['Histopathology'] },
      { department: 'Ophthalmology', modalities: ['Adaptive Optics Ophthalmoscopy', 'OCT'] },
    ],
  },
  Counting: {
    kinds: { image: 1 },
    places: [
      { department: 'Hematology', modalities: CELLS, weight: 4 },
      { department: 'Laboratory Medicine and Pathology', modalities: ['Microscopy'] },
    ],
  },
  'Disease Diagnosis': {
    kinds: { image: 6, twin: 2, box: 0.6 },
    places: [
      { department: 'Cardiovascular Surgery', modalities: [...CARDIAC, 'X-ray'] },
      { department: 'Dermatology', modalities: ['Dermoscopy'], weight: 3 },
      { department: 'Endocrinology', modalities: ['CT', 'MRI', 'UltraSound'] },
      { department: 'Gastroenterology and Hepatology', modalities: ['CT', 'Endoscopy', 'MRI', 'T1 weighted MRI', 'Histopathology'], weight: 4 },
      { department: 'General Surgery', modalities: ['CT', 'MRI', 'Endoscopy', 'UltraSound'] },
      { department: 'Hematology', modalities: ['CT', 'MRI', ...CELLS] },
      { department: 'Infectious Diseases', modalities: ['Dermoscopy', 'Histopathology', 'X-ray', 'CT'] },
      { department: 'Laboratory Medicine and Pathology', modalities: CELLS, weight: 2 },
      { department: 'Nephrology and Hypertension', modalities: ['CT', 'MRI', 'UltraSound'] },
      { department: 'Neurosurgery', modalities: BRAIN_MRI },
      { department: 'Obstetrics and Gynecology', modalities: ['CT', 'Colposcopy', 'MRI', 'X-ray', 'UltraSound'] },
      {
        department: 'Oncology (Medical)',
        modalities: [
          'ADC MRI',
          'CT',
          'DCE MRI',
          'Endoscopy',
          'FLAIR MRI',
          'Histopathology',
          'MRI',
          'SWI MRI',
          'T1Gd MRI',
          'T1ce MRI',
          'T2 weighted MRI',
          'DWI MRI',
          'UltraSound',
          'X-ray',
        ],
        weight: 4,
      },
      { department: 'Ophthalmology', modalities: ['Fundus Photography', 'OCT', 'Microscopy'], weight: 5 },
      { department: 'Orthopedic Surgery', modalities: ['CT', 'MRI', 'X-ray', 'Texture Characterization of Bone Radiograph'], weight: 3 },
      { department: 'Otolaryngology (ENT)/Head and Neck Surgery', modalities: ['CT', 'MRI', 'UltraSound'] },
      { department: 'Pulmonary Medicine', modalities: ['CT', 'X-ray'], weight: 6 },
      { department: 'Sports Medicine', modalities: ['MRI', 'X-ray'], weight: 5 },
      { department: 'Urology', modalities: ['CT', 'MRI', 'Microscopy', 'UltraSound'] },
    ],
  },
  'Image Quality Grading': {
    kinds: { box: 2, image: 1 },
    places: [
      { department: 'General Surgery', modalities: ['Endoscopy'] },
      { department: 'Ophthalmology', modalities: ['Fundus Photography', 'OCT'] },
    ],
  },
  'Microorganism Recognition': {
    kinds: { image: 6, twin: 1 },
    places: [
      { department: 'Gastroenterology and Hepatology', modalities: ['Histopathology'], weight: 0.3 },
      { department: 'Hematology', modalities: CELLS, weight: 3 },
      { department: 'Laboratory Medicine and Pathology', modalities: CELLS, weight: 2 },
      { department: 'Infectious Diseases', modalities: ['Microscopy', 'Histopathology'] },
    ],
  },
  Muscle: {
    kinds: { twin: 8, image: 1 },
    places: [
      { department: 'Sports Medicine', modalities: ['CT', 'MRI', 'Fat MRI', 'Water MRI'], weight: 3 },
      { department: 'Orthopedic Surgery', modalities: ['CT', 'MRI'] },
    ],
  },
  'Nervous Tissue': {
    kinds: { twin: 8, image: 1 },
    places: [
      { department: 'Neurosurgery', modalities: ['UltraSound', 'MRI', 'DTI MRI', 'T1 MRI'] },
      { department: 'Ophthalmology', modalities: ['OCT'], weight: 2 },
    ],
  },
  'Organ Recognition - Abdomen': {
    kinds: { twin: 5, image: 1 },
    places: [
      { department: 'Endocrinology', modalities: ['CT'], weight: 0.3 },
      {
        department: 'Gastroenterology and Hepatology',
        modalities: ['CT', 'Endoscopy', 'Histopathology', 'UltraSound', 'In-phase MRI', 'Opposed-phase MRI', 'Fat MRI', 'Water MRI', ...MRI_SEQUENCES],
        weight: 6,
      },
      { department: 'General Surgery', modalities: ['CT', 'UltraSound', ...MRI_SEQUENCES] },
      { department: 'Nephrology and Hypertension', modalities: ['CT', 'MRI', 'UltraSound'] },
    ],
  },
  'Organ Recognition - Head and Neck': {
    kinds: { twin: 6, image: 1 },
    places: [
      { department: 'Endocrinology', modalities: ['CT', 'UltraSound'] },
      { department: 'Ophthalmology', modalities: ['CT', 'Fundus Photography'] },
      { department: 'Orthopedic Surgery', modalities: ['CT'] },
      { department: 'Otolaryngology (ENT)/Head and Neck Surgery', modalities: ['CT', 'MRI', 'T2 weighted MRI'], weight: 4 },
      { department: 'Neurosurgery', modalities: ['MRI', 'T1 MRI', 'MP-RAGE MRI'] },
    ],
  },
  'Organ Recognition - Pelvic': {
    kinds: { twin: 5, image: 1 },
    places: [
      { department: 'Gastroenterology and Hepatology', modalities: ['CT'] },
      { department: 'Obstetrics and Gynecology', modalities: ['CT', 'UltraSound', 'MRI'] },
      { department: 'Urology', modalities: ['ADC MRI', 'CT', 'MRI', 'UltraSound', 'T2 MRI'], weight: 2 },
    ],
  },
  'Organ Recognition - Thorax': {
    kinds: { twin: 8, image: 1 },
    places: [
      { department: 'Cardiovascular Surgery', modalities: CARDIAC, weight: 2 },
      { department: 'Hematology', modalities: ['CT', 'MRI'] },
      { department: 'Oncology (Medical)', modalities: ['CT'] },
      { department: 'Orthopedic Surgery', modalities: ['CT'] },
      { department: 'Otolaryngology (ENT)/Head and Neck Surgery', modalities: ['CT', 'MRI'] },
      { department: 'Pulmonary Medicine', modalities: ['CT', 'X-ray'], weight: 4 },
    ],
  },
  'Severity Grading': {
    kinds: { image: 8, twin: 1 },
    places: [
      { department: 'Dermatology', modalities: ['Dermoscopy'] },
      { department: 'Gastroenterology and Hepatology', modalities: ['Histopathology'] },
      { department: 'Laboratory Medicine and Pathology', modalities: ['Histopathology'], weight: 2 },
      { department: 'Oncology (Medical)', modalities: CELLS, weight: 3 },
      { department: 'Ophthalmology', modalities: ['Fundus Photography', 'Microscopy', 'OCT'], weight: 3 },
      { department: 'Pulmonary Medicine', modalities: ['X-ray', 'CT'] },
      { department: 'Sports Medicine', modalities: ['X-ray'] },
    ],
  },
  'Surgeon Action Recognition': {
    kinds: { box: 1 },
    places: [
      { department: 'General Surgery', modalities: ['Endoscopy'] },
      { department: 'Urology', modalities: ['Endoscopy'] },
    ],
  },
  'Surgical Instrument Recognition': {
    kinds: { twin: 4, box: 1, image: 0.2 },
    places: [
      { department: 'General Surgery', modalities: ['Endoscopy'], weight: 4 },
      { department: 'Gastroenterology and Hepatology', modalities: ['Endoscopy'] },
      { department: 'Urology', modalities: ['Endoscopy'] },
    ],
  },
  'Surgical Workflow Recognition': {
    kinds: { image: 1 },
    places: [
      { department: 'General Surgery', modalities: ['Endoscopy'], weight: 4 },
      { department: 'Otolaryngology (ENT)/Head and Neck Surgery', modalities: ['Endoscopy'] },
      { department: 'Urology', modalities: ['Endoscopy'] },
    ],
  },
};

/** Modalities acquired as volumes, whose segmentation tasks are mostly SEG_3D. */
export function isVolumetric(modality: Modality): boolean {
  return modality === 'CT' || modality === 'CTA' || modality === 'CMR' || modality.endsWith('MRI');
}

/** Box annotations only make sense on 2-D pictures (photos, slides, radiographs, frames). */
export function allowsBox(modality: Modality): boolean {
  return !isVolumetric(modality);
}
