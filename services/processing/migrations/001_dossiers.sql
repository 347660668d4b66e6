-- The state of each received dossier; every row is a fold of the dossier's events (src/domain/apply.ts).
CREATE TABLE dossiers (
  id                      uuid PRIMARY KEY,
  code                    text NOT NULL,
  procedure_code          text NOT NULL,
  procedure_name          text NOT NULL,
  receiving_unit_code     text NOT NULL,
  current_unit_code       text NOT NULL,
  assignee_staff_id       text,
  assignee_name           text,
  state                   text NOT NULL,
  version                 integer NOT NULL,
  steps                   jsonb NOT NULL,
  step_index              integer NOT NULL,
  supplement_rule         text NOT NULL,
  max_supplement_requests integer,
  received_at             timestamptz NOT NULL,
  -- Promised return instant (NgayHenTra): from reception, then from the monitor's sla.deadline-set.
  due_at                  timestamptz NOT NULL,
  extended_due_at         timestamptz,
  extended_at             timestamptz,
  extension_reason        text,
  supplement_requests     integer NOT NULL,
  paused_at               timestamptz,
  withdrawal_from_state   text,
  outcome                 text,
  resolved_at             timestamptz,
  return_channel          text,
  returned_at             timestamptz,
  stop_reason             text,
  stopped_at              timestamptz,
  updated_at              timestamptz NOT NULL
);

-- Work queues: keyset on (due_at, id) under each filter.
CREATE INDEX dossiers_unit_state_due ON dossiers (current_unit_code, state, due_at, id);
CREATE INDEX dossiers_unit_due ON dossiers (current_unit_code, due_at, id);
CREATE INDEX dossiers_state_due ON dossiers (state, due_at, id);
CREATE INDEX dossiers_due ON dossiers (due_at, id);
-- Overdue means open and running (received or processing) past its due instant.
CREATE INDEX dossiers_running_unit_due ON dossiers (current_unit_code, due_at, id)
  WHERE state IN ('received', 'processing');
CREATE INDEX dossiers_running_due ON dossiers (due_at, id) WHERE state IN ('received', 'processing');

-- Timeline: one line per event applied (who, which unit, when, what, with the reason or note).
CREATE TABLE timeline (
  event_id    uuid PRIMARY KEY,
  dossier_id  uuid NOT NULL REFERENCES dossiers (id),
  seq         integer NOT NULL,
  type        text NOT NULL,
  occurred_at timestamptz NOT NULL,
  staff_id    text,
  unit_code   text NOT NULL,
  state_after text NOT NULL,
  note        text,
  details     jsonb NOT NULL,
  UNIQUE (dossier_id, seq)
);

-- Each visit of a dossier to a step: who handled it, its deadline and whether it was met (NĐ 335/2025).
CREATE TABLE step_runs (
  dossier_id  uuid NOT NULL REFERENCES dossiers (id),
  run_no      integer NOT NULL,
  step_id     text NOT NULL,
  unit_code   text NOT NULL,
  staff_id    text,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  deadline_at timestamptz NOT NULL,
  PRIMARY KEY (dossier_id, run_no)
);
CREATE INDEX step_runs_unit_ended ON step_runs (unit_code, ended_at);

-- The monitor's latest due instant per dossier, kept even when it arrives before the reception.
CREATE TABLE sla_deadlines (
  dossier_id  uuid PRIMARY KEY,
  due_at      timestamptz NOT NULL,
  set_at      timestamptz NOT NULL
);

-- The catalogue as last read from the compacted topic.
CREATE TABLE catalog_procedures (
  code     text PRIMARY KEY,
  revision integer NOT NULL,
  data     jsonb NOT NULL
);
CREATE TABLE catalog_units (
  code     text PRIMARY KEY,
  revision integer NOT NULL,
  data     jsonb NOT NULL
);
