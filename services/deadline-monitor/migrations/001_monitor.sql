-- Catalogue records as last seen on the compacted `catalog` topic (units' sessions, calendars, procedures).
CREATE TABLE catalog_records (
  key text PRIMARY KEY,
  type text NOT NULL,
  revision int NOT NULL,
  data jsonb NOT NULL,
  seq bigserial NOT NULL
);

-- One row per dossier the monitor has seen received: its clock (ClockState JSON) and what it needs to judge it.
CREATE TABLE dossiers (
  id uuid PRIMARY KEY,
  code text NOT NULL,
  partition int NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'paused', 'closed')),
  unit_code text NOT NULL,
  receiving_unit_code text NOT NULL,
  procedure_code text NOT NULL,
  calendar_unit text NOT NULL,
  clock jsonb NOT NULL,
  supplement_rule text NOT NULL,
  steps jsonb NOT NULL,
  runs jsonb NOT NULL,
  assignee text,
  due_at timestamptz,
  due_soon_at timestamptz,
  history jsonb NOT NULL DEFAULT '[]',
  verdict jsonb,
  received_at timestamptz NOT NULL,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_open_unit ON dossiers (unit_code) WHERE status <> 'closed';

-- The timer index: one due-soon and one overdue instant per open dossier, per partition of dossier.events.
CREATE TABLE timers (
  dossier_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('due-soon', 'overdue')),
  partition int NOT NULL,
  fire_at timestamptz NOT NULL,
  deadline timestamptz NOT NULL,
  PRIMARY KEY (dossier_id, kind)
);
CREATE INDEX timers_due ON timers (partition, fire_at);

-- Every alert raised, once per key (alertKey of sla-events, or unit|month for a rate threshold).
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  alert_key text NOT NULL UNIQUE,
  kind text NOT NULL,
  dossier_id uuid,
  dossier_code text,
  unit_code text NOT NULL,
  due_at timestamptz,
  raised_at timestamptz NOT NULL DEFAULT now(),
  lag_ms int,
  event_id uuid,
  body jsonb NOT NULL
);
CREATE INDEX alerts_unit ON alerts (unit_code, id);

-- Verdicts, for the on-time rate of the month per unit.
CREATE TABLE verdicts (
  dossier_id uuid PRIMARY KEY,
  unit_code text NOT NULL,
  verdict text NOT NULL,
  ended_at timestamptz NOT NULL
);
CREATE INDEX verdicts_unit_ended ON verdicts (unit_code, ended_at);

CREATE TABLE webhooks (
  id uuid PRIMARY KEY,
  url text NOT NULL,
  secret text NOT NULL,
  unit_code text,
  kinds text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  alert_id bigint NOT NULL REFERENCES alerts (id),
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, alert_id)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  id bigserial PRIMARY KEY,
  delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  status_code int,
  error text,
  duration_ms int NOT NULL
);
