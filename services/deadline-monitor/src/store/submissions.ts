import type { Pool, PoolClient } from "@tthc/service-kit";
import type { SubmissionClock } from "../domain/acceptance-clock.js";
import { isoLocal, type TimerRow } from "./dossiers.js";

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
  applied_events: string[];
}

const SELECT = `SELECT id, partition, procedure_code, receiving_unit_code, ${isoLocal("submitted_at")} AS submitted_at_text,
  acceptance_time, status, ${isoLocal("waiting_since")} AS waiting_since_text, ${isoLocal("due_at")} AS due_at_text,
  ${isoLocal("due_soon_at")} AS due_soon_at_text, ${isoLocal("late_since")} AS late_since_text, sequence, verdict,
  applied_events FROM submissions`;

const fromRow = (r: Row): SubmissionClock => ({
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
  appliedEvents: r.applied_events,
});

export async function loadSubmission(db: Db, id: string): Promise<SubmissionClock | null> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The acceptance clocks of these submissions, locked until the transaction ends, by id. */
export async function loadSubmissions(
  tx: PoolClient,
  ids: readonly string[],
): Promise<Map<string, SubmissionClock>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<Row>(`${SELECT} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  return new Map(rows.map((r) => [r.id, fromRow(r)]));
}

/** Writes the acceptance clocks (new or moved) in one statement. */
export async function saveSubmissions(tx: PoolClient, ss: readonly SubmissionClock[]): Promise<void> {
  if (ss.length === 0) return;
  const rows = ss.map((s) => ({
    id: s.id,
    partition: s.partition,
    procedure_code: s.procedureCode,
    receiving_unit_code: s.receivingUnitCode,
    submitted_at: s.submittedAt,
    acceptance_time: s.acceptanceTime,
    status: s.status,
    waiting_since: s.waitingSince,
    due_at: s.dueAt,
    due_soon_at: s.dueSoonAt,
    late_since: s.lateSince,
    sequence: s.sequence,
    verdict: s.verdict,
    applied_events: s.appliedEvents,
  }));
  await tx.query(
    `INSERT INTO submissions (id, partition, procedure_code, receiving_unit_code, submitted_at, acceptance_time, status,
       waiting_since, due_at, due_soon_at, late_since, sequence, verdict, applied_events)
     SELECT id, partition, procedure_code, receiving_unit_code, submitted_at, acceptance_time, status, waiting_since,
       due_at, due_soon_at, late_since, sequence, NULLIF(verdict, 'null'::jsonb), applied_events
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, partition int, procedure_code text, receiving_unit_code text,
       submitted_at timestamptz, acceptance_time jsonb, status text, waiting_since timestamptz, due_at timestamptz,
       due_soon_at timestamptz, late_since timestamptz, sequence int, verdict jsonb, applied_events jsonb)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, waiting_since = EXCLUDED.waiting_since,
       due_at = EXCLUDED.due_at, due_soon_at = EXCLUDED.due_soon_at, late_since = EXCLUDED.late_since,
       sequence = EXCLUDED.sequence, verdict = EXCLUDED.verdict, applied_events = EXCLUDED.applied_events`,
    [JSON.stringify(rows)],
  );
}

/** The acceptance timers follow the submission's clock, as the dossier's timers follow its own. */
export function acceptanceTimers(s: SubmissionClock): TimerRow[] {
  if (s.status !== "waiting" || s.dueAt === null || s.dueSoonAt === null) return [];
  const base = { dossierId: s.id, partition: s.partition, deadline: s.dueAt };
  return [
    { ...base, kind: "acceptance-due-soon", fireAt: s.dueSoonAt },
    { ...base, kind: "acceptance-overdue", fireAt: s.dueAt },
  ];
}
