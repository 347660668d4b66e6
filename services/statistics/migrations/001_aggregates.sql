-- Catalogue as the statistics service sees it (from the compacted `catalog` topic).
CREATE TABLE stat_units (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL,
  parent_code text,
  active      boolean NOT NULL,
  revision    int NOT NULL
);

CREATE TABLE stat_procedures (
  code     text PRIMARY KEY,
  name     text NOT NULL,
  field    text NOT NULL,
  revision int NOT NULL
);

-- One row per dossier: what the 766 formulas need (H(P), due at the end of P, verdicts).
CREATE TABLE stat_dossiers (
  dossier_id         uuid PRIMARY KEY,
  dossier_code       text,
  unit_code          text,          -- receiving unit (DonViTiepNhan): the unit the dossier counts for
  current_unit_code  text,          -- where it is now (after transfers)
  procedure_code     text,
  procedure_name     text,
  field              text,
  channel            text,
  received_at        timestamptz,
  received_day       date,          -- day of reception, Asia/Ho_Chi_Minh
  due_at             timestamptz,   -- NgayHenTra on the receipt
  sla_due_at         timestamptz,   -- latest due instant from sla.deadline-set (pauses included)
  sla_due_set_at     timestamptz,
  due_soon_at        timestamptz,
  extended_due_at    timestamptz,
  state              text,
  end_at             timestamptz,   -- from dossier.resolved / dossier.stopped
  end_kind           text,          -- resolved | stopped
  stop_reason        text,          -- withdrawn | supplement-lapsed | stop-notice
  outcome            text,
  verdict            text,          -- early | on_time | late (sla.verdict)
  verdict_end_at     timestamptz,
  verdict_due_at     timestamptz,
  effective_end_at   timestamptz,
  used_minutes       int,
  verdict_reason     text,
  unit_at_fault_code text,
  second_supplement  boolean,
  transfers          int NOT NULL DEFAULT 0,
  finished_at        timestamptz,   -- COALESCE(verdict_end_at, end_at)
  finished_day       date
);
CREATE INDEX stat_dossiers_unit_received ON stat_dossiers (unit_code, received_day);
CREATE INDEX stat_dossiers_unit_finished ON stat_dossiers (unit_code, finished_day);
CREATE INDEX stat_dossiers_received_at ON stat_dossiers (received_at);
CREATE INDEX stat_dossiers_finished_at ON stat_dossiers (finished_at);
CREATE INDEX stat_dossiers_open ON stat_dossiers (received_at) WHERE finished_at IS NULL;
CREATE INDEX stat_dossiers_fault ON stat_dossiers (unit_at_fault_code, finished_day)
  WHERE unit_at_fault_code IS NOT NULL;

-- Sums per unit, procedure, field, channel and day: received counts by the day of reception,
-- finished counts by the day of the end. Recomputed from stat_dossiers for every touched (unit, day).
CREATE TABLE stat_daily (
  unit_code        text NOT NULL,
  day              date NOT NULL,
  procedure_code   text NOT NULL,
  field            text NOT NULL,
  channel          text NOT NULL,
  received         int NOT NULL,
  finished         int NOT NULL,
  resolved         int NOT NULL,
  stopped          int NOT NULL,
  withdrawn        int NOT NULL,
  early            int NOT NULL,
  on_time          int NOT NULL,
  late             int NOT NULL,
  used_minutes_sum bigint NOT NULL,
  used_count       int NOT NULL,
  PRIMARY KEY (unit_code, day, procedure_code, field, channel)
);
CREATE INDEX stat_daily_day ON stat_daily (day);

CREATE TABLE stat_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO stat_meta (key, value) VALUES ('generation', '1');
