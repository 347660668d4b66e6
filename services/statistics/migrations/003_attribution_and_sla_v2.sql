-- Every figure by competent unit and by receiving centre; due instants, step runs and verdicts from
-- the deadline monitor's events only, each kept by its highest sequence; late steps per step run;
-- the finished-only rate over resolved dossiers; the stricter online rate; acceptance figures.
-- docs/domain.md ("Attribution", "Figures") and services/statistics/README.md.

-- The dossier rows. `unit_code` was the receiving centre; `due_at` becomes the due instant in force
-- (the latest sla.deadline-set, else the receipt's), derived like finished_at.
ALTER TABLE stat_dossiers RENAME COLUMN unit_code TO receiving_unit_code;
ALTER TABLE stat_dossiers RENAME COLUMN due_at TO receipt_due_at;
ALTER TABLE stat_dossiers RENAME COLUMN sla_due_set_at TO deadline_set_at;
ALTER TABLE stat_dossiers
  -- competent unit: from the reception, replaced by the sla events' (highest sequence)
  ADD COLUMN received_competent_unit_code text,
  ADD COLUMN sla_competent_unit_code text,
  ADD COLUMN competent_sequence int,
  ADD COLUMN competent_set_at timestamptz,
  ADD COLUMN competent_unit_code text,
  -- the latest sla.deadline-set: sequence (deadline_set_at breaks ties among upcast version 1 events)
  ADD COLUMN deadline_sequence int,
  ADD COLUMN late_since timestamptz,
  ADD COLUMN paused boolean,
  ADD COLUMN due_at timestamptz,
  -- the latest sla.verdict, the latest step runs, and the highest sequence shown
  ADD COLUMN verdict_sequence int,
  ADD COLUMN verdict_set_at timestamptz,
  ADD COLUMN runs_sequence int,
  ADD COLUMN runs_set_at timestamptz,
  ADD COLUMN sla_sequence int,
  -- dossier.resolved: whether an electronic result was issued (the stricter online rate)
  ADD COLUMN electronic_result boolean;

-- What the rows already hold, read as version 1 events were (sequence 0); a rebuild replaces it.
UPDATE stat_dossiers SET
  received_competent_unit_code = receiving_unit_code,
  competent_unit_code = receiving_unit_code,
  deadline_sequence = CASE WHEN deadline_set_at IS NOT NULL THEN 0 END,
  due_at = COALESCE(sla_due_at, receipt_due_at),
  verdict_sequence = CASE WHEN verdict IS NOT NULL THEN 0 END,
  verdict_set_at = CASE WHEN verdict IS NOT NULL THEN verdict_end_at END,
  sla_sequence = CASE WHEN deadline_set_at IS NOT NULL OR verdict IS NOT NULL THEN 0 END;

DROP INDEX IF EXISTS stat_dossiers_fault;
CREATE INDEX stat_dossiers_competent_received ON stat_dossiers (competent_unit_code, received_day);
CREATE INDEX stat_dossiers_competent_finished ON stat_dossiers (competent_unit_code, finished_day);

-- The step runs of each dossier's latest sla event (deadline-set or verdict), replaced whenever a
-- higher sequence arrives: the runs shown in the dossier list and the late steps per unit.
CREATE TABLE stat_step_runs (
  dossier_id     uuid NOT NULL,
  run_no         int NOT NULL,
  step_id        text NOT NULL,
  unit_code      text NOT NULL,          -- the unit that held the step in this run (after transfers)
  staff_id       text,
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  ended_day      date,                   -- Asia/Ho_Chi_Minh
  due_at         timestamptz,
  budget_minutes int NOT NULL,
  late           boolean NOT NULL,
  over_minutes   int NOT NULL,
  PRIMARY KEY (dossier_id, run_no)
);
CREATE INDEX stat_step_runs_late ON stat_step_runs (unit_code, ended_day) WHERE late;

-- Online submissions and the centre's acceptance deadline (one row per submission, dossier id).
CREATE TABLE stat_submissions (
  dossier_id          uuid PRIMARY KEY,
  receiving_unit_code text,
  procedure_code      text,
  submitted_at        timestamptz,
  -- the latest sla.acceptance-deadline-set
  deadline_sequence   int,
  deadline_set_at     timestamptz,
  due_at              timestamptz,
  due_soon_at         timestamptz,
  waiting_since       timestamptz,
  -- accepted | refused | stopped, and when: from the lifecycle, replaced by the latest verdict
  outcome             text,
  decided_at          timestamptz,
  verdict_sequence    int,
  verdict_set_at      timestamptz,
  verdict             text,
  verdict_due_at      timestamptz,
  used_minutes        int,
  verdict_reason      text
);
CREATE INDEX stat_submissions_decided ON stat_submissions (decided_at);
CREATE INDEX stat_submissions_waiting ON stat_submissions (submitted_at) WHERE decided_at IS NULL;

-- The daily sums, per attribution: a dossier counts once under `receiving` (its receiving centre)
-- and once under `competent` (its competent unit); late steps count for the unit that held the
-- step under both. Emptied here and recomputed from the rows at the next start (README, Upgrade).
TRUNCATE stat_daily, stat_unit_daily;

ALTER TABLE stat_daily DROP CONSTRAINT stat_daily_pkey;
ALTER TABLE stat_daily
  ADD COLUMN attribution text NOT NULL,
  ADD COLUMN resolved_early int NOT NULL,
  ADD COLUMN resolved_on_time int NOT NULL,
  ADD COLUMN resolved_late int NOT NULL,
  ADD COLUMN resolved_online_electronic int NOT NULL,
  ADD COLUMN late_steps int NOT NULL,
  ADD CONSTRAINT stat_daily_attribution CHECK (attribution IN ('competent', 'receiving')),
  ADD PRIMARY KEY (attribution, unit_code, day, procedure_code, field, channel);
DROP INDEX IF EXISTS stat_daily_day;
CREATE INDEX stat_daily_day ON stat_daily (attribution, day);

ALTER TABLE stat_unit_daily DROP CONSTRAINT stat_unit_daily_pkey;
ALTER TABLE stat_unit_daily DROP COLUMN late_at_fault;
ALTER TABLE stat_unit_daily
  ADD COLUMN attribution text NOT NULL,
  ADD COLUMN resolved_early int NOT NULL,
  ADD COLUMN resolved_on_time int NOT NULL,
  ADD COLUMN resolved_late int NOT NULL,
  ADD COLUMN resolved_online_electronic int NOT NULL,
  ADD COLUMN late_steps int NOT NULL,
  ADD CONSTRAINT stat_unit_daily_attribution CHECK (attribution IN ('competent', 'receiving')),
  ADD PRIMARY KEY (attribution, unit_code, day);
DROP INDEX IF EXISTS stat_unit_daily_day;
CREATE INDEX stat_unit_daily_day ON stat_unit_daily (attribution, day);

-- Rows from before this migration lack competent units, step runs and submissions: the service
-- recomputes the sums and rebuilds from the topics when it starts (src/pipeline.ts, `upgrade`).
INSERT INTO stat_meta (key, value)
SELECT 'upgrade', '003' WHERE EXISTS (SELECT 1 FROM stat_dossiers);
