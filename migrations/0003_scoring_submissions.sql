-- TEST scorings per token, for the daily quota: a breakdown of hidden answers is information, so
-- how often a token may ask for one is bounded. Resubmitting identical predictions is free.
CREATE TABLE scoring_submissions (
  token_id TEXT NOT NULL,
  split TEXT NOT NULL,
  predictions_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (token_id, split, predictions_sha256)
) WITHOUT ROWID;
CREATE INDEX scoring_submissions_by_time ON scoring_submissions (token_id, created_at);
