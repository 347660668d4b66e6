import { monthOf, startOfDay } from "@tthc/calendar";
import type { Db } from "./dossiers.js";

/** One step run a staff member handled (a work product under Nghị định 335/2025), as the monitor judged it. */
export interface HandledStep {
  staffId: string;
  dossierId: string;
  dossierCode: string;
  stepId: string;
  unitCode: string;
  startedAt: string;
  endedAt: string;
  /** The run's deadline as the monitor set it; null if a pause hid it when the run ended. */
  deadlineAt: string | null;
  /** Not late, as the monitor judged the run: the same judgement that names the unit at fault. */
  met: boolean;
}

/**
 * The monitor's step runs ended in a month (Vietnam time) at a unit, each with the staff member who
 * held it, its deadline and whether it was late, by staff member then end instant.
 */
export async function handledSteps(db: Db, month: string, unit: string): Promise<HandledStep[]> {
  const period = monthOf(startOfDay(`${month}-01`));
  const { rows } = await db.query<{
    staff_id: string;
    dossier_id: string;
    code: string;
    step_id: string;
    unit_code: string;
    started_at: Date;
    ended_at: Date;
    due_at: Date | null;
    late: boolean;
  }>(
    `SELECT r.staff_id, r.dossier_id, COALESCE(s.dossier_code, d.code) AS code, r.step_id, r.unit_code,
            r.started_at, r.ended_at, r.due_at, r.late
       FROM sla_step_runs r
       JOIN sla_latest s ON s.dossier_id = r.dossier_id
       LEFT JOIN dossiers d ON d.id = r.dossier_id
      WHERE r.unit_code = $1 AND r.staff_id IS NOT NULL
        AND r.ended_at >= $2 AND r.ended_at < $3
      ORDER BY r.staff_id, r.ended_at, r.dossier_id, r.run_no`,
    [unit, period.start, period.end],
  );
  return rows.map((r) => ({
    staffId: r.staff_id,
    dossierId: r.dossier_id,
    dossierCode: r.code,
    stepId: r.step_id,
    unitCode: r.unit_code,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at.toISOString(),
    deadlineAt: r.due_at?.toISOString() ?? null,
    met: !r.late,
  }));
}
