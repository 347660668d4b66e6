import { type Period, periodEnd, periodRef, periodStart } from "@tthc/calendar";
import { acceptancePredicates, dossierPredicates, emptyCounts, type RawCounts } from "@tthc/rates";
import type { Pool } from "@tthc/service-kit";
import type { Attribution } from "../domain/attribution.js";
import { sumColumns, unitColumn } from "../domain/daily-sums.js";
import { dossierSql, submissionSql } from "./predicate-sql.js";
import { liveTables as t } from "./tables.js";

/** How counts are grouped: one total, or per unit (as the attribution names it), or per procedure. */
export type GroupBy = "all" | "unit" | "procedure";

export interface CountQuery {
  period: Period;
  now: Date;
  by: GroupBy;
  attribution: Attribution;
  /** Only these units (a unit and the units under it); all when absent. */
  units?: string[];
}

interface Row {
  g: string | null;
  [k: string]: string | number | null;
}

const unitFilter = (units: string[] | undefined, column: string, param: number) =>
  units ? ` AND ${column} = ANY($${param}::text[])` : "";

/** The period's instants: `start` and `end` (half-open) and `at`, the instant it is judged at. */
export function instantsOf(period: Period, now: Date) {
  return {
    start: periodStart(period).toISOString(),
    end: periodEnd(period).toISOString(),
    at: periodRef(period, now).toISOString(),
  };
}

/**
 * The raw counts of docs/domain.md for a period, per group. Received, finished, the verdicts and
 * the late steps come from the daily sums (a day is the half-open interval the predicates
 * `receivedIn` and `finishedIn` take); the carried-over and open dossiers (which no per-day sum
 * gives) and the acceptance figures from the rows, with the predicates of `@tthc/rates`. "In hand
 * at an instant" goes first in those queries only so that the GiST index finds the rows.
 */
export async function countsBy(pool: Pool, q: CountQuery): Promise<Map<string, RawCounts>> {
  const unit = `x.${unitColumn[q.attribution]}`;
  const group = { all: "'all'", unit, procedure: "x.procedure_code" }[q.by];
  const { start, end, at } = instantsOf(q.period, q.now);
  const units = q.units ? [q.units] : [];
  const p = dossierPredicates;
  const a = acceptancePredicates;
  const sums = sumColumns
    .filter((c) => c !== "received")
    .map((c) => `sum(x.${c})::float8 AS ${c}`)
    .join(", ");
  const perProcedure = q.by === "procedure";
  const dailyGroup = { all: "'all'", unit: "x.unit_code", procedure: "x.procedure_code" }[q.by];
  const received = perProcedure
    ? ["direct", "online", "postal"]
        .map((ch) => `COALESCE(sum(x.received) FILTER (WHERE x.channel = '${ch}'), 0)::int AS received_${ch}`)
        .join(", ")
    : "sum(x.received_direct)::int AS received_direct, sum(x.received_online)::int AS received_online, sum(x.received_postal)::int AS received_postal";
  const inHandAt = (param: number) => `stat_in_hand(x.received_at, x.finished_at) @> $${param}::timestamptz`;
  const [daily, carried, open, acceptance] = await Promise.all([
    pool.query<Row>(
      `SELECT ${dailyGroup} AS g, ${received}, ${sums}
         FROM ${perProcedure ? t.daily : t.unitDaily} x
        WHERE x.attribution = $1 AND x.day BETWEEN $2 AND $3${unitFilter(q.units, "x.unit_code", 4)}
        GROUP BY 1`,
      [q.attribution, q.period.from, q.period.to, ...units],
    ),
    pool.query<Row>(
      `SELECT ${group} AS g, count(*)::int AS carried FROM ${t.dossiers} x
        WHERE ${inHandAt(1)} AND ${dossierSql(p.carriedOver, { start: 1 })}${unitFilter(q.units, unit, 2)}
        GROUP BY 1`,
      [start, ...units],
    ),
    pool.query<Row>(
      `SELECT ${group} AS g,
              count(*) FILTER (WHERE ${dossierSql(p.openWithin, { start: 1, end: 2, at: 3 })})::int AS within,
              count(*) FILTER (WHERE ${dossierSql(p.openOverdue, { start: 1, end: 2, at: 3 })})::int AS overdue,
              count(*) FILTER (WHERE ${dossierSql(p.openDueSoon, { start: 1, end: 2, at: 3 })})::int AS due_soon
         FROM ${t.dossiers} x
        WHERE ${inHandAt(2)} AND ${dossierSql(p.openAtEnd, { start: 1, end: 2 })}${unitFilter(q.units, unit, 4)}
        GROUP BY 1`,
      [start, end, at, ...units],
    ),
    pool.query<Row>(
      `SELECT ${{ all: "'all'", unit: "x.receiving_unit_code", procedure: "x.procedure_code" }[q.by]} AS g,
              count(*) FILTER (WHERE ${submissionSql(a.acceptanceDecidedIn, { start: 1, end: 2 })})::int AS decided,
              count(*) FILTER (WHERE ${submissionSql(a.acceptanceOnTime, { start: 1, end: 2 })})::int AS on_time,
              count(*) FILTER (WHERE ${submissionSql(a.acceptanceWaiting, { end: 2 })})::int AS waiting,
              count(*) FILTER (WHERE ${submissionSql(a.acceptanceOverdue, { end: 2, at: 3 })})::int AS overdue
         FROM ${t.submissions} x
        WHERE (x.decided_at IS NULL OR x.decided_at >= $1::timestamptz)${unitFilter(q.units, "x.receiving_unit_code", 4)}
        GROUP BY 1`,
      [start, end, at, ...units],
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
    c.resolvedEarly = n(r.resolved_early);
    c.resolvedOnTime = n(r.resolved_on_time);
    c.resolvedLate = n(r.resolved_late);
    c.resolvedOnlineElectronic = n(r.resolved_online_electronic);
    c.usedMinutesSum = n(r.used_minutes_sum);
    c.usedCount = n(r.used_count);
    c.lateSteps = n(r.late_steps);
  }
  for (const r of carried.rows) of(r.g).carriedOver = n(r.carried);
  for (const r of open.rows) {
    const c = of(r.g);
    c.openWithin = n(r.within);
    c.openOverdue = n(r.overdue);
    c.dueSoon = n(r.due_soon);
  }
  for (const r of acceptance.rows) {
    if (n(r.decided) + n(r.waiting) === 0) continue;
    const c = of(r.g);
    c.acceptanceDecided = n(r.decided);
    c.acceptanceOnTime = n(r.on_time);
    c.acceptanceWaiting = n(r.waiting);
    c.acceptanceOverdue = n(r.overdue);
  }
  return out;
}

/** 90th percentile (nearest rank) of the working minutes used by the dossiers finished in the period. */
export async function usedMinutesP90(
  pool: Pool,
  q: { period: Period; now: Date; attribution: Attribution; units?: string[] },
): Promise<number | null> {
  const { start, end } = instantsOf(q.period, q.now);
  const { rows } = await pool.query<{ p90: number | null }>(
    `SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY x.used_minutes) AS p90 FROM ${t.dossiers} x
      WHERE ${dossierSql(dossierPredicates.finishedIn, { start: 1, end: 2 })}
        AND x.used_minutes IS NOT NULL AND x.received_at IS NOT NULL
        ${unitFilter(q.units, `x.${unitColumn[q.attribution]}`, 3)}`,
    [start, end, ...(q.units ? [q.units] : [])],
  );
  return rows[0]?.p90 ?? null;
}

export interface UnitInfo {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** The codes in one column of the dossier rows, one index probe per code instead of a scan. */
const seenIn = (column: string) => `
  WITH RECURSIVE seen(code) AS (
    SELECT min(${column}) FROM ${t.dossiers}
    UNION ALL
    SELECT (SELECT min(${column}) FROM ${t.dossiers} WHERE ${column} > seen.code) FROM seen WHERE seen.code IS NOT NULL)
  SELECT code FROM seen WHERE code IS NOT NULL`;

/**
 * Units of the catalogue, and any unit code seen in dossiers (as receiving centre or competent
 * unit) without a catalogue record.
 */
export async function listUnits(pool: Pool): Promise<UnitInfo[]> {
  const { rows } = await pool.query<UnitInfo>(
    `SELECT code, name, level, parent_code AS "parentCode" FROM ${t.units}
     UNION ALL
     SELECT code, code, 'unknown', NULL
       FROM (SELECT code FROM (${seenIn("receiving_unit_code")}) r
             UNION SELECT code FROM (${seenIn("competent_unit_code")}) c) s
      WHERE code NOT IN (SELECT code FROM ${t.units})
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
     UNION SELECT $1 WHERE EXISTS (SELECT 1 FROM ${t.dossiers} WHERE receiving_unit_code = $1)
        OR EXISTS (SELECT 1 FROM ${t.dossiers} WHERE competent_unit_code = $1)`,
    [code],
  );
  return rows.length ? rows.map((r) => r.code) : null;
}

/**
 * The names and fields of some procedures: the catalogue's, else the name a dossier of it carries.
 * A dossier is looked up only for a code the catalogue lacks, one row each.
 */
export async function procedureNamesOf(
  pool: Pool,
  codes: string[],
): Promise<Map<string, { name: string; field: string }>> {
  if (codes.length === 0) return new Map();
  const { rows } = await pool.query<{ code: string; name: string; field: string }>(
    `SELECT c AS code, COALESCE(p.name, d.procedure_name, c) AS name, COALESCE(p.field, d.field, '') AS field
       FROM unnest($1::text[]) c
       LEFT JOIN ${t.procedures} p ON p.code = c
       LEFT JOIN LATERAL (SELECT x.procedure_name, x.field FROM ${t.dossiers} x
                           WHERE p.code IS NULL AND x.procedure_code = c LIMIT 1) d ON true`,
    [codes],
  );
  return new Map(rows.map((r) => [r.code, { name: r.name, field: r.field }]));
}

/** The units of the catalogue at one level (`department`, `commune`...): the units a level's figures take. */
export async function levelScope(pool: Pool, level: string): Promise<string[]> {
  const { rows } = await pool.query<{ code: string }>(
    `SELECT code FROM ${t.units} WHERE level = $1 ORDER BY code`,
    [level],
  );
  return rows.map((r) => r.code);
}
