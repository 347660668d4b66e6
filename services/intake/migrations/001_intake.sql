-- The catalogue: one row per record of the compacted `catalog` topic (procedure:<code>, unit:<code>,
-- calendar:<year>). `seed_hash` is the hash of the data-file content last applied, so that a restart
-- republishes nothing and a changed data file is applied once.
CREATE TABLE catalog_records (
  key         text PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('procedure', 'unit', 'calendar')),
  data        jsonb NOT NULL,
  revision    integer NOT NULL CHECK (revision > 0),
  updated_at  timestamptz NOT NULL,
  actor       jsonb,
  seed_hash   text
);

-- Bumped by every catalogue change: instances reload their in-memory copy when it moves.
CREATE TABLE catalog_generation (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  generation  bigint NOT NULL
);
INSERT INTO catalog_generation (generation) VALUES (0);

-- Received dossiers (state 2 and later). The applicant's personal data lives here and nowhere else.
CREATE TABLE dossiers (
  id                  uuid PRIMARY KEY,
  code                text NOT NULL UNIQUE,
  channel             text NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
  procedure_code      text NOT NULL,
  receiving_unit_code text NOT NULL,
  handling_unit_code  text NOT NULL,
  state               text NOT NULL DEFAULT 'received',
  submitted_at        timestamptz NOT NULL,
  received_at         timestamptz NOT NULL,
  clock_starts_at     timestamptz NOT NULL,
  due_at              timestamptz NOT NULL,
  portal_ref          text,
  applicant           jsonb NOT NULL,
  receipt             jsonb NOT NULL,
  received_by         text NOT NULL,
  state_changed_at    timestamptz NOT NULL
);
CREATE INDEX dossiers_unit_received ON dossiers (receiving_unit_code, received_at);

-- Dossier code sequence (số thứ tự trong ngày) per unit and local day: the row lock taken by the
-- increment serialises receptions at one unit, and a rolled-back reception gives its number back.
CREATE TABLE dossier_code_counters (
  unit_code  text NOT NULL,
  day        date NOT NULL,
  last       integer NOT NULL,
  PRIMARY KEY (unit_code, day)
);

-- Idempotency of receptions: `key:<unit>:<Idempotency-Key>` and `portal:<portal reference>`.
CREATE TABLE reception_keys (
  key           text PRIMARY KEY,
  request_hash  text NOT NULL,
  dossier_id    uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Online submissions awaiting acceptance (states 1, 3, 5; 2 once accepted).
CREATE TABLE submissions (
  id                    uuid PRIMARY KEY,
  portal_ref            text NOT NULL UNIQUE,
  procedure_code        text NOT NULL,
  receiving_unit_code   text NOT NULL,
  state                 text NOT NULL CHECK (state IN ('submitted', 'awaiting_supplement', 'refused', 'received', 'stopped')),
  submitted_at          timestamptz NOT NULL,
  applicant             jsonb NOT NULL,
  documents             jsonb NOT NULL,
  request_hash          text NOT NULL,
  supplement_requests   integer NOT NULL DEFAULT 0,
  supplement_requested_at timestamptz,
  history               jsonb NOT NULL DEFAULT '[]',
  dossier_code          text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submissions_unit_state ON submissions (receiving_unit_code, state);
