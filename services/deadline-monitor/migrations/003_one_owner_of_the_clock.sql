-- The monitor decides every deadline of a dossier (docs/domain.md, "One owner of the clock"): it
-- keeps the competent unit, every pause and reset, the step runs as published, and the sequence of
-- what it published, so that readers keep the latest.
ALTER TABLE dossiers RENAME COLUMN unit_code TO holding_unit_code;
ALTER TABLE dossiers
  ADD COLUMN competent_unit_code text,
  ADD COLUMN clock_basis text NOT NULL DEFAULT 'acceptance',
  ADD COLUMN pauses jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN resets jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN published_steps jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN sequence integer NOT NULL DEFAULT 0;
UPDATE dossiers SET competent_unit_code = receiving_unit_code WHERE competent_unit_code IS NULL;
ALTER TABLE dossiers ALTER COLUMN competent_unit_code SET NOT NULL;
DROP INDEX IF EXISTS dossiers_open_unit;
CREATE INDEX dossiers_open_holding_unit ON dossiers (holding_unit_code) WHERE status <> 'closed';

-- The centre's acceptance clock of each online submission, until it is accepted, refused or closed.
CREATE TABLE submissions (
  id uuid PRIMARY KEY,
  partition int NOT NULL,
  procedure_code text NOT NULL,
  receiving_unit_code text NOT NULL,
  submitted_at timestamptz NOT NULL,
  acceptance_time jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('waiting', 'awaiting-applicant', 'closed')),
  waiting_since timestamptz NOT NULL,
  due_at timestamptz,
  due_soon_at timestamptz,
  late_since timestamptz,
  sequence integer NOT NULL,
  verdict jsonb
);
CREATE INDEX submissions_waiting_unit ON submissions (receiving_unit_code) WHERE status <> 'closed';

-- Timers of acceptance deadlines beside the dossiers' own.
ALTER TABLE timers DROP CONSTRAINT timers_kind_check;
ALTER TABLE timers ADD CONSTRAINT timers_kind_check
  CHECK (kind IN ('due-soon', 'overdue', 'acceptance-due-soon', 'acceptance-overdue'));

-- The finished-only rate of the month counts resolved dossiers only, by competent unit.
ALTER TABLE verdicts
  ADD COLUMN end_kind text NOT NULL DEFAULT 'resolved',
  ADD COLUMN competent_unit_code text;
UPDATE verdicts SET competent_unit_code = unit_code WHERE competent_unit_code IS NULL;
ALTER TABLE verdicts ALTER COLUMN competent_unit_code SET NOT NULL;
CREATE INDEX verdicts_competent_ended ON verdicts (competent_unit_code, ended_at);
