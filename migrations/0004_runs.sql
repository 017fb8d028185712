-- Stored runs (issue 10): one row per distinct (token, model, split, dataset version, predictions).
-- Per-question outcomes are one BLOB in the format of src/runs/outcomes.ts (format byte first; about
-- 16 KB for VAL and 75 KB for TEST with three scorers), so a leaderboard reads every public run of a
-- split in one query (substr() of the BLOB: the submitted and one scorer's hit bitset).
-- (A rowid table: WITHOUT ROWID suits small rows, not BLOBs of tens of KB.)
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  token_id TEXT NOT NULL,
  model TEXT NOT NULL,
  organization TEXT,
  model_url TEXT,
  paper_url TEXT,
  notes TEXT,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  split TEXT NOT NULL CHECK (split IN ('val', 'test')),
  dataset_version TEXT NOT NULL,
  predictions_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- JSON array of scorer names: the order of the scorer sections in `outcomes`.
  scorers TEXT NOT NULL,
  -- JSON object scorer -> {n, correct}: each scorer's result over every submitted question.
  results TEXT NOT NULL,
  -- N: questions of the split in this dataset version (positions 0..N-1 in index order).
  question_count INTEGER NOT NULL,
  outcomes BLOB NOT NULL,
  receipt TEXT NOT NULL,
  UNIQUE (token_id, model, split, dataset_version, predictions_sha256)
);
CREATE INDEX runs_by_split ON runs (split, dataset_version, visibility, created_at DESC, id DESC);
CREATE INDEX runs_by_model ON runs (model, created_at DESC, id DESC);
CREATE INDEX runs_by_token ON runs (token_id, created_at DESC, id DESC);
