import type { PoolClient } from "@tthc/service-kit";
import { type Attribution, attributions } from "../domain/attribution.js";
import { dossierColumns, type RunsPatch, type StatsPatch, submissionColumns } from "../domain/patch.js";
import type { Tables } from "./tables.js";
import { rowPatchSql } from "./upsert.js";

/** The column of a dossier row naming the unit it counts for under each attribution. */
export const unitColumn: Record<Attribution, string> = {
  competent: "competent_unit_code",
  receiving: "receiving_unit_code",
};

/** A daily sum's key: attribution, unit, Vietnam day (YYYY-MM-DD). */
export type DailyKey = [Attribution, string, string];

/**
 * The (attribution, unit, day) keys whose sums a set of dossiers feeds: the day of reception and
 * the day of the end for the unit each attribution names, and the end day of each late step run
 * for the unit that held it (under both attributions).
 */
async function dailyKeys(tx: PoolClient, t: Tables, ids: string[]): Promise<Set<string>> {
  const branches = attributions.flatMap((a) => {
    const unit = unitColumn[a];
    const mine = `dossier_id = ANY($1::uuid[]) AND received_at IS NOT NULL AND ${unit} IS NOT NULL`;
    return [
      `SELECT '${a}' AS a, ${unit} AS u, to_char(received_day, 'YYYY-MM-DD') AS d FROM ${t.dossiers} WHERE ${mine}`,
      `SELECT '${a}', ${unit}, to_char(finished_day, 'YYYY-MM-DD') FROM ${t.dossiers}
        WHERE ${mine} AND finished_day IS NOT NULL`,
      `SELECT '${a}', unit_code, to_char(ended_day, 'YYYY-MM-DD') FROM ${t.runs}
        WHERE dossier_id = ANY($1::uuid[]) AND late AND ended_day IS NOT NULL`,
    ];
  });
  const { rows } = await tx.query<{ a: string; u: string; d: string }>(branches.join(" UNION "), [ids]);
  return new Set(rows.map((r) => `${r.a}|${r.u}|${r.d}`));
}

/**
 * Replaces the step runs of each dossier whose latest sla event is in this run: the dossier rows,
 * already upserted, hold the `(sequence, at)` of their latest runs, and only the patch carrying
 * exactly that replaces them (an older event arriving late changes nothing).
 */
async function applyRuns(tx: PoolClient, t: Tables, patches: RunsPatch[]): Promise<void> {
  if (patches.length === 0) return;
  const incoming = JSON.stringify(
    patches.map((p) => ({ dossier_id: p.dossierId, sequence: p.sequence, set_at: p.at, runs: p.runs })),
  );
  const latest = `
    SELECT i.dossier_id, i.runs FROM (
      SELECT DISTINCT ON (dossier_id) dossier_id, sequence, set_at, runs
        FROM json_to_recordset($1::json) AS r(dossier_id uuid, sequence int, set_at timestamptz, runs json)
       ORDER BY dossier_id, sequence DESC, set_at DESC) i
    JOIN ${t.dossiers} d ON d.dossier_id = i.dossier_id AND d.runs_sequence = i.sequence AND d.runs_set_at = i.set_at`;
  await tx.query(`DELETE FROM ${t.runs} r USING (${latest}) w WHERE r.dossier_id = w.dossier_id`, [incoming]);
  await tx.query(
    `INSERT INTO ${t.runs} (dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at, ended_day,
        due_at, budget_minutes, late, over_minutes)
     SELECT w.dossier_id, s."runNo", s."stepId", s."unitCode", s."staffId", s."startedAt", s."endedAt",
            (s."endedAt" AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, s."dueAt", s."budgetMinutes", s.late, s."overMinutes"
       FROM (${latest}) w,
            json_to_recordset(w.runs) AS s("runNo" int, "stepId" text, "unitCode" text, "staffId" text,
              "startedAt" timestamptz, "endedAt" timestamptz, "dueAt" timestamptz, "budgetMinutes" int,
              late boolean, "overMinutes" int)`,
    [incoming],
  );
}

/**
 * Applies a run of patches: upserts the dossier rows, replaces the latest step runs, derives the
 * columns that depend on several events (end, days, due instant in force, competent unit, the
 * sequence shown), recomputes the daily sums of every key the dossiers fed before and after, and
 * upserts the submissions. Returns the units whose figures changed.
 */
export async function applyPatches(tx: PoolClient, t: Tables, patches: StatsPatch[]): Promise<string[]> {
  const dossiers = patches.flatMap((p) => (p.dossier ? [p.dossier] : []));
  const runs = patches.flatMap((p) => (p.runs ? [p.runs] : []));
  const submissions = patches.flatMap((p) => (p.submission ? [p.submission] : []));
  const units = new Set<string>();
  const ids = [...new Set(dossiers.map((p) => p.dossierId))];
  if (ids.length > 0) {
    const before = await dailyKeys(tx, t, ids);
    for (const p of dossiers) {
      const q = rowPatchSql(t.dossiers, dossierColumns, p);
      await tx.query(q.text, q.values);
    }
    await applyRuns(tx, t, runs);
    await tx.query(
      `UPDATE ${t.dossiers} SET
         finished_at = COALESCE(verdict_end_at, end_at),
         finished_day = (COALESCE(verdict_end_at, end_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         received_day = (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         due_at = CASE WHEN deadline_sequence IS NULL THEN receipt_due_at ELSE sla_due_at END,
         competent_unit_code = COALESCE(sla_competent_unit_code, received_competent_unit_code),
         sla_sequence = GREATEST(deadline_sequence, verdict_sequence)
       WHERE dossier_id = ANY($1::uuid[])`,
      [ids],
    );
    const keys = new Set([...before, ...(await dailyKeys(tx, t, ids))]);
    const parsed = [...keys].map((k) => k.split("|") as DailyKey);
    await recomputeDaily(tx, t, parsed);
    for (const [, unit] of parsed) units.add(unit);
  }
  if (submissions.length > 0) {
    // One look for the rows that exist, rather than an update per accepted dossier that finds none.
    const { rows: existing } = await tx.query<{ id: string }>(
      `SELECT dossier_id::text AS id FROM ${t.submissions} WHERE dossier_id = ANY($1::uuid[])`,
      [[...new Set(submissions.filter((p) => p.onlyIfExists).map((p) => p.dossierId))]],
    );
    const exists = new Set(existing.map((r) => r.id));
    for (const p of submissions) {
      if (p.onlyIfExists && !exists.has(p.dossierId)) continue;
      exists.add(p.dossierId); // an upsert earlier in the run creates the row a later update needs
      const q = rowPatchSql(t.submissions, submissionColumns, p);
      await tx.query(q.text, q.values);
    }
    const { rows } = await tx.query<{ u: string }>(
      `SELECT DISTINCT receiving_unit_code AS u FROM ${t.submissions}
        WHERE dossier_id = ANY($1::uuid[]) AND receiving_unit_code IS NOT NULL`,
      [[...new Set(submissions.map((p) => p.dossierId))]],
    );
    for (const r of rows) units.add(r.u);
  }
  return [...units];
}

/** The additive columns of the daily sums (stat_daily), in their table order. */
export const sumColumns = [
  "received",
  "finished",
  "resolved",
  "stopped",
  "withdrawn",
  "early",
  "on_time",
  "late",
  "resolved_early",
  "resolved_on_time",
  "resolved_late",
  "resolved_online_electronic",
  "used_minutes_sum",
  "used_count",
  "late_steps",
] as const;
type SumColumn = (typeof sumColumns)[number];

const flag = (condition: string) => `((${condition}) IS TRUE)::int`;

/** What a finished dossier adds on the day of its end (docs/domain.md, "Figures"). */
const finishedSums: Record<SumColumn, string> = {
  received: "0",
  finished: "1",
  resolved: flag("x.end_kind = 'resolved'"),
  stopped: flag("x.end_kind = 'stopped'"),
  withdrawn: flag("x.stop_reason = 'withdrawn'"),
  early: flag("x.verdict = 'early'"),
  on_time: flag("x.verdict = 'on_time'"),
  late: flag("x.verdict = 'late'"),
  resolved_early: flag("x.end_kind = 'resolved' AND x.verdict = 'early'"),
  resolved_on_time: flag("x.end_kind = 'resolved' AND x.verdict = 'on_time'"),
  resolved_late: flag("x.end_kind = 'resolved' AND x.verdict = 'late'"),
  resolved_online_electronic: flag(
    "x.end_kind = 'resolved' AND x.channel = 'online' AND x.electronic_result",
  ),
  used_minutes_sum: "COALESCE(x.used_minutes, 0)",
  used_count: flag("x.used_minutes IS NOT NULL"),
  late_steps: "0",
};
const only = (col: SumColumn): Record<SumColumn, string> =>
  Object.fromEntries(sumColumns.map((c) => [c, c === col ? "1" : "0"])) as Record<SumColumn, string>;

const keysJoin = (a: Attribution, unit: string, day: string) =>
  `JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::date[]) AS k(attribution, unit_code, day)) k
     ON k.attribution = '${a}' AND k.unit_code = ${unit} AND k.day = ${day}`;

/**
 * The sums per attribution, unit, day, procedure, field and channel, from the dossier rows and the
 * step runs: received by the day of reception, finished by the day of the end, late steps by the
 * day the run ended for the unit that held it. `keyed` narrows them to the keys in $1–$3.
 */
function dailySelect(t: Tables, keyed: boolean): string {
  const branches = attributions.flatMap((a) => {
    const unit = `x.${unitColumn[a]}`;
    const join = (u: string, day: string) => (keyed ? keysJoin(a, u, day) : "");
    const row = (u: string, day: string, sums: Record<SumColumn, string>) =>
      `'${a}', ${u}, ${day}, x.procedure_code, x.field, x.channel, ${sumColumns.map((c) => sums[c]).join(", ")}`;
    return [
      `SELECT ${row(unit, "x.received_day", only("received"))} FROM ${t.dossiers} x ${join(unit, "x.received_day")}
        WHERE x.received_at IS NOT NULL AND ${unit} IS NOT NULL`,
      `SELECT ${row(unit, "x.finished_day", finishedSums)} FROM ${t.dossiers} x ${join(unit, "x.finished_day")}
        WHERE x.received_at IS NOT NULL AND ${unit} IS NOT NULL AND x.finished_day IS NOT NULL`,
      `SELECT ${row("r.unit_code", "r.ended_day", only("late_steps"))}
         FROM ${t.runs} r JOIN ${t.dossiers} x ON x.dossier_id = r.dossier_id ${join("r.unit_code", "r.ended_day")}
        WHERE r.late AND r.ended_day IS NOT NULL AND x.received_at IS NOT NULL`,
    ];
  });
  return `SELECT attribution, unit_code, day, procedure_code, field, channel,
                 ${sumColumns.map((c) => `sum(${c})`).join(", ")}
            FROM (${branches.join("\n UNION ALL ")}) AS f(attribution, unit_code, day, procedure_code, field, channel,
                 ${sumColumns.join(", ")})
           GROUP BY 1, 2, 3, 4, 5, 6`;
}

const dailyColumns = `attribution, unit_code, day, procedure_code, field, channel, ${sumColumns.join(", ")}`;

/** The per-unit sums: the daily sums folded over procedures, with received split by channel. */
function unitDailySelect(t: Tables, keyed: boolean): string {
  const folded = sumColumns.filter((c) => c !== "received").map((c) => `sum(x.${c})`);
  const byChannel = (ch: string) => `COALESCE(sum(x.received) FILTER (WHERE x.channel = '${ch}'), 0)`;
  const join = keyed
    ? `JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::date[]) AS k(attribution, unit_code, day)) k
         ON k.attribution = x.attribution AND k.unit_code = x.unit_code AND k.day = x.day`
    : "";
  return `SELECT x.attribution, x.unit_code, x.day, ${byChannel("direct")}, ${byChannel("online")}, ${byChannel("postal")},
                 ${folded.join(", ")}
            FROM ${t.daily} x ${join}
           GROUP BY 1, 2, 3`;
}

const unitDailyColumns = `attribution, unit_code, day, received_direct, received_online, received_postal,
  ${sumColumns.filter((c) => c !== "received").join(", ")}`;

/** Recomputes the daily sums of some keys from the rows (deletes them, then sums again). */
export async function recomputeDaily(tx: PoolClient, t: Tables, keys: DailyKey[]): Promise<void> {
  if (keys.length === 0) return;
  const params = [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])];
  for (const table of [t.daily, t.unitDaily]) {
    await tx.query(
      `DELETE FROM ${table} d USING unnest($1::text[], $2::text[], $3::date[]) AS k(attribution, unit_code, day)
        WHERE d.attribution = k.attribution AND d.unit_code = k.unit_code AND d.day = k.day`,
      params,
    );
  }
  await tx.query(`INSERT INTO ${t.daily} (${dailyColumns}) ${dailySelect(t, true)}`, params);
  await tx.query(`INSERT INTO ${t.unitDaily} (${unitDailyColumns}) ${unitDailySelect(t, true)}`, params);
}

/** Recomputes every daily sum (after a bulk load, or an upgrade of the tables). */
export async function recomputeAllDaily(tx: PoolClient, t: Tables): Promise<void> {
  await tx.query(`TRUNCATE ${t.daily}, ${t.unitDaily}`);
  await tx.query(`INSERT INTO ${t.daily} (${dailyColumns}) ${dailySelect(t, false)}`);
  await tx.query(`INSERT INTO ${t.unitDaily} (${unitDailyColumns}) ${unitDailySelect(t, false)}`);
}
