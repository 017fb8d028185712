-- R2 key of the split's compact scoring key (src/ingest/scoring-key-codec.ts), written before the
-- commit that swaps the split in. NULL for splits imported before it existed: scoring reads D1 then.
ALTER TABLE splits ADD COLUMN scoring_key TEXT;
