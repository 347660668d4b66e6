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

/** The monitor's data kept for a dossier; `lock` when it is about to be replaced. */
export async function loadSla(db: Db, dossierId: string, lock = false): Promise<SlaRecord | null> {
  const { rows } = await db.query<SlaRow>(
    `SELECT * FROM sla_latest WHERE dossier_id = $1${lock ? " FOR UPDATE" : ""}`,
    [dossierId],
  );
  const r = rows[0];
  if (!r) return null;
  const runs = await db.query<RunRow>("SELECT * FROM sla_step_runs WHERE dossier_id = $1 ORDER BY run_no", [
    dossierId,
  ]);
  return {
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
    steps: runs.rows.map(
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
  };
}

/**
 * Keeps `sla` as the dossier's monitor data: the row, its step runs replaced whole, and the
 * dossier's due instants if the dossier is known (src/domain/sla.ts decided that it is newer).
 */
export async function saveSla(tx: PoolClient, sla: SlaRecord): Promise<void> {
  const v = sla.verdict;
  await tx.query(
    `INSERT INTO sla_latest (dossier_id, dossier_code, sequence, recorded_at, due_at, due_soon_at,
       known_due_at, paused, late_since, promised_at, receiving_unit_code, competent_unit_code,
       holding_unit_code, verdict, verdict_reason, effective_end_at, unit_at_fault_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (dossier_id) DO UPDATE SET dossier_code = $2, sequence = $3, recorded_at = $4,
       due_at = $5, due_soon_at = $6, known_due_at = $7, paused = $8, late_since = $9,
       promised_at = $10, receiving_unit_code = $11, competent_unit_code = $12,
       holding_unit_code = $13, verdict = $14, verdict_reason = $15, effective_end_at = $16,
       unit_at_fault_code = $17`,
    [
      sla.dossierId,
      sla.dossierCode,
      sla.sequence,
      sla.recordedAt,
      sla.dueAt,
      sla.dueSoonAt,
      sla.knownDueAt,
      sla.paused,
      sla.lateSince,
      sla.promisedAt,
      sla.receivingUnitCode,
      sla.competentUnitCode,
      sla.holdingUnitCode,
      v?.verdict ?? null,
      v?.reason ?? null,
      v?.effectiveEndAt ?? null,
      v?.unitAtFaultCode ?? null,
    ],
  );
  await tx.query("DELETE FROM sla_step_runs WHERE dossier_id = $1", [sla.dossierId]);
  await tx.query(
    `INSERT INTO sla_step_runs (dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at, due_at, late)
     SELECT $1, r."runNo", r."stepId", r."unitCode", r."staffId", r."startedAt", r."endedAt", r."dueAt", r.late
       FROM jsonb_to_recordset($2::jsonb) AS r("runNo" integer, "stepId" text, "unitCode" text,
         "staffId" text, "startedAt" timestamptz, "endedAt" timestamptz, "dueAt" timestamptz, late boolean)`,
    [sla.dossierId, JSON.stringify(sla.steps)],
  );
  await applyKeptSla(tx, sla.dossierId);
}

/**
 * Puts the monitor's kept due instants on the dossier's row, where the queues filter and order by
 * them. The latest known due instant only moves forward to a known one, so the result is the same
 * whichever of the reception and the monitor's events came first.
 */
export async function applyKeptSla(tx: PoolClient, dossierId: string): Promise<void> {
  await tx.query(
    `UPDATE dossiers d SET due_at = s.due_at, due_soon_at = s.due_soon_at,
       known_due_at = COALESCE(s.known_due_at, d.known_due_at)
     FROM sla_latest s WHERE s.dossier_id = d.id AND d.id = $1`,
    [dossierId],
  );
}
