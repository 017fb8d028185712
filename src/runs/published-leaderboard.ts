// The benchmark's published leaderboard, bundled as data (the Worker cannot read ../shared at run time).
// Source: the GMAI-MMBench README (github uni-medical/GMAI-MMBench, also the dataset card), section
// "Leaderboard": overall VAL and TEST accuracy in percent, as printed there, scored with the 2024
// VLMEvalKit rules. "Random" is the chance baseline (no rank); names as published (including the
// README's spelling "Idelecs-9B-Instruct"). published-leaderboard.test.ts checks it equals
// ../shared/gmai/published-leaderboard.json.

export interface PublishedResult {
  readonly rank: number | null;
  readonly model: string;
  readonly val_accuracy_percent: number;
  readonly test_accuracy_percent: number;
}

export const PUBLISHED_SOURCE =
  'GMAI-MMBench README (github uni-medical/GMAI-MMBench, also the dataset card), section "Leaderboard"; overall accuracy in percent; "Random" is the chance baseline (no rank); model names as published (including the README\'s spelling "Idelecs-9B-Instruct")';

export const PUBLISHED_LEADERBOARD: readonly PublishedResult[] = [
  { rank: null, model: 'Random', val_accuracy_percent: 25.7, test_accuracy_percent: 25.94 },
  { rank: 1, model: 'GPT-4o', val_accuracy_percent: 53.53, test_accuracy_percent: 53.96 },
  { rank: 2, model: 'Gemini 1.5', val_accuracy_percent: 47.42, test_accuracy_percent: 48.36 },
  { rank: 3, model: 'Gemini 1.0', val_accuracy_percent: 44.38, test_accuracy_percent: 44.93 },
  { rank: 4, model: 'GPT-4V', val_accuracy_percent: 42.5, test_accuracy_percent: 44.08 },
  { rank: 5, model: 'MedDr', val_accuracy_percent: 41.95, test_accuracy_percent: 43.69 },
  { rank: 6, model: 'MiniCPM-V2', val_accuracy_percent: 41.79, test_accuracy_percent: 42.54 },
  { rank: 7, model: 'DeepSeek-VL-7B', val_accuracy_percent: 41.73, test_accuracy_percent: 43.43 },
  { rank: 8, model: 'Qwen-VL-Max', val_accuracy_percent: 41.34, test_accuracy_percent: 42.16 },
  { rank: 9, model: 'LLAVA-InternLM2-7b', val_accuracy_percent: 40.07, test_accuracy_percent: 40.45 },
  { rank: 10, model: 'InternVL-Chat-V1.5', val_accuracy_percent: 38.86, test_accuracy_percent: 39.73 },
  { rank: 11, model: 'TransCore-M', val_accuracy_percent: 38.86, test_accuracy_percent: 38.7 },
  { rank: 12, model: 'XComposer2', val_accuracy_percent: 38.68, test_accuracy_percent: 39.2 },
  { rank: 13, model: 'LLAVA-V1.5-7B', val_accuracy_percent: 38.23, test_accuracy_percent: 37.96 },
  { rank: 14, model: 'OmniLMM-12B', val_accuracy_percent: 37.89, test_accuracy_percent: 39.3 },
  { rank: 15, model: 'Emu2-Chat', val_accuracy_percent: 36.5, test_accuracy_percent: 37.59 },
  { rank: 16, model: 'mPLUG-Owl2', val_accuracy_percent: 35.62, test_accuracy_percent: 36.21 },
  { rank: 17, model: 'CogVLM-Chat', val_accuracy_percent: 35.23, test_accuracy_percent: 36.08 },
  { rank: 18, model: 'Qwen-VL-Chat', val_accuracy_percent: 35.07, test_accuracy_percent: 36.96 },
  { rank: 19, model: 'Yi-VL-6B', val_accuracy_percent: 34.82, test_accuracy_percent: 34.31 },
  { rank: 20, model: 'Claude3-Opus', val_accuracy_percent: 32.37, test_accuracy_percent: 32.44 },
  { rank: 21, model: 'MMAlaya', val_accuracy_percent: 32.19, test_accuracy_percent: 32.3 },
  { rank: 22, model: 'Mini-Gemini-7B', val_accuracy_percent: 32.17, test_accuracy_percent: 31.09 },
  { rank: 23, model: 'InstructBLIP-7B', val_accuracy_percent: 31.8, test_accuracy_percent: 30.95 },
  { rank: 24, model: 'Idelecs-9B-Instruct', val_accuracy_percent: 29.74, test_accuracy_percent: 31.13 },
  { rank: 25, model: 'VisualGLM-6B', val_accuracy_percent: 29.58, test_accuracy_percent: 30.45 },
  { rank: 26, model: 'RadFM', val_accuracy_percent: 22.95, test_accuracy_percent: 22.93 },
  { rank: 27, model: 'Qilin-Med-VL-Chat', val_accuracy_percent: 22.34, test_accuracy_percent: 22.06 },
  { rank: 28, model: 'LLaVA-Med', val_accuracy_percent: 20.54, test_accuracy_percent: 19.6 },
  { rank: 29, model: 'Med-Flamingo', val_accuracy_percent: 12.74, test_accuracy_percent: 11.64 },
];
