import type { Db } from "./dossiers.js";

/** One step a staff member handled (a work product under Nghị định 335/2025). */
export interface HandledStep {
  staffId: string;
  dossierId: string;
  dossierCode: string;
  stepId: string;
  unitCode: string;
  startedAt: string;
  endedAt: string;
  deadlineAt: string;
  met: boolean;
}

/**
 * The steps ended in a month (Asia/Ho_Chi_Minh) at a unit, with their deadline and whether it was
 * met, by staff member then end instant.
 */
export async function handledSteps(db: Db, month: string, unit: string): Promise<HandledStep[]> {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const from = `${month}-01T00:00:00+07:00`;
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  const to = `${next}-01T00:00:00+07:00`;
  const { rows } = await db.query<{
    staff_id: string;
    dossier_id: string;
    code: string;
    step_id: string;
    unit_code: string;
    started_at: Date;
    ended_at: Date;
    deadline_at: Date;
  }>(
    `SELECT r.staff_id, r.dossier_id, d.code, r.step_id, r.unit_code, r.started_at, r.ended_at, r.deadline_at
       FROM step_runs r JOIN dossiers d ON d.id = r.dossier_id
      WHERE r.unit_code = $1 AND r.staff_id IS NOT NULL
        AND r.ended_at >= $2::timestamptz AND r.ended_at < $3::timestamptz
      ORDER BY r.staff_id, r.ended_at, r.dossier_id, r.run_no`,
    [unit, from, to],
  );
  return rows.map((r) => ({
    staffId: r.staff_id,
    dossierId: r.dossier_id,
    dossierCode: r.code,
    stepId: r.step_id,
    unitCode: r.unit_code,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at.toISOString(),
    deadlineAt: r.deadline_at.toISOString(),
    met: r.ended_at.getTime() <= r.deadline_at.getTime(),
  }));
}
