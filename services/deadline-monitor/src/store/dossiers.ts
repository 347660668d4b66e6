import type { CatalogRecord } from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import type { DossierClock } from "../domain/dossier-clock.js";
import type { EscalationKind } from "../domain/escalation.js";

type Db = Pool | PoolClient;

interface DossierRow {
  id: string;
  code: string;
  partition: number;
  status: DossierClock["status"];
  holding_unit_code: string;
  receiving_unit_code: string;
  competent_unit_code: string;
  procedure_code: string;
  clock_basis: DossierClock["clockBasis"];
  clock: DossierClock["clock"];
  supplement_rule: DossierClock["supplementRule"];
  steps: DossierClock["steps"];
  runs: DossierClock["runs"];
  pauses: DossierClock["pauses"];
  resets: DossierClock["resets"];
  assignee: string | null;
  due_at_text: string | null;
  due_soon_at_text: string | null;
  promised_at_text: string | null;
  published_steps: DossierClock["publishedSteps"];
  sequence: number;
  verdict: DossierClock["verdict"];
  history: DossierClock["history"];
  received_at_text: string;
  closed_at_text: string | null;
  applied_events: string[];
}

/** An instant column as ISO 8601 in Vietnam time, the form the events carry. */
export const isoLocal = (col: string) =>
  `to_char(${col} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"')`;

const SELECT = `SELECT id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code,
  procedure_code, clock_basis, clock, supplement_rule, steps, runs, pauses, resets, assignee,
  ${isoLocal("due_at")} AS due_at_text, ${isoLocal("due_soon_at")} AS due_soon_at_text,
  ${isoLocal("promised_at")} AS promised_at_text, published_steps, sequence,
  verdict, history, ${isoLocal("received_at")} AS received_at_text, ${isoLocal("closed_at")} AS closed_at_text,
  applied_events FROM dossiers`;

function fromRow(r: DossierRow): DossierClock {
  return {
    id: r.id,
    code: r.code,
    partition: r.partition,
    status: r.status,
    receivingUnitCode: r.receiving_unit_code,
    competentUnitCode: r.competent_unit_code,
    holdingUnitCode: r.holding_unit_code,
    procedureCode: r.procedure_code,
    clockBasis: r.clock_basis,
    clock: r.clock,
    supplementRule: r.supplement_rule,
    steps: r.steps,
    runs: r.runs,
    pauses: r.pauses,
    resets: r.resets,
    assignee: r.assignee,
    dueAt: r.due_at_text,
    dueSoonAt: r.due_soon_at_text,
    promisedAt: r.promised_at_text,
    publishedSteps: r.published_steps,
    sequence: r.sequence,
    verdict: r.verdict,
    history: r.history,
    receivedAt: r.received_at_text,
    closedAt: r.closed_at_text,
    appliedEvents: r.applied_events,
  };
}

export async function loadDossier(db: Db, id: string, forUpdate = false): Promise<DossierClock | null> {
  const { rows } = await db.query<DossierRow>(`${SELECT} WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`, [
    id,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The clocks of these dossiers, locked until the transaction ends, by id (those received). */
export async function loadDossiers(
  tx: PoolClient,
  ids: readonly string[],
): Promise<Map<string, DossierClock>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<DossierRow>(`${SELECT} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
    ids,
  ]);
  return new Map(rows.map((r) => [r.id, fromRow(r)]));
}

/** Writes the clocks (new or moved) in one statement. */
export async function saveDossiers(tx: PoolClient, ds: readonly DossierClock[], now: Date): Promise<void> {
  if (ds.length === 0) return;
  const rows = ds.map((d) => ({
    id: d.id,
    code: d.code,
    partition: d.partition,
    status: d.status,
    holding_unit_code: d.holdingUnitCode,
    receiving_unit_code: d.receivingUnitCode,
    competent_unit_code: d.competentUnitCode,
    procedure_code: d.procedureCode,
    clock_basis: d.clockBasis,
    clock: d.clock,
    supplement_rule: d.supplementRule,
    steps: d.steps,
    runs: d.runs,
    pauses: d.pauses,
    resets: d.resets,
    assignee: d.assignee,
    due_at: d.dueAt,
    due_soon_at: d.dueSoonAt,
    promised_at: d.promisedAt,
    published_steps: d.publishedSteps,
    sequence: d.sequence,
    verdict: d.verdict,
    history: d.history,
    received_at: d.receivedAt,
    closed_at: d.closedAt,
    applied_events: d.appliedEvents,
  }));
  await tx.query(
    `INSERT INTO dossiers (id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code,
       procedure_code, calendar_unit, clock_basis, clock, supplement_rule, steps, runs, pauses, resets, assignee, due_at,
       due_soon_at, promised_at, published_steps, sequence, verdict, history, received_at, closed_at, applied_events,
       updated_at)
     SELECT id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code, procedure_code,
       receiving_unit_code, clock_basis, clock, supplement_rule, steps, runs, pauses, resets, assignee, due_at,
       due_soon_at, promised_at, published_steps, sequence, NULLIF(verdict, 'null'::jsonb), history, received_at, closed_at,
       applied_events, $2
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, code text, partition int, status text, holding_unit_code text,
       receiving_unit_code text, competent_unit_code text, procedure_code text, clock_basis text, clock jsonb,
       supplement_rule text, steps jsonb, runs jsonb, pauses jsonb, resets jsonb, assignee text, due_at timestamptz,
       due_soon_at timestamptz, promised_at timestamptz, published_steps jsonb, sequence int, verdict jsonb, history jsonb,
       received_at timestamptz, closed_at timestamptz, applied_events jsonb)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, holding_unit_code = EXCLUDED.holding_unit_code,
       competent_unit_code = EXCLUDED.competent_unit_code, clock = EXCLUDED.clock, steps = EXCLUDED.steps,
       runs = EXCLUDED.runs, pauses = EXCLUDED.pauses, resets = EXCLUDED.resets, assignee = EXCLUDED.assignee,
       due_at = EXCLUDED.due_at, due_soon_at = EXCLUDED.due_soon_at,
       promised_at = EXCLUDED.promised_at, published_steps = EXCLUDED.published_steps,
       sequence = EXCLUDED.sequence, verdict = EXCLUDED.verdict, history = EXCLUDED.history,
       closed_at = EXCLUDED.closed_at, applied_events = EXCLUDED.applied_events, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(rows), now],
  );
}

/** One timer of the index: a deadline's warning or its passing, for the partition's owner to fire. */
export interface TimerRow {
  dossierId: string;
  kind: "due-soon" | "overdue" | "acceptance-due-soon" | "acceptance-overdue" | EscalationKind;
  partition: number;
  fireAt: string;
  deadline: string;
}

/**
 * The timers a dossier's clock wants now: none when paused, closed or without a due instant; the
 * escalation's first step at the promised date (the later steps follow it, src/timers/firing.ts).
 */
export function dossierTimers(d: DossierClock): TimerRow[] {
  if (d.status !== "open" || d.dueAt === null || d.dueSoonAt === null) return [];
  const base = { dossierId: d.id, partition: d.partition, deadline: d.dueAt };
  const promised = d.promisedAt ?? d.dueAt;
  return [
    { ...base, kind: "due-soon", fireAt: d.dueSoonAt },
    { ...base, kind: "overdue", fireAt: d.dueAt },
    { ...base, kind: "escalation-unit", fireAt: promised, deadline: promised },
  ];
}

/**
 * Makes the timers of the clocks a transaction moved match them: every timer in `cleared` goes (a
 * paused, closed or re-dated clock loses the timers it had, so they can never fire), and `timers`
 * come in its place. One DELETE and one INSERT whatever the count.
 */
export async function replaceTimers(
  tx: PoolClient,
  cleared: readonly Pick<TimerRow, "dossierId" | "kind">[],
  timers: readonly TimerRow[],
): Promise<void> {
  if (cleared.length === 0) return;
  await tx.query(
    `DELETE FROM timers t USING unnest($1::uuid[], $2::text[]) AS x(id, kind)
     WHERE t.dossier_id = x.id AND t.kind = x.kind`,
    [cleared.map((c) => c.dossierId), cleared.map((c) => c.kind)],
  );
  if (timers.length === 0) return;
  await tx.query(
    `INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[])`,
    [
      timers.map((timer) => timer.dossierId),
      timers.map((timer) => timer.kind),
      timers.map((timer) => timer.partition),
      timers.map((timer) => timer.fireAt),
      timers.map((timer) => timer.deadline),
    ],
  );
}

/** One finished dossier's verdict, for the on-time rate of the month per competent unit. */
export interface VerdictRow {
  dossierId: string;
  unitCode: string;
  competentUnitCode: string;
  verdict: string;
  endKind: string;
  endedAt: string;
}

/** Records verdicts, once per dossier: a verdict already recorded stays as it is. */
export async function recordVerdicts(tx: PoolClient, vs: readonly VerdictRow[]): Promise<void> {
  if (vs.length === 0) return;
  await tx.query(
    `INSERT INTO verdicts (dossier_id, unit_code, competent_unit_code, verdict, end_kind, ended_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT (dossier_id) DO NOTHING`,
    [
      vs.map((v) => v.dossierId),
      vs.map((v) => v.unitCode),
      vs.map((v) => v.competentUnitCode),
      vs.map((v) => v.verdict),
      vs.map((v) => v.endKind),
      vs.map((v) => v.endedAt),
    ],
  );
}

/**
 * Keeps catalogue records (one per key), each only if newer than the one kept: a higher revision, or
 * the same revision saying something else. A copy of the record kept changes nothing, not even the
 * sequence the calendars are reloaded by.
 */
export async function saveCatalogRecords(tx: PoolClient, rs: readonly CatalogRecord[]): Promise<void> {
  if (rs.length === 0) return;
  await tx.query(
    `INSERT INTO catalog_records (key, type, revision, data)
     SELECT r->>'key', r->>'type', (r->>'revision')::int, r FROM jsonb_array_elements($1::jsonb) AS r
     ON CONFLICT (key) DO UPDATE SET revision = EXCLUDED.revision, data = EXCLUDED.data, seq = nextval('catalog_records_seq_seq')
     WHERE catalog_records.revision < EXCLUDED.revision
       OR (catalog_records.revision = EXCLUDED.revision AND catalog_records.data IS DISTINCT FROM EXCLUDED.data)`,
    [JSON.stringify(rs)],
  );
}

export async function loadCatalog(db: Db): Promise<{ records: CatalogRecord[]; seq: string }> {
  const { rows } = await db.query<{ data: CatalogRecord; seq: string }>(
    "SELECT data, seq::text AS seq FROM catalog_records WHERE type IN ('unit', 'calendar') ORDER BY seq",
  );
  return {
    records: rows.map((r) => r.data),
    seq: rows.reduce((m, r) => (BigInt(r.seq) > BigInt(m) ? r.seq : m), "0"),
  };
}

export async function catalogSeq(db: Db): Promise<string> {
  const { rows } = await db.query<{ seq: string }>(
    "SELECT coalesce(max(seq), 0)::text AS seq FROM catalog_records",
  );
  return rows[0]?.seq ?? "0";
}
