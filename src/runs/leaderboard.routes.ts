// GET /v1/leaderboard: every public run recomputed on any selection from its stored bitsets (one
// query, popcounts), ranked; on the whole split under the 2024 rules the published results beside them.
import { resolveSelection } from '../selection/resolve-selection';
import { nameSubset, subsetRef } from '../subsets/subsets.store';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../env';
import { ANSWERS_PUBLIC } from '../dataset/vocabulary';
import { readDatasetState } from '../dataset/version';
import { ProblemError } from '../http/problem';
import { rateLimit } from '../http/rate-limit';
import { validate } from '../http/validate';
import { jsonResponse, problemResponses } from '../openapi/responses';
import { hasFilterBeyondSplit } from '../selection/selection';
import { DEFAULT_SCORER } from '../scoring/scorers';
import { MIN_HIDDEN_SPLIT_NODE } from '../scoring/score-report';
import { scoringKey, subsetIndexes } from '../scoring/scoring-key.store';
import { rankLeaderboard, type ReferenceResult } from './leaderboard';
import { countSelected } from './outcomes';
import { PUBLISHED_LEADERBOARD, PUBLISHED_SOURCE } from './published-leaderboard';
import { chargeHiddenSelection } from './run-access';
import { subsetBitset } from './run-scoring';
import { LeaderboardQuerySchema, LeaderboardSchema } from './runs.contract';
import { publicRunBits } from './runs.store';

export const leaderboardRoutes = new Hono<AppEnv>().get(
  '/leaderboard',
  describeRoute({
    tags: ['runs'],
    summary: 'Leaderboard of public runs on any subset',
    description:
      'Every public run of the served dataset version recomputed on the selected questions (the filters of /v1/questions) under `scorer`, ranked by accuracy: ' +
      'equal accuracies share a rank and are flagged `tied`, and `overlaps_previous` says when a row’s 95% interval overlaps the row above. ' +
      'On the whole split under vlmevalkit-2024, the results published in the benchmark’s README are reference rows (`published: true`, no per-question data; `Random` is the unranked baseline). ' +
      `TEST: a selection of fewer than ${MIN_HIDDEN_SPLIT_NODE} questions is refused (422), runs with fewer than ${MIN_HIDDEN_SPLIT_NODE} answered questions in it are left out (counted in \`hidden_runs\`), and a selection narrower than the split needs a score:test token and uses a slot of its daily quota (two selections differing by one question would otherwise tell its hits).`,
    responses: { 200: jsonResponse('The ranked rows.', LeaderboardSchema), ...problemResponses(400, 409, 422, 429) },
  }),
  rateLimit('compare'),
  validate('query', LeaderboardQuerySchema),
  async (c) => {
    const query = c.req.valid('query');
    const { scorer } = query;
    const db = c.var.db;
    const selection = await resolveSelection(db, query);
    const { split } = selection;
    const answersHidden = !ANSWERS_PUBLIC[split];
    const dataset = await readDatasetState(db);
    if (!dataset.splits[split]) throw new ProblemError({ status: 409, title: 'Split not imported', detail: `No ${split} questions have been imported.` });
    const wholeSplit = !hasFilterBeyondSplit(selection);
    const [key, subset, runs, subsetId] = await Promise.all([
      scoringKey(db, c.env.IMAGES, split, dataset),
      wholeSplit ? null : subsetIndexes(db, selection),
      publicRunBits(db, split, dataset.version, scorer),
      nameSubset(db, selection, dataset.version),
    ]);
    const questions = subset ? subset.size : key.size;
    if (answersHidden && questions < MIN_HIDDEN_SPLIT_NODE) {
      throw new ProblemError({
        status: 422,
        title: 'Selection too small',
        detail: `${split} answers are hidden: a leaderboard needs a selection of at least ${MIN_HIDDEN_SPLIT_NODE} questions (this one has ${questions}).`,
      });
    }
    await chargeHiddenSelection(c, selection, ['leaderboard', scorer]);
    const bits = subsetBitset(key, subset);
    const counted = runs.map((run) => ({ id: run.id, model: run.model, organization: run.organization, ...countSelected(run.bits, bits) }));
    const shown = answersHidden ? counted.filter((r) => r.n >= MIN_HIDDEN_SPLIT_NODE) : counted;
    const withReferences = wholeSplit && scorer === DEFAULT_SCORER;
    const references: ReferenceResult[] = withReferences
      ? PUBLISHED_LEADERBOARD.map((p) => ({
          model: p.model,
          accuracy: (split === 'val' ? p.val_accuracy_percent : p.test_accuracy_percent) / 100,
          baseline: p.rank === null,
        }))
      : [];
    return c.json({
      split,
      scorer,
      dataset_version: dataset.version,
      subset: { ...subsetRef(subsetId, new URL(c.req.url).origin), questions, whole_split: wholeSplit },
      data: rankLeaderboard(shown, references),
      ...(answersHidden ? { hidden_runs: counted.length - shown.length } : {}),
      ...(withReferences ? { published_source: PUBLISHED_SOURCE } : {}),
    });
  },
);
