import type { CatalogRecord } from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import type { DossierClock } from "../domain/dossier-clock.js";

type Db = Pool | PoolClient;

interface DossierRow {
  id: string;
  code: string;
  partition: number;
  status: DossierClock["status"];
  unit_code: string;
  receiving_unit_code: string;
  procedure_code: string;
  calendar_unit: string;
  clock: DossierClock["clock"];
  supplement_rule: DossierClock["supplementRule"];
  steps: DossierClock["steps"];
  runs: DossierClock["runs"];
  assignee: string | null;
  due_at_text: string | null;
  due_soon_at_text: string | null;
  history: DossierClock["history"];
  received_at_text: string;
  closed_at_text: string | null;
}

const iso = (col: string) =>
  `to_char(${col} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"')`;

const SELECT = `SELECT id, code, partition, status, unit_code, receiving_unit_code, procedure_code, calendar_unit,
  clock, supplement_rule, steps, runs, assignee, ${iso("due_at")} AS due_at_text, ${iso("due_soon_at")} AS due_soon_at_text,
  history, ${iso("received_at")} AS received_at_text, ${iso("closed_at")} AS closed_at_text FROM dossiers`;

function fromRow(r: DossierRow): DossierClock {
  return {
    id: r.id,
    code: r.code,
    partition: r.partition,
    status: r.status,
    unitCode: r.unit_code,
    receivingUnitCode: r.receiving_unit_code,
    procedureCode: r.procedure_code,
    calendarUnit: r.calendar_unit,
    clock: r.clock,
    supplementRule: r.supplement_rule,
    steps: r.steps,
    runs: r.runs,
    assignee: r.assignee,
    dueAt: r.due_at_text,
    dueSoonAt: r.due_soon_at_text,
    history: r.history,
    receivedAt: r.received_at_text,
    closedAt: r.closed_at_text,
  };
}

export async function loadDossier(db: Db, id: string, forUpdate = false): Promise<DossierClock | null> {
  const { rows } = await db.query<DossierRow>(`${SELECT} WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`, [
    id,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function saveDossier(tx: PoolClient, d: DossierClock): Promise<void> {
  await tx.query(
    `INSERT INTO dossiers (id, code, partition, status, unit_code, receiving_unit_code, procedure_code, calendar_unit,
       clock, supplement_rule, steps, runs, assignee, due_at, due_soon_at, history, received_at, closed_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18, now())
     ON CONFLICT (id) DO UPDATE SET status = $4, unit_code = $5, clock = $9, runs = $12, assignee = $13,
       due_at = $14, due_soon_at = $15, history = $16, closed_at = $18, updated_at = now()`,
    [
      d.id,
      d.code,
      d.partition,
      d.status,
      d.unitCode,
      d.receivingUnitCode,
      d.procedureCode,
      d.calendarUnit,
      JSON.stringify(d.clock),
      d.supplementRule,
      JSON.stringify(d.steps),
      JSON.stringify(d.runs),
      d.assignee,
      d.dueAt,
      d.dueSoonAt,
      JSON.stringify(d.history),
      d.receivedAt,
      d.closedAt,
    ],
  );
}

/**
 * Makes the dossier's timers match its clock, in the transaction that moved it: a paused, closed
 * or re-dated dossier loses the timers it had, so they can never fire.
 */
export async function replaceTimers(tx: PoolClient, d: DossierClock): Promise<void> {
  await tx.query("DELETE FROM timers WHERE dossier_id = $1", [d.id]);
  if (d.status !== "open" || d.dueAt === null || d.dueSoonAt === null) return;
  await tx.query(
    `INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline)
     VALUES ($1, 'due-soon', $2, $3, $4), ($1, 'overdue', $2, $4, $4)`,
    [d.id, d.partition, d.dueSoonAt, d.dueAt],
  );
}

export async function recordVerdict(
  tx: PoolClient,
  id: string,
  unitCode: string,
  verdict: string,
  endedAt: string,
) {
  await tx.query(
    `INSERT INTO verdicts (dossier_id, unit_code, verdict, ended_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dossier_id) DO NOTHING`,
    [id, unitCode, verdict, endedAt],
  );
}

export async function saveCatalogRecord(tx: PoolClient, r: CatalogRecord): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO catalog_records (key, type, revision, data) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET revision = EXCLUDED.revision, data = EXCLUDED.data, seq = nextval('catalog_records_seq_seq')
     WHERE catalog_records.revision <= EXCLUDED.revision`,
    [r.key, r.type, r.revision, JSON.stringify(r)],
  );
  return (rowCount ?? 0) > 0;
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
