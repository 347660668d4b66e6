-- Processing computes no deadline of its own: the deadline monitor decides the due instant and every
-- step run's deadline (docs/domain.md, "One owner of the clock"), and processing keeps what the
-- monitor last published, per dossier, by the highest `sequence`.

-- The monitor's latest data per dossier (sla.deadline-set and sla.verdict), kept even when it arrives
-- before the reception: the two topics are read in no particular order.
ALTER TABLE sla_deadlines RENAME TO sla_latest;
ALTER TABLE sla_latest RENAME COLUMN set_at TO recorded_at;
ALTER TABLE sla_latest
  -- null while a pause that began before the due instant is open
  ALTER COLUMN due_at DROP NOT NULL,
  -- rows written before this migration came from version 1, which had no sequence: 0, as upcast
  ADD COLUMN sequence            integer NOT NULL DEFAULT 0,
  ADD COLUMN dossier_code        text,
  ADD COLUMN due_soon_at         timestamptz,
  -- the latest due instant known, kept while a pause hides it
  ADD COLUMN known_due_at        timestamptz,
  ADD COLUMN paused              boolean NOT NULL DEFAULT false,
  ADD COLUMN late_since          timestamptz,
  ADD COLUMN promised_at         timestamptz,
  ADD COLUMN receiving_unit_code text,
  ADD COLUMN competent_unit_code text,
  ADD COLUMN holding_unit_code   text,
  ADD COLUMN verdict             text,
  ADD COLUMN verdict_reason      text,
  ADD COLUMN effective_end_at    timestamptz,
  ADD COLUMN unit_at_fault_code  text;
UPDATE sla_latest SET known_due_at = due_at;
ALTER TABLE sla_latest ALTER COLUMN sequence DROP DEFAULT;

-- Every run of every step as the monitor's latest event lists it, replaced whole with each event:
-- its unit after transfers, its deadline, the staff member, and whether the monitor judged it late.
CREATE TABLE sla_step_runs (
  dossier_id uuid NOT NULL,
  run_no     integer NOT NULL,
  step_id    text NOT NULL,
  unit_code  text NOT NULL,
  staff_id   text,
  started_at timestamptz NOT NULL,
  ended_at   timestamptz,
  due_at     timestamptz,
  late       boolean NOT NULL,
  PRIMARY KEY (dossier_id, run_no)
);
-- Per-staff timeliness: the runs ended in a month at a unit.
CREATE INDEX sla_step_runs_unit_ended ON sla_step_runs (unit_code, ended_at);

-- Processing's own record of where the dossier went: who held which step when. It no longer carries
-- a deadline; the step runs shown and counted are the monitor's.
ALTER TABLE step_runs RENAME TO step_visits;
ALTER INDEX step_runs_unit_ended RENAME TO step_visits_unit_ended;
ALTER TABLE step_visits DROP COLUMN deadline_at;

-- The dossier's due instant as the views and queues use it: the monitor's latest, the receipt's
-- before the first sla.deadline-set; null while a pause hides it.
ALTER TABLE dossiers
  ALTER COLUMN due_at DROP NOT NULL,
  ADD COLUMN due_soon_at timestamptz,
  -- The latest due instant known, kept while a pause hides it: the work queue's order, and an
  -- extension's previous date while the due instant is unknown.
  ADD COLUMN known_due_at timestamptz,
  -- The due instant the apology letter moved (NgayHenTraTruoc), as the extension recorded it.
  ADD COLUMN extension_previous_due_at timestamptz,
  -- The competent unit the reception named; null for rows received before it was recorded (the
  -- service reads those with contracts' competentUnitOf). The monitor's, once it has spoken, wins.
  ADD COLUMN competent_unit_code text;
UPDATE dossiers SET known_due_at = due_at;
ALTER TABLE dossiers ALTER COLUMN known_due_at SET NOT NULL;
UPDATE dossiers d SET extension_previous_due_at = (t.details->>'previousDueAt')::timestamptz
  FROM timeline t WHERE t.dossier_id = d.id AND t.type = 'dossier.extended';

-- Work queues: keyset on (known_due_at, id) under each filter. Open means received, processing,
-- awaiting supplement or payment, or withdrawal requested (contracts' openStates): only an open
-- dossier can be overdue.
DROP INDEX dossiers_unit_state_due, dossiers_unit_due, dossiers_state_due, dossiers_due,
  dossiers_running_unit_due, dossiers_running_due;
CREATE INDEX dossiers_unit_state_queue ON dossiers (current_unit_code, state, known_due_at, id);
CREATE INDEX dossiers_unit_queue ON dossiers (current_unit_code, known_due_at, id);
CREATE INDEX dossiers_state_queue ON dossiers (state, known_due_at, id);
CREATE INDEX dossiers_queue ON dossiers (known_due_at, id);
CREATE INDEX dossiers_open_unit_queue ON dossiers (current_unit_code, known_due_at, id)
  WHERE state IN ('received', 'processing', 'awaiting_supplement', 'awaiting_payment', 'withdrawal_requested');
CREATE INDEX dossiers_open_queue ON dossiers (known_due_at, id)
  WHERE state IN ('received', 'processing', 'awaiting_supplement', 'awaiting_payment', 'withdrawal_requested');
