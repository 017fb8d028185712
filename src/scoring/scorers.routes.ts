// GET /v1/scorers: the answer-extraction rule versions POST /v1/scores can apply, and what each changed.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../env';
import { jsonResponse } from '../openapi/responses';
import { DEFAULT_SCORER, SCORER_NAMES, SCORERS } from './scorers';

/** The registry only changes with a deployment. */
const SCORERS_CACHE_CONTROL = 'public, max-age=3600';

const ScorersSchema = v.pipe(
  v.object({
    default: v.picklist(SCORER_NAMES),
    data: v.array(
      v.object({
        name: v.picklist(SCORER_NAMES),
        default: v.boolean(),
        vlmevalkit_commits: v.pipe(
          v.object({ from: v.string(), before: v.nullable(v.string()) }),
          v.description('The VLMEvalKit commits whose matching this reproduces: from `from` up to, not including, `before` (null: current).'),
        ),
        changes: v.pipe(v.array(v.string()), v.description('What changed against the previous version.')),
        rules: v.object({
          last_four_tokens: v.pipe(v.boolean(), v.description('A lone choice letter counts only among the last four tokens.')),
          length_guard: v.pipe(v.boolean(), v.description('No option-text match in a prediction longer than twice the option texts.')),
          regex_fallback: v.pipe(v.boolean(), v.description('`answer is X` names the letter when the letter tokens decide nothing.')),
        }),
      }),
    ),
  }),
  v.metadata({ ref: 'Scorers' }),
);

const body: v.InferOutput<typeof ScorersSchema> = {
  default: DEFAULT_SCORER,
  data: SCORERS.map((scorer) => ({
    name: scorer.name,
    default: scorer.default,
    vlmevalkit_commits: scorer.vlmevalkitCommits,
    changes: [...scorer.changes],
    rules: { last_four_tokens: scorer.rules.lastFourTokens, length_guard: scorer.rules.lengthGuard, regex_fallback: scorer.rules.regexFallback },
  })),
};

export const scorerRoutes = new Hono<AppEnv>().get(
  '/scorers',
  describeRoute({
    tags: ['scoring'],
    summary: 'Answer-extraction rule versions (VLMEvalKit matching) and what each changed',
    responses: { 200: jsonResponse('The scorers, oldest first.', ScorersSchema) },
  }),
  (c) => {
    c.header('Cache-Control', SCORERS_CACHE_CONTROL);
    return c.json(body);
  },
);
