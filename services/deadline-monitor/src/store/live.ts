import type { Pool, PoolClient } from "@tthc/service-kit";
import type { Month, VerdictCounts } from "../domain/rates.js";

type Db = Pool | PoolClient;

export async function monthCounts(db: Db, unitCode: string, month: Month): Promise<VerdictCounts> {
  const { rows } = await db.query<{ verdict: string; n: number }>(
    `SELECT verdict, count(*)::int AS n FROM verdicts WHERE unit_code = $1 AND ended_at >= $2 AND ended_at < $3
     GROUP BY verdict`,
    [unitCode, month.from, month.to],
  );
  const n = (v: string) => rows.find((r) => r.verdict === v)?.n ?? 0;
  return { early: n("early"), onTime: n("on_time"), late: n("late") };
}

export interface OpenCounts {
  open: number;
  paused: number;
  dueSoon: number;
  overdue: number;
}

/** Open dossiers of a unit now: all, paused, past their due-soon instant, past their due instant. */
export async function openCounts(db: Db, unitCode: string | null): Promise<Map<string, OpenCounts>> {
  const { rows } = await db.query<{
    unit_code: string;
    open: number;
    paused: number;
    due_soon: number;
    overdue: number;
  }>(
    `SELECT unit_code, count(*)::int AS open, count(*) FILTER (WHERE status = 'paused')::int AS paused,
       count(*) FILTER (WHERE status = 'open' AND due_soon_at <= now() AND due_at >= now())::int AS due_soon,
       count(*) FILTER (WHERE status = 'open' AND due_at < now())::int AS overdue
     FROM dossiers WHERE status <> 'closed' AND ($1::text IS NULL OR unit_code = $1) GROUP BY unit_code`,
    [unitCode],
  );
  return new Map(
    rows.map((r) => [
      r.unit_code,
      { open: r.open, paused: r.paused, dueSoon: r.due_soon, overdue: r.overdue },
    ]),
  );
}

export async function monthCountsAll(db: Db, month: Month): Promise<Map<string, VerdictCounts>> {
  const { rows } = await db.query<{ unit_code: string; early: number; on_time: number; late: number }>(
    `SELECT unit_code, count(*) FILTER (WHERE verdict = 'early')::int AS early,
       count(*) FILTER (WHERE verdict = 'on_time')::int AS on_time, count(*) FILTER (WHERE verdict = 'late')::int AS late
     FROM verdicts WHERE ended_at >= $1 AND ended_at < $2 GROUP BY unit_code`,
    [month.from, month.to],
  );
  return new Map(rows.map((r) => [r.unit_code, { early: r.early, onTime: r.on_time, late: r.late }]));
}
