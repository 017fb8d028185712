-- Bearer tokens for scoring TEST (answers hidden). Only the sha256 of a token is stored.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
) WITHOUT ROWID;
