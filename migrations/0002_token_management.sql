-- Manageable scoring tokens: optional expiry, scopes (space-separated, OAuth style; existing tokens keep
-- every scope they implicitly had) and the time of last use (written at most once a minute per token).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'runs:write score:test';
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
