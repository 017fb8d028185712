// How a response names the subset it selected (GET /v1/subsets/{id} resolves it). Pure: valibot only.
import * as v from 'valibot';

export const SubsetRefSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.description('Stable id of the selection at this dataset version: pass it as `subset` wherever a selection is taken.')),
    url: v.pipe(v.string(), v.description('GET it for the selection and its counts.')),
  }),
  v.metadata({ ref: 'SubsetRef' }),
);
