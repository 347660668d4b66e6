import type { PoolClient } from "@tthc/service-kit";
import type { MonitorStepRun, MonitorVerdict, SlaRecord } from "../domain/sla.js";
import type { Db } from "./dossiers.js";

const ts = (v: Date | null): string | null => (v === null ? null : v.toISOString());

interface SlaRow {
  dossier_id: string;
  dossier_code: string | null;
  sequence: number;
  recorded_at: Date;
  due_at: Date | null;
  due_soon_at: Date | null;
  known_due_at: Date | null;
  paused: boolean;
  late_since: Date | null;
  promised_at: Date | null;
  receiving_unit_code: string | null;
  competent_unit_code: string | null;
  holding_unit_code: string | null;
  verdict: MonitorVerdict["verdict"] | null;
  verdict_reason: string | null;
  effective_end_at: Date | null;
  unit_at_fault_code: string | null;
}

interface RunRow {
  run_no: number;
  step_id: string;
  unit_code: string;
  staff_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  due_at: Date | null;
  late: boolean;
}

const recordOf = (r: SlaRow, runs: RunRow[]): SlaRecord => ({
  dossierId: r.dossier_id,
  dossierCode: r.dossier_code,
  sequence: r.sequence,
  recordedAt: r.recorded_at.toISOString(),
  dueAt: ts(r.due_at),
  dueSoonAt: ts(r.due_soon_at),
  knownDueAt: ts(r.known_due_at),
  paused: r.paused,
  lateSince: ts(r.late_since),
  promisedAt: ts(r.promised_at),
  receivingUnitCode: r.receiving_unit_code,
  competentUnitCode: r.competent_unit_code,
  holdingUnitCode: r.holding_unit_code,
  verdict:
    r.verdict === null
      ? null
      : {
          verdict: r.verdict,
          reason: r.verdict_reason ?? "",
          effectiveEndAt: ts(r.effective_end_at) ?? "",
          unitAtFaultCode: r.unit_at_fault_code,
        },
  steps: runs.map(
    (s): MonitorStepRun => ({
      runNo: s.run_no,
      stepId: s.step_id,
      unitCode: s.unit_code,
      staffId: s.staff_id,
      startedAt: s.started_at.toISOString(),
      endedAt: ts(s.ended_at),
      dueAt: ts(s.due_at),
      late: s.late,
    }),
  ),
});

/** The monitor's data kept for a dossier. */
export async function loadSla(db: Db, dossierId: string): Promise<SlaRecord | null> {
  const { rows } = await db.query<SlaRow>("SELECT * FROM sla_latest WHERE dossier_id = $1", [dossierId]);
  const r = rows[0];
  if (!r) return null;
  const runs = await db.query<RunRow>("SELECT * FROM sla_step_runs WHERE dossier_id = $1 ORDER BY run_no", [
    dossierId,
  ]);
  return recordOf(r, runs.rows);
}

/** The monitor's data kept for these dossiers, locked until the transaction ends: two queries whatever the count. */
export async function loadSlas(
  tx: PoolClient,
  dossierIds: readonly string[],
): Promise<Map<string, SlaRecord>> {
  if (dossierIds.length === 0) return new Map();
  const { rows } = await tx.query<SlaRow>(
    "SELECT * FROM sla_latest WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id FOR UPDATE",
    [dossierIds],
  );
  if (rows.length === 0) return new Map();
  const runs = await tx.query<RunRow & { dossier_id: string }>(
    "SELECT * FROM sla_step_runs WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id, run_no",
    [rows.map((r) => r.dossier_id)],
  );
  const byDossier = new Map<string, RunRow[]>();
  for (const run of runs.rows) byDossier.set(run.dossier_id, [...(byDossier.get(run.dossier_id) ?? []), run]);
  return new Map(rows.map((r) => [r.dossier_id, recordOf(r, byDossier.get(r.dossier_id) ?? [])]));
}

/**
 * Keeps each record as its dossier's monitor data (src/domain/sla.ts decided that it is newer): the
 * rows, their step runs replaced whole, and the due instants of the dossiers known. Four statements
 * whatever the count.
 */
export async function saveSlas(tx: PoolClient, slas: readonly SlaRecord[]): Promise<void> {
  if (slas.length === 0) return;
  const rows = slas.map((sla) => ({
    dossier_id: sla.dossierId,
    dossier_code: sla.dossierCode,
    sequence: sla.sequence,
    recorded_at: sla.recordedAt,
    due_at: sla.dueAt,
    due_soon_at: sla.dueSoonAt,
    known_due_at: sla.knownDueAt,
    paused: sla.paused,
    late_since: sla.lateSince,
    promised_at: sla.promisedAt,
    receiving_unit_code: sla.receivingUnitCode,
    competent_unit_code: sla.competentUnitCode,
    holding_unit_code: sla.holdingUnitCode,
    verdict: sla.verdict?.verdict ?? null,
    verdict_reason: sla.verdict?.reason ?? null,
    effective_end_at: sla.verdict?.effectiveEndAt ?? null,
    unit_at_fault_code: sla.verdict?.unitAtFaultCode ?? null,
  }));
  const cols = Object.keys(rows[0] as object);
  await tx.query(
    `INSERT INTO sla_latest (${cols.join(", ")})
     SELECT ${cols.join(", ")} FROM jsonb_populate_recordset(NULL::sla_latest, $1::jsonb)
     ON CONFLICT (dossier_id) DO UPDATE SET ${cols
       .filter((c) => c !== "dossier_id")
       .map((c) => `${c} = EXCLUDED.${c}`)
       .join(", ")}`,
    [JSON.stringify(rows)],
  );
  const ids = slas.map((s) => s.dossierId);
  await tx.query("DELETE FROM sla_step_runs WHERE dossier_id = ANY($1::uuid[])", [ids]);
  await tx.query(
    `INSERT INTO sla_step_runs (dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at, due_at, late)
     SELECT r."dossierId", r."runNo", r."stepId", r."unitCode", r."staffId", r."startedAt", r."endedAt", r."dueAt", r.late
       FROM jsonb_to_recordset($1::jsonb) AS r("dossierId" uuid, "runNo" integer, "stepId" text, "unitCode" text,
         "staffId" text, "startedAt" timestamptz, "endedAt" timestamptz, "dueAt" timestamptz, late boolean)`,
    [JSON.stringify(slas.flatMap((s) => s.steps.map((run) => ({ dossierId: s.dossierId, ...run }))))],
  );
  await applyKeptSla(tx, ids);
}

/**
 * Puts the monitor's kept due instants on the dossiers' rows, where the queues filter and order by
 * them. The latest known due instant only moves forward to a known one, so the result is the same
 * whichever of the reception and the monitor's events came first.
 */
export async function applyKeptSla(tx: PoolClient, dossierIds: readonly string[]): Promise<void> {
  if (dossierIds.length === 0) return;
  await tx.query(
    `UPDATE dossiers d SET due_at = s.due_at, due_soon_at = s.due_soon_at,
       known_due_at = COALESCE(s.known_due_at, d.known_due_at)
     FROM sla_latest s WHERE s.dossier_id = d.id AND d.id = ANY($1::uuid[])`,
    [dossierIds],
  );
}
