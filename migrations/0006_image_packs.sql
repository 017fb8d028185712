-- Images uploaded in one batch are stored together as one R2 object, a pack (one write instead of
-- one per image); the row names the pack and where the image starts in it (its length is `bytes`).
-- A row without a pack is a single object under its sha256: images uploaded one by one, and every
-- image stored before packs existed. stored_at (ISO 8601) is served as Last-Modified.
ALTER TABLE images ADD COLUMN pack_key TEXT;
ALTER TABLE images ADD COLUMN pack_offset INTEGER;
ALTER TABLE images ADD COLUMN stored_at TEXT;
