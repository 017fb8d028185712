// GET /v1/tree: the lexical tree with question counts for the current filters (a facet view).
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { ANSWERS_PUBLIC, SPLITS } from '../dataset/vocabulary';
import { datasetCaching, type DatasetEnv } from '../http/dataset-cache';
import { validate } from '../http/validate';
import { jsonResponse, NOT_MODIFIED, problemResponses } from '../openapi/responses';
import { SelectionQuerySchema } from '../selection/selection';
import { resolveSelection } from '../selection/resolve-selection';
import { nameSubset, subsetRef } from '../subsets/subsets.store';
import { SubsetRefSchema } from '../subsets/subset-ref';
import { buildTree, type TreeGroup } from './tree';
import { treeStatement } from './tree.query';

const Count = v.number();
const LexiconSchema = v.array(
  v.object({
    value: v.pipe(v.nullable(v.string()), v.description('In `department`, null is the N/A department (filter value `N/A`).')),
    count: Count,
    modalities: v.array(
      v.object({
        modality: v.string(),
        count: Count,
        labels: v.pipe(
          v.optional(v.array(v.object({ label: v.nullable(v.string()), count: Count }))),
          v.description('Leaf labels (the correct option text): VAL only, absent on TEST.'),
        ),
      }),
    ),
  }),
);
const ValueCounts = v.array(v.object({ value: v.string(), count: Count }));

const TreeSchema = v.pipe(
  v.object({
    split: v.picklist(SPLITS),
    total: v.pipe(Count, v.description('Questions matching the filters.')),
    dataset_version: v.string(),
    lexicons: v.object({ clinical_vqa_task: LexiconSchema, department: LexiconSchema, perceptual_granularity: LexiconSchema }),
    modality: ValueCounts,
    original_task: ValueCounts,
    subset: SubsetRefSchema,
  }),
  v.metadata({ ref: 'LexicalTree' }),
);

export const treeRoutes = new Hono<DatasetEnv>().get(
  '/tree',
  describeRoute({
    tags: ['questions'],
    summary: 'Lexical tree with question counts for the filters',
    description:
      'Three lexicons (clinical VQA task, department, perceptual granularity), each value → modality → label, plus flat ' +
      'modality and original-task counts, all over the questions matching the filters (same filters as /v1/questions). ' +
      'Entries are sorted by value (code-point order, null last). `subset=<id>` stands for the filters it was named for.',
    responses: { 200: jsonResponse('The tree.', TreeSchema), ...NOT_MODIFIED, ...problemResponses(400, 404, 410) },
  }),
  validate('query', SelectionQuerySchema, true),
  datasetCaching,
  async (c) => {
    const filters = await resolveSelection(c.var.db, c.req.valid('query'));
    const version = c.var.dataset.version;
    const [groups, subset] = await Promise.all([c.var.db.all<TreeGroup>(treeStatement(filters)), nameSubset(c.var.db, filters, version)]);
    const tree = buildTree(groups, ANSWERS_PUBLIC[filters.split]);
    return c.json({
      split: filters.split,
      total: tree.total,
      dataset_version: version,
      lexicons: tree.lexicons,
      modality: tree.modality,
      original_task: tree.original_task,
      subset: subsetRef(subset, new URL(c.req.url).origin),
    });
  },
);
