-- Stable subset ids (issue 9): an id is a short hash of the dataset version and the canonical
-- selection (src/subsets/subset-id.ts), written with INSERT OR IGNORE when a response first names it,
-- so GET /v1/subsets/{id} and `subset=<id>` can resolve it back. A row never changes. TEST rows hold
-- no answer data: label filters are refused on TEST before a selection is ever named.
CREATE TABLE subsets (
  id TEXT PRIMARY KEY,
  split TEXT NOT NULL CHECK (split IN ('val', 'test')),
  -- The canonical selection as JSON (canonicalSelection: split and the given filters).
  selection TEXT NOT NULL,
  dataset_version TEXT NOT NULL,
  -- Counts at that dataset version: questions selected and distinct images among them.
  questions INTEGER NOT NULL,
  images INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
