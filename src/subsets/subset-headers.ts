// How a response without a JSON envelope (NDJSON, TSV, CSV) names its subset.
export function subsetHeaders(id: string, origin: string): Record<string, string> {
  return { 'Subset-Id': id, Link: `<${origin}/v1/subsets/${id}>; rel="describedby"` };
}
