// The one step every route that takes a selection runs before using it: a `subset=<id>` becomes the
// split and filters it was named for (404 unknown, 410 of a dataset version no longer served), a
// split with filters is taken as given. Routes never build a Selection from their query themselves.
import type { Database } from '../db/database';
import { invalidQuery } from '../http/problem';
import { servedSubset } from '../subsets/subsets.store';
import { selectionOf, type Selection, type SelectionQuery } from './selection';

export async function resolveSelection(db: Database, query: SelectionQuery): Promise<Selection> {
  if (query.subset === undefined) {
    if (query.split === undefined) throw invalidQuery('split', 'is required (or give subset)');
    return selectionOf({ ...query, split: query.split });
  }
  const { selection } = await servedSubset(db, query.subset);
  if (query.split !== undefined && query.split !== selection.split)
    throw invalidQuery('split', `is ${query.split}, but subset ${query.subset} is of ${selection.split}`);
  return selection;
}
