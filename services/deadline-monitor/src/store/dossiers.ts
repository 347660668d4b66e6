import type { CatalogRecord } from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import type { DossierClock } from "../domain/dossier-clock.js";

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
  published_steps: DossierClock["publishedSteps"];
  sequence: number;
  verdict: DossierClock["verdict"];
  history: DossierClock["history"];
  received_at_text: string;
  closed_at_text: string | null;
}

/** An instant column as ISO 8601 in Vietnam time, the form the events carry. */
export const isoLocal = (col: string) =>
  `to_char(${col} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"')`;

const SELECT = `SELECT id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code,
  procedure_code, clock_basis, clock, supplement_rule, steps, runs, pauses, resets, assignee,
  ${isoLocal("due_at")} AS due_at_text, ${isoLocal("due_soon_at")} AS due_soon_at_text, published_steps, sequence,
  verdict, history, ${isoLocal("received_at")} AS received_at_text, ${isoLocal("closed_at")} AS closed_at_text
  FROM dossiers`;

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
    publishedSteps: r.published_steps,
    sequence: r.sequence,
    verdict: r.verdict,
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

export async function saveDossier(tx: PoolClient, d: DossierClock, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO dossiers (id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code,
       procedure_code, calendar_unit, clock_basis, clock, supplement_rule, steps, runs, pauses, resets, assignee, due_at,
       due_soon_at, published_steps, sequence, verdict, history, received_at, closed_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$6,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)
     ON CONFLICT (id) DO UPDATE SET status = $4, holding_unit_code = $5, competent_unit_code = $7, clock = $10,
       steps = $12, runs = $13, pauses = $14, resets = $15, assignee = $16, due_at = $17, due_soon_at = $18,
       published_steps = $19, sequence = $20, verdict = $21, history = $22, closed_at = $24, updated_at = $25`,
    [
      d.id,
      d.code,
      d.partition,
      d.status,
      d.holdingUnitCode,
      d.receivingUnitCode,
      d.competentUnitCode,
      d.procedureCode,
      d.clockBasis,
      JSON.stringify(d.clock),
      d.supplementRule,
      JSON.stringify(d.steps),
      JSON.stringify(d.runs),
      JSON.stringify(d.pauses),
      JSON.stringify(d.resets),
      d.assignee,
      d.dueAt,
      d.dueSoonAt,
      JSON.stringify(d.publishedSteps),
      d.sequence,
      d.verdict === null ? null : JSON.stringify(d.verdict),
      JSON.stringify(d.history),
      d.receivedAt,
      d.closedAt,
      now,
    ],
  );
}

/**
 * Makes the dossier's timers match its clock, in the transaction that moved it: a paused, closed
 * or re-dated dossier loses the timers it had, so they can never fire.
 */
export async function replaceTimers(tx: PoolClient, d: DossierClock): Promise<void> {
  await tx.query("DELETE FROM timers WHERE dossier_id = $1 AND kind IN ('due-soon', 'overdue')", [d.id]);
  if (d.status !== "open" || d.dueAt === null || d.dueSoonAt === null) return;
  await tx.query(
    `INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline)
     VALUES ($1, 'due-soon', $2, $3, $4), ($1, 'overdue', $2, $4, $4)`,
    [d.id, d.partition, d.dueSoonAt, d.dueAt],
  );
}

/** The verdict of a finished dossier, for the on-time rate of the month per competent unit. */
export async function recordVerdict(
  tx: PoolClient,
  d: Pick<DossierClock, "id" | "holdingUnitCode" | "competentUnitCode">,
  v: { verdict: string; endedAt: string; endKind: string },
) {
  await tx.query(
    `INSERT INTO verdicts (dossier_id, unit_code, competent_unit_code, verdict, end_kind, ended_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dossier_id) DO NOTHING`,
    [d.id, d.holdingUnitCode, d.competentUnitCode, v.verdict, v.endKind, v.endedAt],
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
