import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScoredRow } from './accuracy';
import { scorePrediction } from './extract-choice';
import { parsePredictionsXlsx } from './prediction-files';
import { GMAI_DIR, HAVE_VAL_META, readValMeta, type MetaRow } from '../../test/fixtures/real-val-meta';
import { VLMEVALKIT_GROUP_COLUMNS, vlmevalkitAccuracyCsv } from './vlmevalkit-csv';

/**
 * Parity with VLMEvalKit on real output: score its prediction .xlsx files against the real VAL split
 * and reproduce its official *_acc.csv reports byte for byte (see ../shared/gmai/README.md).
 */

const modelsDir = path.join(GMAI_DIR, 'vlmevalkit');
const available = HAVE_VAL_META && existsSync(modelsDir);
if (!available) console.warn(`Skipping VLMEvalKit parity tests: real data not found at ${GMAI_DIR}`);

/** Hits out of 4,550 published for each model (../shared/gmai/README.md). */
const PUBLISHED_CORRECT: Readonly<Record<string, number>> = { 'Qwen2-VL-7B-Instruct': 2114, qwen_chat: 1530 };

async function scoreFile(xlsx: Uint8Array, meta: ReadonlyMap<number, MetaRow>): Promise<ScoredRow[]> {
  const parsed = await parsePredictionsXlsx(xlsx);
  if (!parsed.ok) throw new Error(`could not read predictions: ${JSON.stringify(parsed.errors.slice(0, 5))}`);
  return parsed.rows.map(({ index, prediction }) => {
    const question = meta.get(index);
    if (question === undefined) throw new Error(`index ${index} is not in VAL`);
    return { index, ...scorePrediction(prediction, question), groups: question.groups };
  });
}

const models = available ? readdirSync(modelsDir).sort() : [];

describe.skipIf(!available)('VLMEvalKit parity on real prediction files', () => {
  const meta = available ? readValMeta() : new Map<number, MetaRow>();
  const predictionsFile = (model: string) => new Uint8Array(readFileSync(path.join(modelsDir, model, `${model}_GMAI-MMBench_VAL.xlsx`)));

  it('has the real VAL split and both published models', () => {
    expect(meta.size).toBe(4550);
    expect(models).toEqual(Object.keys(PUBLISHED_CORRECT).sort());
  });

  it.each(models)('%s: scores every row and matches the published overall count', async (model) => {
    const rows = await scoreFile(predictionsFile(model), meta);
    expect(rows).toHaveLength(4550);
    expect(rows.reduce((sum, row) => sum + row.hit, 0)).toBe(PUBLISHED_CORRECT[model]);
  });

  it.each(models.flatMap((model) => VLMEVALKIT_GROUP_COLUMNS.map((column) => [model, column] as const)))(
    '%s: reproduces the "%s" report byte for byte',
    async (model, column) => {
      const expected = readFileSync(path.join(modelsDir, model, `${model}_GMAI-MMBench_VAL_${column}_acc.csv`));
      const actual = vlmevalkitAccuracyCsv(await scoreFile(predictionsFile(model), meta), column);
      expect(actual).toBe(expected.toString('utf8'));
      expect(Buffer.from(actual, 'utf8').equals(expected)).toBe(true);
    },
  );

  it('reads and scores a real 4,550-row file quickly (median of 5)', async () => {
    const bytes = predictionsFile(models[0] ?? '');
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      await scoreFile(bytes, meta);
      times.push(performance.now() - start);
    }
    const median = times.sort((a, b) => a - b)[2] ?? Infinity;
    console.info(`parse + score of ${models[0]}: median ${median.toFixed(1)} ms over 5 runs`);
    // The target is well under 100 ms; the bound leaves room for slow CI machines.
    expect(median).toBeLessThan(400);
  });
});
