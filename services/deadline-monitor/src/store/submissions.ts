import type { Pool, PoolClient } from "@tthc/service-kit";
import type { SubmissionClock } from "../domain/acceptance-clock.js";
import { isoLocal } from "./dossiers.js";

type Db = Pool | PoolClient;

interface Row {
  id: string;
  partition: number;
  procedure_code: string;
  receiving_unit_code: string;
  submitted_at_text: string;
  acceptance_time: SubmissionClock["acceptanceTime"];
  status: SubmissionClock["status"];
  waiting_since_text: string;
  due_at_text: string | null;
  due_soon_at_text: string | null;
  late_since_text: string | null;
  sequence: number;
  verdict: SubmissionClock["verdict"];
}

const SELECT = `SELECT id, partition, procedure_code, receiving_unit_code, ${isoLocal("submitted_at")} AS submitted_at_text,
  acceptance_time, status, ${isoLocal("waiting_since")} AS waiting_since_text, ${isoLocal("due_at")} AS due_at_text,
  ${isoLocal("due_soon_at")} AS due_soon_at_text, ${isoLocal("late_since")} AS late_since_text, sequence, verdict
  FROM submissions`;

export async function loadSubmission(db: Db, id: string, forUpdate = false): Promise<SubmissionClock | null> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`, [id]);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    partition: r.partition,
    procedureCode: r.procedure_code,
    receivingUnitCode: r.receiving_unit_code,
    submittedAt: r.submitted_at_text,
    acceptanceTime: r.acceptance_time,
    status: r.status,
    waitingSince: r.waiting_since_text,
    dueAt: r.due_at_text,
    dueSoonAt: r.due_soon_at_text,
    lateSince: r.late_since_text,
    sequence: r.sequence,
    verdict: r.verdict,
  };
}

export async function saveSubmission(tx: PoolClient, s: SubmissionClock): Promise<void> {
  await tx.query(
    `INSERT INTO submissions (id, partition, procedure_code, receiving_unit_code, submitted_at, acceptance_time, status,
       waiting_since, due_at, due_soon_at, late_since, sequence, verdict)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
     ON CONFLICT (id) DO UPDATE SET status = $7, waiting_since = $8, due_at = $9, due_soon_at = $10,
       late_since = $11, sequence = $12, verdict = $13`,
    [
      s.id,
      s.partition,
      s.procedureCode,
      s.receivingUnitCode,
      s.submittedAt,
      JSON.stringify(s.acceptanceTime),
      s.status,
      s.waitingSince,
      s.dueAt,
      s.dueSoonAt,
      s.lateSince,
      s.sequence,
      s.verdict === null ? null : JSON.stringify(s.verdict),
    ],
  );
}

/** The acceptance timers follow the submission's clock, as the dossier's timers follow its own. */
export async function replaceAcceptanceTimers(tx: PoolClient, s: SubmissionClock): Promise<void> {
  await tx.query(
    "DELETE FROM timers WHERE dossier_id = $1 AND kind IN ('acceptance-due-soon', 'acceptance-overdue')",
    [s.id],
  );
  if (s.status !== "waiting" || s.dueAt === null || s.dueSoonAt === null) return;
  await tx.query(
    `INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline)
     VALUES ($1, 'acceptance-due-soon', $2, $3, $4), ($1, 'acceptance-overdue', $2, $4, $4)`,
    [s.id, s.partition, s.dueSoonAt, s.dueAt],
  );
}
