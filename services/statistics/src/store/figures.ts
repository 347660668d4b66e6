import type { Pool } from "@tthc/service-kit";
import { type LocalDay, type Period, periodEnd, periodRef, periodStart } from "../domain/period.js";
import { emptyCounts, type RawCounts } from "../domain/rates.js";
import { liveTables as t } from "./tables.js";

/** How counts are grouped: one total, or per unit (the receiving unit), or per procedure. */
export type GroupBy = "all" | "unit" | "procedure";

export interface CountQuery {
  period: Period;
  now: Date;
  by: GroupBy;
  /** Only these units (a unit and the units under it); all when absent. */
  units?: string[];
}

const groupExpr: Record<GroupBy, string> = {
  all: "'all'",
  unit: "unit_code",
  procedure: "procedure_code",
};

interface Row {
  g: string;
  [k: string]: string | number | null;
}

function unitFilter(units: string[] | undefined, column: string, param: number): string {
  return units ? ` AND ${column} = ANY($${param}::text[])` : "";
}

/** Dossiers in hand at the instant `$param` (received before it, not finished before it). */
const inHandAt = (param: number) => `stat_in_hand(received_at, finished_at) @> $${param}::timestamptz`;

/**
 * The raw counts of DOMAIN.md for a period, per group: received and finished from the daily sums
 * (per unit and day, or per procedure), the carried-over and open dossiers (which a per-day sum
 * cannot give) from the dossier rows in hand at an instant, through their GiST index.
 */
export async function countsBy(pool: Pool, q: CountQuery): Promise<Map<string, RawCounts>> {
  const g = groupExpr[q.by];
  const start = periodStart(q.period);
  const ref = periodRef(q.period, q.now);
  const extra = q.units ? [q.units] : [];
  const perProcedure = q.by === "procedure";
  const sums = `sum(finished)::int AS finished, sum(resolved)::int AS resolved, sum(stopped)::int AS stopped,
          sum(withdrawn)::int AS withdrawn, sum(early)::int AS early, sum(on_time)::int AS on_time,
          sum(late)::int AS late, sum(used_minutes_sum)::float8 AS used_sum, sum(used_count)::int AS used_count`;
  const [daily, carried, open, fault] = await Promise.all([
    pool.query<Row>(
      perProcedure
        ? `SELECT ${g} AS g,
          COALESCE(sum(received) FILTER (WHERE channel = 'direct'), 0)::int AS received_direct,
          COALESCE(sum(received) FILTER (WHERE channel = 'online'), 0)::int AS received_online,
          COALESCE(sum(received) FILTER (WHERE channel = 'postal'), 0)::int AS received_postal, ${sums}
       FROM ${t.daily} WHERE day BETWEEN $1 AND $2${unitFilter(q.units, "unit_code", 3)}
       GROUP BY 1`
        : `SELECT ${g} AS g, sum(received_direct)::int AS received_direct,
          sum(received_online)::int AS received_online, sum(received_postal)::int AS received_postal, ${sums}
       FROM ${t.unitDaily} WHERE day BETWEEN $1 AND $2 AND (received_direct + received_online + received_postal + finished) > 0${unitFilter(q.units, "unit_code", 3)}
       GROUP BY 1`,
      [q.period.from, q.period.to, ...extra],
    ),
    pool.query<Row>(
      `SELECT ${g} AS g, count(*)::int AS carried FROM ${t.dossiers}
        WHERE ${inHandAt(1)}${unitFilter(q.units, "unit_code", 2)}
        GROUP BY 1`,
      [start, ...extra],
    ),
    pool.query<Row>(
      `SELECT ${g} AS g,
          count(*) FILTER (WHERE COALESCE(sla_due_at, due_at) > $1)::int AS within,
          count(*) FILTER (WHERE COALESCE(sla_due_at, due_at) <= $1)::int AS overdue,
          count(*) FILTER (WHERE COALESCE(sla_due_at, due_at) > $1 AND due_soon_at <= $1)::int AS due_soon
        FROM ${t.dossiers}
        WHERE ${inHandAt(1)}${unitFilter(q.units, "unit_code", 2)}
        GROUP BY 1`,
      [ref, ...extra],
    ),
    perProcedure
      ? pool.query<Row>(
          `SELECT ${g} AS g, count(*)::int AS n FROM ${t.dossiers}
        WHERE unit_at_fault_code IS NOT NULL AND verdict = 'late' AND received_at IS NOT NULL
          AND finished_day BETWEEN $1 AND $2${unitFilter(q.units, "unit_at_fault_code", 3)}
        GROUP BY 1`,
          [q.period.from, q.period.to, ...extra],
        )
      : pool.query<Row>(
          `SELECT ${g} AS g, sum(late_at_fault)::int AS n FROM ${t.unitDaily}
        WHERE late_at_fault > 0 AND day BETWEEN $1 AND $2${unitFilter(q.units, "unit_code", 3)}
        GROUP BY 1`,
          [q.period.from, q.period.to, ...extra],
        ),
  ]);
  const out = new Map<string, RawCounts>();
  const of = (key: string | number | null): RawCounts => {
    const k = String(key);
    let c = out.get(k);
    if (!c) {
      c = emptyCounts();
      out.set(k, c);
    }
    return c;
  };
  const n = (v: string | number | null | undefined) => Number(v ?? 0);
  for (const r of daily.rows) {
    const c = of(r.g);
    c.receivedDirect = n(r.received_direct);
    c.receivedOnline = n(r.received_online);
    c.receivedPostal = n(r.received_postal);
    c.finished = n(r.finished);
    c.resolved = n(r.resolved);
    c.stopped = n(r.stopped);
    c.withdrawn = n(r.withdrawn);
    c.early = n(r.early);
    c.onTime = n(r.on_time);
    c.late = n(r.late);
    c.usedMinutesSum = n(r.used_sum);
    c.usedCount = n(r.used_count);
  }
  for (const r of carried.rows) of(r.g).carriedOver = n(r.carried);
  for (const r of open.rows) {
    const c = of(r.g);
    c.openWithin = n(r.within);
    c.openOverdue = n(r.overdue);
    c.dueSoon = n(r.due_soon);
  }
  for (const r of fault.rows) if (r.g !== null) of(r.g).lateAtFault = n(r.n);
  return out;
}

/** 90th percentile of working minutes used by the dossiers finished in the period. */
export async function usedMinutesP90(pool: Pool, period: Period, units?: string[]): Promise<number | null> {
  const { rows } = await pool.query<{ p90: number | null }>(
    `SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY used_minutes) AS p90 FROM ${t.dossiers}
      WHERE finished_day BETWEEN $1 AND $2 AND used_minutes IS NOT NULL AND received_at IS NOT NULL
      ${unitFilter(units, "unit_code", 3)}`,
    [period.from, period.to, ...(units ? [units] : [])],
  );
  return rows[0]?.p90 ?? null;
}

export interface UnitInfo {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/**
 * Units of the catalogue, and any unit code seen in dossiers without a catalogue record. The codes
 * seen are read by skipping along the (unit_code, received_day) index, one probe per unit, rather
 * than by reading every dossier row.
 */
export async function listUnits(pool: Pool): Promise<UnitInfo[]> {
  const { rows } = await pool.query<UnitInfo>(
    `WITH RECURSIVE seen(code) AS (
       SELECT min(unit_code) FROM ${t.dossiers}
       UNION ALL
       SELECT (SELECT min(unit_code) FROM ${t.dossiers} WHERE unit_code > seen.code) FROM seen WHERE seen.code IS NOT NULL)
     SELECT code, name, level, parent_code AS "parentCode" FROM ${t.units}
     UNION ALL
     SELECT code, code, 'unknown', NULL FROM seen
      WHERE code IS NOT NULL AND code NOT IN (SELECT code FROM ${t.units})
     ORDER BY 1`,
  );
  return rows;
}

/** A unit and every unit under it, or null if the unit is unknown (no record, no dossier). */
export async function unitScope(pool: Pool, code: string): Promise<string[] | null> {
  const { rows } = await pool.query<{ code: string }>(
    `WITH RECURSIVE tree(code) AS (
       SELECT code FROM ${t.units} WHERE code = $1
       UNION SELECT u.code FROM ${t.units} u JOIN tree ON u.parent_code = tree.code)
     SELECT code FROM tree
     UNION SELECT DISTINCT unit_code FROM ${t.dossiers} WHERE unit_code = $1`,
    [code],
  );
  return rows.length ? rows.map((r) => r.code) : null;
}

export async function procedureNames(pool: Pool): Promise<Map<string, { name: string; field: string }>> {
  const { rows } = await pool.query<{ code: string; name: string; field: string }>(
    `SELECT code, name, field FROM ${t.procedures}
     UNION ALL
     SELECT DISTINCT ON (procedure_code) procedure_code, procedure_name, field FROM ${t.dossiers}
      WHERE procedure_code IS NOT NULL AND procedure_code NOT IN (SELECT code FROM ${t.procedures})`,
  );
  return new Map(rows.map((r) => [r.code, { name: r.name, field: r.field }]));
}

export type DossierFigure =
  | "received"
  | "handled"
  | "finished"
  | "early"
  | "on_time"
  | "late"
  | "withdrawn"
  | "stopped"
  | "open"
  | "overdue"
  | "due_soon"
  | "carried_over"
  | "not_on_time_766";

export interface DossierRow {
  dossierId: string;
  dossierCode: string | null;
  unitCode: string | null;
  currentUnitCode: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  field: string | null;
  channel: string | null;
  state: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  extendedDueAt: string | null;
  finishedAt: string | null;
  endKind: string | null;
  stopReason: string | null;
  verdict: string | null;
  verdictReason: string | null;
  unitAtFaultCode: string | null;
  usedMinutes: number | null;
  transfers: number;
}

/** The dossiers behind a figure of a period, in order of reception. */
export async function listDossiers(
  pool: Pool,
  q: { period: Period; now: Date; figure: DossierFigure; units?: string[]; limit: number; offset: number },
): Promise<DossierRow[]> {
  const from: LocalDay = q.period.from;
  const to: LocalDay = q.period.to;
  const start = periodStart(q.period).toISOString();
  const end = periodEnd(q.period).toISOString();
  const ref = periodRef(q.period, q.now).toISOString();
  const due = "COALESCE(sla_due_at, due_at)";
  // The period's bounds come in as parameters, named once in `p`.
  const open = "received_at < p.ref_at AND (finished_at IS NULL OR finished_at >= p.ref_at)";
  const handled = "received_at < p.end_at AND (finished_at IS NULL OR finished_at >= p.start_at)";
  const finishedIn = "finished_day BETWEEN p.from_day AND p.to_day";
  const where: Record<DossierFigure, string> = {
    received: "received_day BETWEEN p.from_day AND p.to_day",
    handled,
    finished: finishedIn,
    early: `${finishedIn} AND verdict = 'early'`,
    on_time: `${finishedIn} AND verdict = 'on_time'`,
    late: `${finishedIn} AND verdict = 'late'`,
    withdrawn: `${finishedIn} AND stop_reason = 'withdrawn'`,
    stopped: `${finishedIn} AND end_kind = 'stopped'`,
    open,
    overdue: `${open} AND ${due} <= p.ref_at`,
    due_soon: `${open} AND ${due} > p.ref_at AND due_soon_at <= p.ref_at`,
    carried_over: "received_at < p.start_at AND (finished_at IS NULL OR finished_at >= p.start_at)",
    not_on_time_766: `${handled} AND NOT COALESCE((${finishedIn} AND verdict IN ('early', 'on_time')) OR (${open} AND ${due} > p.ref_at), false)`,
  };
  const { rows } = await pool.query<DossierRow>(
    `SELECT dossier_id AS "dossierId", dossier_code AS "dossierCode", unit_code AS "unitCode",
            current_unit_code AS "currentUnitCode", procedure_code AS "procedureCode",
            procedure_name AS "procedureName", field, channel, state,
            to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "receivedAt",
            to_char(${due} AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "dueAt",
            to_char(extended_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "extendedDueAt",
            to_char(finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "finishedAt",
            end_kind AS "endKind", stop_reason AS "stopReason", verdict, verdict_reason AS "verdictReason",
            unit_at_fault_code AS "unitAtFaultCode", used_minutes AS "usedMinutes", transfers
       FROM ${t.dossiers},
            (SELECT $3::date AS from_day, $4::date AS to_day, $5::timestamptz AS start_at,
                    $6::timestamptz AS end_at, $7::timestamptz AS ref_at) AS p
      WHERE received_at IS NOT NULL AND ${where[q.figure]}${unitFilter(q.units, "unit_code", 8)}
      ORDER BY received_at, dossier_code
      LIMIT $1 OFFSET $2`,
    [q.limit, q.offset, from, to, start, end, ref, ...(q.units ? [q.units] : [])],
  );
  return rows;
}
