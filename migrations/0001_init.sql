-- Questions of both splits. `id` is the rowid the FTS5 index points at; (split, idx) is the public key.
CREATE TABLE questions (
  id INTEGER PRIMARY KEY,
  split TEXT NOT NULL CHECK (split IN ('val', 'test')),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  question TEXT NOT NULL,
  a TEXT, b TEXT, c TEXT, d TEXT, e TEXT,
  option_count INTEGER NOT NULL CHECK (option_count BETWEEN 2 AND 5),
  clinical_vqa_task TEXT NOT NULL,
  department TEXT, -- NULL is the benchmark's N/A department
  perceptual_granularity TEXT NOT NULL,
  modality TEXT NOT NULL,
  original_task TEXT NOT NULL,
  image_sha256 TEXT NOT NULL,
  UNIQUE (split, idx)
);
-- One index per filter the read API offers; `idx` last so a filtered page is read in key order.
CREATE INDEX questions_by_task ON questions (split, clinical_vqa_task, idx);
CREATE INDEX questions_by_department ON questions (split, department, idx);
CREATE INDEX questions_by_granularity ON questions (split, perceptual_granularity, idx);
CREATE INDEX questions_by_modality ON questions (split, modality, idx);
CREATE INDEX questions_by_original_task ON questions (split, original_task, idx);
CREATE INDEX questions_by_image ON questions (image_sha256);

-- Answers and labels live apart from questions so that a public query can only emit them by joining
-- this table on purpose (VAL); TEST rows here are never projected. `category` is the answer text.
CREATE TABLE answer_key (
  split TEXT NOT NULL,
  idx INTEGER NOT NULL,
  answer TEXT CHECK (answer IN ('A', 'B', 'C', 'D', 'E')),
  category TEXT,
  PRIMARY KEY (split, idx)
) WITHOUT ROWID;
CREATE INDEX answer_key_by_category ON answer_key (split, category, idx);

-- Keyword search over question and option text. Derived from `questions` (rebuilt on every import
-- commit), so it can always be dropped and rebuilt.
CREATE VIRTUAL TABLE questions_fts USING fts5 (
  question, a, b, c, d, e,
  content = 'questions', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Images stored in R2 under their sha256; a row here means the object is there.
CREATE TABLE images (
  sha256 TEXT PRIMARY KEY,
  bytes INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  content_type TEXT NOT NULL
) WITHOUT ROWID;

-- What is served per split; content_sha256 identifies the imported content (dataset version input).
CREATE TABLE splits (
  split TEXT PRIMARY KEY CHECK (split IN ('val', 'test')),
  questions INTEGER NOT NULL,
  answers INTEGER NOT NULL, -- rows with a known answer (0 for TEST without a key)
  content_sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL
) WITHOUT ROWID;

-- Imports are staged and swapped in by one atomic batch, so a failed or interrupted import never
-- touches what is served.
CREATE TABLE imports (
  id TEXT PRIMARY KEY,
  split TEXT NOT NULL CHECK (split IN ('val', 'test')),
  status TEXT NOT NULL CHECK (status IN ('staging', 'committed', 'unchanged', 'aborted')),
  created_at TEXT NOT NULL,
  finished_at TEXT
) WITHOUT ROWID;

CREATE TABLE staged_questions (
  import_id TEXT NOT NULL,
  idx INTEGER NOT NULL CHECK (idx >= 0),
  question TEXT NOT NULL,
  a TEXT, b TEXT, c TEXT, d TEXT, e TEXT,
  option_count INTEGER NOT NULL,
  answer TEXT,
  category TEXT,
  clinical_vqa_task TEXT NOT NULL,
  department TEXT,
  perceptual_granularity TEXT NOT NULL,
  modality TEXT NOT NULL,
  original_task TEXT NOT NULL,
  image_sha256 TEXT NOT NULL,
  PRIMARY KEY (import_id, idx)
) WITHOUT ROWID;
