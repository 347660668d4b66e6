import { dueSoonPredicate, overduePredicate, toSql } from "@tthc/calendar";
import type { Pool, PoolClient } from "@tthc/service-kit";

type Db = Pool | PoolClient;

/** Verdicts of the dossiers resolved in a period (state 9 only: the finished-only rate's). */
export interface VerdictCounts {
  early: number;
  onTime: number;
  late: number;
}

/** Resolved dossiers of a competent unit in a period, by verdict. */
export async function monthCounts(
  db: Db,
  unitCode: string,
  month: { start: Date; end: Date },
): Promise<VerdictCounts> {
  const { rows } = await db.query<{ verdict: string; n: number }>(
    `SELECT verdict, count(*)::int AS n FROM verdicts
     WHERE competent_unit_code = $1 AND end_kind = 'resolved' AND ended_at >= $2 AND ended_at < $3
     GROUP BY verdict`,
    [unitCode, month.start, month.end],
  );
  const n = (v: string) => rows.find((r) => r.verdict === v)?.n ?? 0;
  return { early: n("early"), onTime: n("on_time"), late: n("late") };
}

export async function monthCountsAll(
  db: Db,
  month: { start: Date; end: Date },
): Promise<Map<string, VerdictCounts>> {
  const { rows } = await db.query<{ unit_code: string; early: number; on_time: number; late: number }>(
    `SELECT competent_unit_code AS unit_code, count(*) FILTER (WHERE verdict = 'early')::int AS early,
       count(*) FILTER (WHERE verdict = 'on_time')::int AS on_time, count(*) FILTER (WHERE verdict = 'late')::int AS late
     FROM verdicts WHERE end_kind = 'resolved' AND ended_at >= $1 AND ended_at < $2 GROUP BY competent_unit_code`,
    [month.start, month.end],
  );
  return new Map(rows.map((r) => [r.unit_code, { early: r.early, onTime: r.on_time, late: r.late }]));
}

export interface OpenCounts {
  open: number;
  paused: number;
  dueSoon: number;
  overdue: number;
}

// The boundaries of docs/domain.md, rendered once for these queries: $2 is the instant judged.
const OVERDUE = toSql(overduePredicate, (f) => (f === "at" ? "$2::timestamptz" : "due_at"));
const DUE_SOON = toSql(dueSoonPredicate, (f) =>
  f === "at" ? "$2::timestamptz" : f === "dueAt" ? "due_at" : "due_soon_at",
);

/** Open dossiers held by a unit at `at`: all, paused, due soon, overdue. */
export async function openCounts(
  db: Db,
  unitCode: string | null,
  at: Date,
): Promise<Map<string, OpenCounts>> {
  const { rows } = await db.query<{
    unit_code: string;
    open: number;
    paused: number;
    due_soon: number;
    overdue: number;
  }>(
    `SELECT holding_unit_code AS unit_code, count(*)::int AS open,
       count(*) FILTER (WHERE status = 'paused')::int AS paused,
       count(*) FILTER (WHERE ${DUE_SOON})::int AS due_soon,
       count(*) FILTER (WHERE ${OVERDUE})::int AS overdue
     FROM dossiers WHERE status <> 'closed' AND ($1::text IS NULL OR holding_unit_code = $1) GROUP BY holding_unit_code`,
    [unitCode, at],
  );
  return new Map(
    rows.map((r) => [
      r.unit_code,
      { open: r.open, paused: r.paused, dueSoon: r.due_soon, overdue: r.overdue },
    ]),
  );
}
