// The benchmark's real names, spelled exactly as in the official TSVs, with the VAL counts the
import { TSV_DATA_COLUMNS } from '../src/dataset/vocabulary';
// generated VAL split reproduces. Embedded here (not read from ../shared) so a fresh clone can
// generate the default dataset with nothing else present.

export const CLINICAL_TASKS = [
  'Attribute Recognition',
  'Blood Vessels Recognition',
  'Bone',
  'Cell Recognition',
  'Counting',
  'Disease Diagnosis',
  'Image Quality Grading',
  'Microorganism Recognition',
  'Muscle',
  'Nervous Tissue',
  'Organ Recognition - Abdomen',
  'Organ Recognition - Head and Neck',
  'Organ Recognition - Pelvic',
  'Organ Recognition - Thorax',
  'Severity Grading',
  'Surgeon Action Recognition',
  'Surgical Instrument Recognition',
  'Surgical Workflow Recognition',
] as const;
export type ClinicalTask = (typeof CLINICAL_TASKS)[number];

/** The empty string is the paper's "N/A" department (an empty cell in the TSV). */
export const DEPARTMENTS = [
  'Cardiovascular Surgery',
  'Dermatology',
  'Endocrinology',
  'Gastroenterology and Hepatology',
  'General Surgery',
  'Hematology',
  'Infectious Diseases',
  'Laboratory Medicine and Pathology',
  'Nephrology and Hypertension',
  'Neurosurgery',
  'Obstetrics and Gynecology',
  'Oncology (Medical)',
  'Ophthalmology',
  'Orthopedic Surgery',
  'Otolaryngology (ENT)/Head and Neck Surgery',
  'Pulmonary Medicine',
  'Sports Medicine',
  'Urology',
  '',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const MODALITIES = [
  'ADC MRI',
  'ASL MRI',
  'Adaptive Optics Ophthalmoscopy',
  'CMR',
  'CT',
  'CTA',
  'Colposcopy',
  'DCE MRI',
  'DE MRI',
  'DTI MRI',
  'DWI MRI',
  'Dermoscopy',
  'Endoscopy',
  'FLAIR MRI',
  'Fat MRI',
  'Fundus Photography',
  'Gadolinium MRI',
  'Histopathology',
  'In-phase MRI',
  'Infrared Reflectance (IR) imaging',
  'LGE MRI',
  'MP-RAGE MRI',
  'MRI',
  'Microscopy',
  'OCT',
  'Opposed-phase MRI',
  'PD MRI',
  'SWI MRI',
  'T1 MRI',
  'T1 weighted MRI',
  'T1Gd MRI',
  'T1ce MRI',
  'T2 MRI',
  'T2 weighted MRI',
  'Texture Characterization of Bone Radiograph',
  'UltraSound',
  'Water MRI',
  'X-ray',
] as const;
export type Modality = (typeof MODALITIES)[number];

export const GRANULARITIES = ['Box level', 'Contour level', 'Image level', 'Mask level'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const ORIGINAL_TASKS = ['CLS_2D', 'DET_2D', 'SEG_2D', 'SEG_3D'] as const;
export type OriginalTask = (typeof ORIGINAL_TASKS)[number];

export const ANSWER_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type AnswerLetter = (typeof ANSWER_LETTERS)[number];

/** Official column order (VLMEvalKit TSV); TEST files omit `answer`. */
export const VAL_COLUMNS = [...TSV_DATA_COLUMNS, 'image'] as const;
export const TEST_COLUMNS = VAL_COLUMNS.filter((column) => column !== 'answer');

export const VAL_ROWS = 4550;
export const TEST_ROWS = 21281;
export const TEST_PARTS = 11;

export const VAL_TASK_COUNTS: Record<ClinicalTask, number> = {
  'Attribute Recognition': 135,
  'Blood Vessels Recognition': 135,
  Bone: 175,
  'Cell Recognition': 115,
  Counting: 188,
  'Disease Diagnosis': 2122,
  'Image Quality Grading': 50,
  'Microorganism Recognition': 135,
  Muscle: 50,
  'Nervous Tissue': 40,
  'Organ Recognition - Abdomen': 245,
  'Organ Recognition - Head and Neck': 155,
  'Organ Recognition - Pelvic': 75,
  'Organ Recognition - Thorax': 170,
  'Severity Grading': 336,
  'Surgeon Action Recognition': 115,
  'Surgical Instrument Recognition': 239,
  'Surgical Workflow Recognition': 70,
};

export const VAL_DEPARTMENT_COUNTS: Record<Department, number> = {
  'Cardiovascular Surgery': 85,
  Dermatology: 185,
  Endocrinology: 50,
  'Gastroenterology and Hepatology': 410,
  'General Surgery': 454,
  Hematology: 458,
  'Infectious Diseases': 35,
  'Laboratory Medicine and Pathology': 257,
  'Nephrology and Hypertension': 75,
  Neurosurgery: 55,
  'Obstetrics and Gynecology': 75,
  'Oncology (Medical)': 347,
  Ophthalmology: 569,
  'Orthopedic Surgery': 360,
  'Otolaryngology (ENT)/Head and Neck Surgery': 130,
  'Pulmonary Medicine': 405,
  'Sports Medicine': 345,
  Urology: 180,
  '': 75,
};

/** Modalities absent from VAL have 0 here; TEST gives them small counts. */
export const VAL_MODALITY_COUNTS: Record<Modality, number> = {
  'ADC MRI': 8,
  'ASL MRI': 0,
  'Adaptive Optics Ophthalmoscopy': 10,
  CMR: 0,
  CT: 934,
  CTA: 0,
  Colposcopy: 15,
  'DCE MRI': 10,
  'DE MRI': 0,
  'DTI MRI': 0,
  'DWI MRI': 0,
  Dermoscopy: 210,
  Endoscopy: 654,
  'FLAIR MRI': 10,
  'Fat MRI': 0,
  'Fundus Photography': 409,
  'Gadolinium MRI': 4,
  Histopathology: 624,
  'In-phase MRI': 2,
  'Infrared Reflectance (IR) imaging': 75,
  'LGE MRI': 0,
  'MP-RAGE MRI': 0,
  MRI: 706,
  Microscopy: 218,
  OCT: 95,
  'Opposed-phase MRI': 8,
  'PD MRI': 0,
  'SWI MRI': 2,
  'T1 MRI': 0,
  'T1 weighted MRI': 10,
  'T1Gd MRI': 10,
  'T1ce MRI': 0,
  'T2 MRI': 0,
  'T2 weighted MRI': 26,
  'Texture Characterization of Bone Radiograph': 10,
  UltraSound: 105,
  'Water MRI': 0,
  'X-ray': 395,
};

export const VAL_GRANULARITY_COUNTS: Record<Granularity, number> = {
  'Box level': 295,
  'Contour level': 947,
  'Image level': 2361,
  'Mask level': 947,
};

/** Paper totals over VAL + TEST; TEST = these minus VAL. */
export const ALL_GRANULARITY_COUNTS: Record<Granularity, number> = {
  'Box level': 1715,
  'Contour level': 5587,
  'Image level': 12942,
  'Mask level': 5587,
};

export const VAL_ANSWER_COUNTS: Record<AnswerLetter, number> = { A: 1150, B: 1175, C: 1055, D: 977, E: 193 };

/** Rows by number of options (2–5). */
export const VAL_OPTION_COUNTS: Record<2 | 3 | 4 | 5, number> = { 2: 304, 3: 165, 4: 3075, 5: 1006 };
