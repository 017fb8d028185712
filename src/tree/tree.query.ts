// One grouped count over the filtered questions: every tree level and facet is summed from it.
import { sql, type SQL } from 'drizzle-orm';
import { answerKeyJoin, selectionConditions, type Selection } from '../selection/selection';

export function treeStatement(f: Selection): SQL {
  const answers = answerKeyJoin(f.split);
  const label = answers ? sql`, k.category AS label` : sql``;
  // Unary + keeps the planner from picking an index for the GROUP BY order over the one for the
  // filter (without statistics it would read the whole split to avoid a small sort).
  return sql`SELECT q.clinical_vqa_task, q.department, q.perceptual_granularity, q.modality, q.original_task${label}, count(*) AS count
    FROM questions q ${answers ?? sql``}
    WHERE ${selectionConditions(f)}
    GROUP BY +q.clinical_vqa_task, +q.department, +q.perceptual_granularity, +q.modality, +q.original_task${answers ? sql`, k.category` : sql``}`;
}
