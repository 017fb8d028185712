// Synthetic answer labels (the lexical tree's leaves). Plausible words, no patient data. Pools
// deliberately hold labels that contain one another ('polyp' / 'adenomatous polyp',
// 'grade I' / 'grade II') because the real data does and VLMEvalKit's text matching cares.
import { Rng, hashString } from './prng';
import type { ClinicalTask, Modality } from './vocabulary';

type Family = 'eye' | 'skin' | 'scope' | 'cells' | 'radiology';

function familyOf(modality: Modality): Family {
  switch (modality) {
    case 'Fundus Photography':
    case 'OCT':
    case 'Adaptive Optics Ophthalmoscopy':
    case 'Infrared Reflectance (IR) imaging':
      return 'eye';
    case 'Dermoscopy':
      return 'skin';
    case 'Endoscopy':
    case 'Colposcopy':
      return 'scope';
    case 'Histopathology':
    case 'Microscopy':
      return 'cells';
    default:
      return 'radiology';
  }
}

const DIAGNOSES: Record<Family, readonly string[]> = {
  eye: [
    'glaucoma',
    'cataract',
    'diabetic retinopathy',
    'proliferative diabetic retinopathy',
    'macular edema',
    'drusen',
    'myopia',
    'pathological myopia',
    'retinal detachment',
    'normal fundus',
  ],
  skin: ['melanoma', 'nevus', 'benign nevus', 'basal cell carcinoma', 'actinic keratosis', 'seborrheic keratosis', 'dermatofibroma', 'vascular lesion'],
  scope: ['polyp', 'adenomatous polyp', 'ulcer', 'esophagitis', "barrett's esophagus", 'bleeding', 'normal mucosa', 'intraepithelial neoplasia', 'tumor'],
  cells: [
    'carcinoma',
    'invasive carcinoma',
    'adenocarcinoma',
    'benign tissue',
    'lymphoma',
    'leukemia',
    'acute lymphoblastic leukemia',
    'metastasis',
    'normal tissue',
  ],
  radiology: [
    'pneumonia',
    'viral pneumonia',
    'nodule',
    'calcified nodule',
    'fracture',
    'cyst',
    'renal cyst',
    'hemorrhage',
    'effusion',
    'pleural effusion',
    'tumor',
    'lesion type 1',
    'lesion type 2',
    'lesion type 3',
    'no finding',
  ],
};

const GRADES: Record<Family, readonly string[]> = {
  eye: ['grade 0', 'grade I', 'grade II', 'grade III', 'grade IV', 'no retinopathy', 'mild', 'moderate', 'severe'],
  skin: ['mild', 'moderate', 'severe', 'very severe', 'grade I', 'grade II', 'grade III'],
  scope: ['mild', 'moderate', 'severe', 'grade I', 'grade II', 'grade III'],
  cells: ['grade I', 'grade II', 'grade II/III', 'grade III', 'low grade', 'high grade', 'benign', 'in situ'],
  radiology: ['KL grade 0', 'KL grade 1', 'KL grade 2', 'KL grade 3', 'KL grade 4', 'mild', 'moderate', 'severe'],
};

const TASK_LABELS: Record<Exclude<ClinicalTask, 'Disease Diagnosis' | 'Severity Grading'>, readonly string[]> = {
  'Attribute Recognition': [
    'eye state: open',
    'eye state: closed',
    'with glasses',
    'no glasses',
    'male',
    'female',
    'left eye',
    'right eye',
    'frontal view',
    'lateral view',
    'fat',
    'fatty tissue',
  ],
  'Blood Vessels Recognition': [
    'aorta',
    'abdominal aorta',
    'portal vein',
    'vein',
    'artery',
    'retinal artery',
    'retinal vein',
    'inferior vena cava',
    'carotid artery',
    'left carotid artery',
  ],
  Bone: ['vertebra L1', 'vertebra L2', 'vertebra L3', 'vertebra L4', 'sacrum', 'femur', 'left femur', 'right femur', 'rib', 'clavicle', 'humerus', 'pelvis'],
  'Cell Recognition': [
    'neutrophil',
    'lymphocyte',
    'monocyte',
    'eosinophil',
    'basophil',
    'epithelial cell',
    'red blood cell',
    'cone photoreceptor',
    'nucleus',
    'mitotic figure',
  ],
  Counting: ['1 cell', '2 cells', '3 cells', '4 cells', '12 cells', '20 cells', '23 cells', 'more than 30 cells'],
  'Image Quality Grading': ['good quality', 'poor quality', 'usable', 'reject', 'blurred', 'overexposed', 'underexposed', 'quality level 1', 'quality level 2'],
  'Microorganism Recognition': [
    'bacteria',
    'gram-positive bacteria',
    'fungi',
    'yeast',
    'plasmodium',
    'plasmodium falciparum',
    'plasmodium vivax',
    'parasite egg',
    'trophozoite',
  ],
  Muscle: ['gluteus maximus', 'left gluteus maximus', 'iliopsoas', 'left iliopsoas', 'right iliopsoas', 'autochthon', 'quadriceps', 'erector spinae'],
  'Nervous Tissue': ['nerve', 'nerve fiber layer', 'retinal nerve fiber layer', 'ganglion cell layer', 'brachial plexus', 'spinal cord', 'optic nerve head'],
  'Organ Recognition - Abdomen': [
    'liver',
    'spleen',
    'kidney',
    'left kidney',
    'right kidney',
    'pancreas',
    'stomach',
    'gallbladder',
    'duodenum',
    'esophagus',
    'small bowel',
    'adrenal gland',
  ],
  'Organ Recognition - Head and Neck': [
    'thyroid',
    'parotid gland',
    'left parotid gland',
    'brainstem',
    'optic nerve',
    'left optic nerve',
    'mandible',
    'larynx',
    'optic disc',
    'optic cup',
    'eyeball',
  ],
  'Organ Recognition - Pelvic': [
    'bladder',
    'prostate',
    'rectum',
    'uterus',
    'femoral head',
    'left femoral head',
    'right femoral head',
    'ovary',
    'seminal vesicle',
  ],
  'Organ Recognition - Thorax': [
    'heart',
    'lung',
    'left lung',
    'right lung',
    'trachea',
    'esophagus',
    'aorta',
    'left ventricle',
    'right ventricle',
    'myocardium',
  ],
  'Surgeon Action Recognition': ['cutting', 'grasping', 'retracting', 'clipping', 'suturing', 'coagulation', 'dissection', 'irrigation', 'idle'],
  'Surgical Instrument Recognition': [
    'grasper',
    'forceps',
    'bipolar forceps',
    'hook',
    'scissors',
    'curved scissors',
    'clipper',
    'irrigator',
    'specimen bag',
    'suction',
  ],
  'Surgical Workflow Recognition': [
    'preparation',
    'calot triangle dissection',
    'clipping and cutting',
    'gallbladder dissection',
    'gallbladder packaging',
    'cleaning and coagulation',
    'gallbladder retraction',
  ],
};

function labelPool(task: ClinicalTask, modality: Modality): readonly string[] {
  if (task === 'Disease Diagnosis') return DIAGNOSES[familyOf(modality)];
  if (task === 'Severity Grading') return GRADES[familyOf(modality)];
  return TASK_LABELS[task];
}

/** At least 5 labels (so 5-option rows have distinct options), a seed-dependent subset per (task, modality). */
export function labelVocabulary(task: ClinicalTask, modality: Modality, seed: number): string[] {
  const pool = [...labelPool(task, modality)];
  const rng = new Rng(seed, hashString(task), hashString(modality));
  return rng.shuffle(pool).slice(0, Math.min(pool.length, rng.int(6, 9)));
}

export function isColorModality(modality: Modality): boolean {
  const family = familyOf(modality);
  return family === 'skin' || family === 'scope' || family === 'cells' || modality === 'Fundus Photography';
}
