import type { PoolClient } from "@tthc/service-kit";
import { type Column, type DossierPatch, setColumns, type Value } from "../domain/patch.js";
import type { Tables } from "./tables.js";

const known = new Set<string>(setColumns);

function upsertOf(t: Tables, patch: DossierPatch): { text: string; values: Value[] } {
  const cols: string[] = ["dossier_id"];
  const values: Value[] = [patch.dossierId];
  const updates: string[] = [];
  const add = (col: string, value: Value) => {
    cols.push(col);
    values.push(value);
  };
  for (const [col, value] of Object.entries(patch.set) as [Column, Value][]) {
    if (!known.has(col)) continue;
    add(col, value);
    updates.push(`${col} = EXCLUDED.${col}`);
  }
  for (const [col, value] of Object.entries(patch.fill) as [Column, Value][]) {
    if (!known.has(col) || col in patch.set) continue;
    add(col, value);
    updates.push(`${col} = COALESCE(d.${col}, EXCLUDED.${col})`);
  }
  if (patch.due) {
    add("sla_due_at", patch.due.dueAt);
    add("due_soon_at", patch.due.dueSoonAt);
    add("sla_due_set_at", patch.due.setAt);
    const newer = "(d.sla_due_set_at IS NULL OR EXCLUDED.sla_due_set_at >= d.sla_due_set_at)";
    for (const c of ["sla_due_at", "due_soon_at", "sla_due_set_at"]) {
      updates.push(`${c} = CASE WHEN ${newer} THEN EXCLUDED.${c} ELSE d.${c} END`);
    }
  }
  if (patch.transfer) {
    add("transfers", 1);
    updates.push("transfers = d.transfers + 1");
  }
  const params = values.map((_, i) => `$${i + 1}`).join(", ");
  const onConflict = updates.length ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  return {
    text: `INSERT INTO ${t.dossiers} AS d (${cols.join(", ")}) VALUES (${params}) ON CONFLICT (dossier_id) ${onConflict}`,
    values,
  };
}

/** (unit, day) pairs whose daily sums a set of dossiers feeds: as receiving unit, and as unit at fault. */
async function dailyKeys(tx: PoolClient, t: Tables, ids: string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ unit_code: string; day: string }>(
    `SELECT unit_code, to_char(received_day, 'YYYY-MM-DD') AS day FROM ${t.dossiers}
       WHERE dossier_id = ANY($1::uuid[]) AND unit_code IS NOT NULL AND received_day IS NOT NULL
     UNION
     SELECT unit_code, to_char(finished_day, 'YYYY-MM-DD') FROM ${t.dossiers}
       WHERE dossier_id = ANY($1::uuid[]) AND unit_code IS NOT NULL AND finished_day IS NOT NULL
     UNION
     SELECT unit_at_fault_code, to_char(finished_day, 'YYYY-MM-DD') FROM ${t.dossiers}
       WHERE dossier_id = ANY($1::uuid[]) AND unit_at_fault_code IS NOT NULL AND finished_day IS NOT NULL`,
    [ids],
  );
  return new Set(rows.map((r) => `${r.unit_code}|${r.day}`));
}

/**
 * Applies a run of patches: upserts the dossier rows, derives their finished instant and days,
 * then recomputes the daily sums of every (unit, day) they touched, before and after. Returns the
 * units whose figures changed (receiving units and units at fault).
 */
export async function applyPatches(tx: PoolClient, t: Tables, patches: DossierPatch[]): Promise<string[]> {
  if (patches.length === 0) return [];
  const ids = [...new Set(patches.map((p) => p.dossierId))];
  const before = await dailyKeys(tx, t, ids);
  for (const p of patches) {
    const q = upsertOf(t, p);
    await tx.query(q.text, q.values);
  }
  await tx.query(
    `UPDATE ${t.dossiers} SET
       finished_at = COALESCE(verdict_end_at, end_at),
       finished_day = (COALESCE(verdict_end_at, end_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       received_day = (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
     WHERE dossier_id = ANY($1::uuid[])`,
    [ids],
  );
  const keys = new Set([...before, ...(await dailyKeys(tx, t, ids))]);
  await recomputeDaily(
    tx,
    t,
    [...keys].map((k) => k.split("|") as [string, string]),
  );
  return [...new Set([...keys].map((k) => k.split("|")[0] as string))];
}

const dailySelect = (t: Tables, join: string) => `
  SELECT unit_code, day, procedure_code, field, channel,
         sum(received)::int, sum(finished)::int, sum(resolved)::int, sum(stopped)::int, sum(withdrawn)::int,
         sum(early)::int, sum(on_time)::int, sum(late)::int, sum(used)::bigint, sum(used_n)::int
  FROM (
    SELECT x.unit_code, x.received_day AS day, x.procedure_code, x.field, x.channel,
           1 AS received, 0 AS finished, 0 AS resolved, 0 AS stopped, 0 AS withdrawn,
           0 AS early, 0 AS on_time, 0 AS late, 0 AS used, 0 AS used_n
      FROM ${t.dossiers} x ${join.replaceAll("DAY", "x.received_day")}
     WHERE x.received_at IS NOT NULL
    UNION ALL
    SELECT x.unit_code, x.finished_day, x.procedure_code, x.field, x.channel,
           0, 1, (x.end_kind IS NOT DISTINCT FROM 'resolved')::int, (x.end_kind IS NOT DISTINCT FROM 'stopped')::int,
           (x.stop_reason IS NOT DISTINCT FROM 'withdrawn')::int,
           (x.verdict IS NOT DISTINCT FROM 'early')::int, (x.verdict IS NOT DISTINCT FROM 'on_time')::int, (x.verdict IS NOT DISTINCT FROM 'late')::int,
           COALESCE(x.used_minutes, 0), (x.used_minutes IS NOT NULL)::int
      FROM ${t.dossiers} x ${join.replaceAll("DAY", "x.finished_day")}
     WHERE x.received_at IS NOT NULL AND x.finished_at IS NOT NULL
  ) f
  GROUP BY unit_code, day, procedure_code, field, channel`;

const dailyColumns =
  "unit_code, day, procedure_code, field, channel, received, finished, resolved, stopped, withdrawn, early, on_time, late, used_minutes_sum, used_count";

/**
 * The per unit and day sums: stat_daily folded over procedures and channels, plus the late
 * dossiers with the unit at fault. `join` narrows both to some keys. The migration that created
 * the table filled it with the same query.
 */
const unitDailySelect = (t: Tables, join: string) => `
  SELECT unit_code, day, sum(received_direct), sum(received_online), sum(received_postal), sum(finished),
         sum(resolved), sum(stopped), sum(withdrawn), sum(early), sum(on_time), sum(late), sum(used_minutes_sum),
         sum(used_count), sum(late_at_fault)
  FROM (
    SELECT x.unit_code, x.day,
           CASE WHEN x.channel = 'direct' THEN x.received ELSE 0 END AS received_direct,
           CASE WHEN x.channel = 'online' THEN x.received ELSE 0 END AS received_online,
           CASE WHEN x.channel = 'postal' THEN x.received ELSE 0 END AS received_postal,
           x.finished, x.resolved, x.stopped, x.withdrawn, x.early, x.on_time, x.late, x.used_minutes_sum,
           x.used_count, 0 AS late_at_fault
      FROM ${t.daily} x ${join.replaceAll("UNIT", "x.unit_code").replaceAll("DAY", "x.day")}
    UNION ALL
    SELECT x.unit_at_fault_code, x.finished_day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
      FROM ${t.dossiers} x ${join.replaceAll("UNIT", "x.unit_at_fault_code").replaceAll("DAY", "x.finished_day")}
     WHERE x.unit_at_fault_code IS NOT NULL AND x.verdict = 'late' AND x.received_at IS NOT NULL
       AND x.finished_day IS NOT NULL
  ) f
  GROUP BY unit_code, day`;

const keysJoin = (unit: string, day: string) =>
  `JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::date[]) AS k(unit_code, day)) k ON k.unit_code = ${unit} AND k.day = ${day}`;

/** Recomputes the daily sums (both grains) of some (unit, day) pairs from the dossier rows. */
export async function recomputeDaily(tx: PoolClient, t: Tables, keys: [string, string][]): Promise<void> {
  if (keys.length === 0) return;
  const units = keys.map((k) => k[0]);
  const days = keys.map((k) => k[1]);
  for (const table of [t.daily, t.unitDaily]) {
    await tx.query(
      `DELETE FROM ${table} d USING unnest($1::text[], $2::date[]) AS k(unit_code, day)
        WHERE d.unit_code = k.unit_code AND d.day = k.day`,
      [units, days],
    );
  }
  await tx.query(
    `INSERT INTO ${t.daily} (${dailyColumns}) ${dailySelect(t, keysJoin("x.unit_code", "DAY"))}`,
    [units, days],
  );
  await tx.query(`INSERT INTO ${t.unitDaily} ${unitDailySelect(t, keysJoin("UNIT", "DAY"))}`, [units, days]);
}

/** Recomputes every daily sum (after a bulk load). */
export async function recomputeAllDaily(tx: PoolClient, t: Tables): Promise<void> {
  await tx.query(`TRUNCATE ${t.daily}, ${t.unitDaily}`);
  await tx.query(`INSERT INTO ${t.daily} (${dailyColumns}) ${dailySelect(t, "")}`);
  await tx.query(`INSERT INTO ${t.unitDaily} ${unitDailySelect(t, "")}`);
}
