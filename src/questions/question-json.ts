// The public shape of a question (schema for the OpenAPI document, and the type the handlers emit).
import * as v from 'valibot';
import { LETTERS, SPLITS, type Letter, type Split } from '../dataset/vocabulary';
import { vlmevalkitPrompt } from './prompt';
import { questionOptions, type QuestionRow } from './questions.query';

export const ImageSchema = v.pipe(
  v.object({
    url: v.pipe(v.string(), v.description('Absolute, content-addressed URL of the image (immutable).')),
    sha256: v.string(),
    bytes: v.number(),
    width: v.number(),
    height: v.number(),
    content_type: v.picklist(['image/png', 'image/jpeg']),
  }),
  v.metadata({ ref: 'Image' }),
);

const Text = v.string();
export const QuestionSchema = v.pipe(
  v.object({
    split: v.picklist(SPLITS),
    index: v.number(),
    question: v.string(),
    options: v.pipe(
      v.object({ A: Text, B: Text, C: v.optional(Text), D: v.optional(Text), E: v.optional(Text) }),
      v.description('The non-empty options, in letter order (2 to 5).'),
    ),
    clinical_vqa_task: v.string(),
    department: v.pipe(v.nullable(v.string()), v.description('null for the N/A department (filter value `N/A`).')),
    perceptual_granularity: v.string(),
    modality: v.string(),
    original_task: v.string(),
    image: ImageSchema,
    prompt: v.pipe(
      v.string(),
      v.description("VLMEvalKit's exact text prompt for this row (ImageMCQDataset.build_prompt); send the image first, then this text."),
    ),
    answer: v.pipe(v.optional(v.nullable(v.picklist(LETTERS))), v.description('Correct letter. VAL only: absent on TEST.')),
    category: v.pipe(v.optional(v.nullable(v.string())), v.description('Lexical-tree label (the correct option text). VAL only: absent on TEST.')),
  }),
  v.metadata({ ref: 'Question' }),
);
export type QuestionJson = v.InferOutput<typeof QuestionSchema>;

export function toQuestionJson(row: QuestionRow, split: Split, origin: string): QuestionJson {
  const options = questionOptions(row);
  const question: QuestionJson = {
    split,
    index: row.idx,
    question: row.question,
    options: options as QuestionJson['options'],
    clinical_vqa_task: row.clinical_vqa_task,
    department: row.department,
    perceptual_granularity: row.perceptual_granularity,
    modality: row.modality,
    original_task: row.original_task,
    image: {
      url: `${origin}/v1/images/${row.image_sha256}`,
      sha256: row.image_sha256,
      bytes: row.bytes,
      width: row.width,
      height: row.height,
      content_type: row.content_type as QuestionJson['image']['content_type'],
    },
    prompt: vlmevalkitPrompt(row.question, options),
  };
  // Present only when the query joined the answer key, which answerKeyJoin allows on VAL alone.
  if ('answer' in row) {
    question.answer = (row.answer ?? null) as Letter | null;
    question.category = row.category ?? null;
  }
  return question;
}
