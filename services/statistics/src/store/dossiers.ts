import { localDay, toSql } from "@tthc/calendar";
import type { StepRunDeadline } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { attributions } from "../domain/attribution.js";
import {
  type DailyPart,
  dailyDelta,
  dailyParts,
  finishedShares,
  type LateRun,
  onlyShare,
  receivedChannels,
  type Share,
  type SumColumn,
  sumColumns,
  unitColumn,
  unitsOf,
} from "../domain/daily-sums.js";
import type { DossierGroup, RunsPatch, StatsPatch, SubmissionGroup } from "../domain/patch.js";
import { APPLIED, type Applied, applyRowPatch, type Row, sameRow, withDerived } from "../domain/row-fold.js";
import { readRows, writeRows } from "./rows.js";
import type { Tables } from "./tables.js";

const newDossier = (id: string): Row => ({ dossier_id: id, transfers: 0, [APPLIED]: [] });
const newSubmission = (id: string): Row => ({ dossier_id: id, [APPLIED]: [] });

interface Folded {
  before: Row | undefined;
  after: Row | undefined;
  /** The step runs of the latest sla event, when one in this run replaced them. */
  runs?: RunsPatch;
}

/** Folds the run's patches, in delivery order, over the rows read for some ids. */
function fold(
  patches: StatsPatch[],
  ids: Set<string>,
  dossiers: Map<string, Row>,
  submissions: Map<string, Row>,
): { dossiers: Map<string, Folded>; submissions: Map<string, Folded> } {
  const d = new Map<string, Folded>();
  const s = new Map<string, Folded>();
  const entry = (m: Map<string, Folded>, rows: Map<string, Row>, id: string) => {
    let f = m.get(id);
    if (!f) {
      f = { before: rows.get(id), after: rows.get(id) };
      m.set(id, f);
    }
    return f;
  };
  const eventId = (p: StatsPatch) => p.eventId.toLowerCase();
  for (const p of patches) {
    if (p.dossier) {
      const id = p.dossier.dossierId.toLowerCase();
      if (ids.has(id)) {
        const f = entry(d, dossiers, id);
        const r: Applied<DossierGroup> = applyRowPatch(f.after, p.dossier, eventId(p), newDossier);
        f.after = r.row;
        if (p.runs && r.groups.includes("runs")) f.runs = p.runs;
      }
    }
    if (p.submission) {
      const id = p.submission.dossierId.toLowerCase();
      if (ids.has(id)) {
        const f = entry(s, submissions, id);
        const r: Applied<SubmissionGroup> = applyRowPatch(f.after, p.submission, eventId(p), newSubmission);
        f.after = r.row;
      }
    }
  }
  for (const f of d.values()) if (f.after) f.after = withDerived(f.after);
  return { dossiers: d, submissions: s };
}

const lateRunsOf = (runs: StepRunDeadline[]): LateRun[] =>
  runs
    .filter((r) => r.late && r.endedAt)
    .map((r) => ({ unit_code: r.unitCode, ended_day: localDay(new Date(r.endedAt as string)) }));

/** The late step runs held now for some dossiers (what their part of the daily sums counts). */
async function readLateRuns(tx: PoolClient, t: Tables, ids: string[]): Promise<Map<string, LateRun[]>> {
  const runs = new Map<string, LateRun[]>();
  if (ids.length === 0) return runs;
  const { rows } = await tx.query<{ id: string; unit_code: string; ended_day: string }>(
    `SELECT dossier_id::text AS id, unit_code, to_char(ended_day, 'YYYY-MM-DD') AS ended_day FROM ${t.runs}
      WHERE dossier_id = ANY($1::uuid[]) AND late AND ended_day IS NOT NULL ORDER BY dossier_id, run_no`,
    [ids],
  );
  for (const r of rows)
    runs.set(r.id, [...(runs.get(r.id) ?? []), { unit_code: r.unit_code, ended_day: r.ended_day }]);
  return runs;
}

/** Replaces the step runs of the dossiers whose latest sla event is in this run. */
async function replaceRuns(tx: PoolClient, t: Tables, patches: RunsPatch[]): Promise<void> {
  if (patches.length === 0) return;
  const ids = patches.map((p) => p.dossierId.toLowerCase());
  await tx.query(`DELETE FROM ${t.runs} WHERE dossier_id = ANY($1::uuid[])`, [ids]);
  const rows = patches.flatMap((p) =>
    p.runs.map((s) => ({
      dossier_id: p.dossierId.toLowerCase(),
      run_no: s.runNo,
      step_id: s.stepId,
      unit_code: s.unitCode,
      staff_id: s.staffId,
      started_at: s.startedAt,
      ended_at: s.endedAt,
      ended_day: s.endedAt ? localDay(new Date(s.endedAt)) : null,
      due_at: s.dueAt,
      budget_minutes: s.budgetMinutes,
      late: s.late,
      over_minutes: s.overMinutes,
    })),
  );
  if (rows.length === 0) return;
  await tx.query(`INSERT INTO ${t.runs} SELECT * FROM jsonb_populate_recordset(NULL::${t.runs}, $1::jsonb)`, [
    JSON.stringify(rows),
  ]);
}

/** Adds a change to the daily sums and the per-unit sums, and drops the sums it brings to zero. */
export async function addToDaily(tx: PoolClient, t: Tables, delta: DailyPart[]): Promise<void> {
  if (delta.length === 0) return;
  const row = (p: Omit<DailyPart, "sums">, sums: Record<string, number>) => ({
    attribution: p.attribution,
    unit_code: p.unit_code,
    day: p.day,
    ...("procedure_code" in p
      ? { procedure_code: p.procedure_code, field: p.field, channel: p.channel }
      : {}),
    ...sums,
  });
  const daily = delta.map((p) =>
    row(p, Object.fromEntries(sumColumns.map((c, i) => [c, p.sums[i] as number]))),
  );
  const perUnit = new Map<string, Record<string, number | string>>();
  for (const p of delta) {
    const k = `${p.attribution}|${p.unit_code}|${p.day}`;
    let u = perUnit.get(k);
    if (!u) {
      u = { attribution: p.attribution, unit_code: p.unit_code, day: p.day };
      for (const c of unitDailySums) u[c] = 0;
      perUnit.set(k, u);
    }
    sumColumns.forEach((c, i) => {
      const n = p.sums[i] as number;
      const col =
        c === "received"
          ? receivedChannels.includes(p.channel as never)
            ? `received_${p.channel}`
            : null
          : c;
      if (col) u[col] = (u[col] as number) + n;
    });
  }
  const upsert = async (table: string, key: string[], sums: readonly string[], rows: object[]) => {
    // Adds, and returns the keys the change brought to zero (a dossier moved to another day or
    // unit): those alone are deleted, so that the table holds what a full sum would.
    const { rows: zero } = await tx.query<Record<string, string>>(
      `INSERT INTO ${table} AS d SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ORDER BY ${key.join(", ")}
       ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${sums.map((c) => `${c} = d.${c} + EXCLUDED.${c}`).join(", ")}
       RETURNING ${key.map((c) => `d.${c}::text AS ${c}`).join(", ")}, ${sums.map((c) => `d.${c} = 0`).join(" AND ")} AS zero`,
      [JSON.stringify(rows)],
    );
    const gone = zero.filter((z) => z.zero);
    if (gone.length === 0) return;
    await tx.query(
      `DELETE FROM ${table} d USING unnest(${key.map((_, i) => `$${i + 1}::text[]`).join(", ")}) AS r(${key.join(", ")})
        WHERE ${key.map((c) => `d.${c}::text = r.${c}`).join(" AND ")}`,
      key.map((c) => gone.map((z) => z[c])),
    );
  };
  await upsert(t.daily, dailyKey, sumColumns, daily);
  await upsert(t.unitDaily, ["attribution", "unit_code", "day"], unitDailySums, [...perUnit.values()]);
}

const dailyKey = ["attribution", "unit_code", "day", "procedure_code", "field", "channel"];
const unitDailySums = [
  ...receivedChannels.map((c) => `received_${c}`),
  ...sumColumns.filter((c) => c !== "received"),
];

export interface ApplyOptions {
  /**
   * The live tables: the daily sums are kept by delta, and the rows a run reads are locked against
   * another instance's run. A rebuild's tables have one writer, whose runs the pipeline serialises;
   * it keeps no daily sums and sums them once when its tables go live (`recomputeAllDaily`).
   */
  live: boolean;
}

/**
 * Applies a run of patches: reads the rows it touches (locked), folds the patches over them in
 * memory, writes each changed row once, replaces the latest step runs, and adds the change in each
 * dossier's part to the daily sums. A few statements per run, whatever its length. Returns the
 * units whose figures changed.
 */
export async function applyPatches(
  tx: PoolClient,
  t: Tables,
  patches: StatsPatch[],
  options: ApplyOptions = { live: true },
): Promise<string[]> {
  const units = new Set<string>();
  const changes: { before: DailyPart[]; after: DailyPart[] }[] = [];
  const lower = (id: string | undefined) => (id ? [id.toLowerCase()] : []);
  const dossierIds = new Set(patches.flatMap((p) => lower(p.dossier?.dossierId)));
  const submissionIds = new Set(patches.flatMap((p) => lower(p.submission?.dossierId)));
  let pending = new Set([...dossierIds, ...submissionIds]);
  while (pending.size > 0) {
    const ids = [...pending].sort();
    const dossierRows = await readRows(
      tx,
      t.dossiers,
      ids.filter((id) => dossierIds.has(id)),
      options.live,
    );
    const submissionRows = await readRows(
      tx,
      t.submissions,
      ids.filter((id) => submissionIds.has(id)),
      options.live,
    );
    const folded = fold(patches, pending, dossierRows, submissionRows);
    pending = new Set();

    const dossiers = [...folded.dossiers.entries()].filter(([, f]) => !sameRow(f.before, f.after));
    const lost = await writeRows(
      tx,
      t.dossiers,
      dossiers.flatMap(([, f]) => (f.before && f.after ? [f.after] : [])),
      dossiers.flatMap(([, f]) => (!f.before && f.after ? [f.after] : [])),
    );
    for (const id of lost) pending.add(id);
    const written = dossiers.filter(([id]) => !lost.includes(id));
    const oldRuns = options.live
      ? await readLateRuns(
          tx,
          t,
          written.map(([id]) => id),
        )
      : new Map();
    await replaceRuns(
      tx,
      t,
      written.flatMap(([, f]) => (f.runs ? [f.runs] : [])),
    );
    if (options.live) {
      for (const [id, f] of written) {
        const before = dailyParts(f.before, oldRuns.get(id) ?? []);
        const after = dailyParts(f.after, f.runs ? lateRunsOf(f.runs.runs) : (oldRuns.get(id) ?? []));
        changes.push({ before, after });
        for (const u of unitsOf([...before, ...after])) units.add(u);
      }
    }

    const submissions = [...folded.submissions.entries()].filter(([, f]) => !sameRow(f.before, f.after));
    const lostSubmissions = await writeRows(
      tx,
      t.submissions,
      submissions.flatMap(([, f]) => (f.before && f.after ? [f.after] : [])),
      submissions.flatMap(([, f]) => (!f.before && f.after ? [f.after] : [])),
    );
    for (const id of lostSubmissions) pending.add(id);
    for (const [id, f] of submissions) {
      if (lostSubmissions.includes(id)) continue;
      for (const r of [f.before, f.after])
        if (typeof r?.receiving_unit_code === "string") units.add(r.receiving_unit_code);
    }
  }
  if (options.live) await addToDaily(tx, t, dailyDelta(changes));
  return [...units];
}

/** A share of a row aliased `x` in SQL: the same rule `dailyParts` evaluates in code. */
function shareSql(share: Share): string {
  if (share.kind === "constant") return String(share.n);
  if (share.kind === "value") return `COALESCE(x.${share.column}, 0)`;
  return `((${toSql(share.when, (name) => `x.${name}`)}) IS TRUE)::int`;
}

const sharesSql = (shares: Record<SumColumn, Share>) => sumColumns.map((c) => shareSql(shares[c])).join(", ");

/**
 * The sums per attribution, unit, day, procedure, field and channel, from the dossier rows and the
 * step runs: received by the day of reception, finished by the day of the end, late steps by the
 * day the run ended for the unit that held it.
 */
function dailySelect(t: Tables): string {
  const branches = attributions.flatMap((a) => {
    const unit = `x.${unitColumn[a]}`;
    const row = (u: string, day: string, shares: Record<SumColumn, Share>) =>
      `'${a}', ${u}, ${day}, x.procedure_code, x.field, x.channel, ${sharesSql(shares)}`;
    return [
      `SELECT ${row(unit, "x.received_day", onlyShare("received"))} FROM ${t.dossiers} x
        WHERE x.received_at IS NOT NULL AND ${unit} IS NOT NULL`,
      `SELECT ${row(unit, "x.finished_day", finishedShares)} FROM ${t.dossiers} x
        WHERE x.received_at IS NOT NULL AND ${unit} IS NOT NULL AND x.finished_day IS NOT NULL`,
      `SELECT ${row("r.unit_code", "r.ended_day", onlyShare("late_steps"))}
         FROM ${t.runs} r JOIN ${t.dossiers} x ON x.dossier_id = r.dossier_id
        WHERE r.late AND r.ended_day IS NOT NULL AND x.received_at IS NOT NULL`,
    ];
  });
  return `SELECT attribution, unit_code, day, procedure_code, field, channel,
                 ${sumColumns.map((c) => `sum(${c})`).join(", ")}
            FROM (${branches.join("\n UNION ALL ")}) AS f(attribution, unit_code, day, procedure_code, field, channel,
                 ${sumColumns.join(", ")})
           GROUP BY 1, 2, 3, 4, 5, 6`;
}

const dailyColumns = `${dailyKey.join(", ")}, ${sumColumns.join(", ")}`;

/** The per-unit sums: the daily sums folded over procedures, with received split by channel. */
function unitDailySelect(t: Tables): string {
  const folded = sumColumns.filter((c) => c !== "received").map((c) => `sum(x.${c})`);
  const byChannel = (ch: string) => `COALESCE(sum(x.received) FILTER (WHERE x.channel = '${ch}'), 0)`;
  return `SELECT x.attribution, x.unit_code, x.day, ${receivedChannels.map(byChannel).join(", ")}, ${folded.join(", ")}
            FROM ${t.daily} x
           GROUP BY 1, 2, 3`;
}

const unitDailyColumns = `attribution, unit_code, day, ${unitDailySums.join(", ")}`;

/** Recomputes every daily sum from the rows (after a rebuild or a bulk load, or an upgrade of the tables). */
export async function recomputeAllDaily(tx: PoolClient, t: Tables): Promise<void> {
  await tx.query(`TRUNCATE ${t.daily}, ${t.unitDaily}`);
  await tx.query(`INSERT INTO ${t.daily} (${dailyColumns}) ${dailySelect(t)}`);
  await tx.query(`INSERT INTO ${t.unitDaily} (${unitDailyColumns}) ${unitDailySelect(t)}`);
}
