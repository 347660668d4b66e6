import { fileURLToPath } from "node:url";
import { holds, type Period, periodEnd, periodRef, periodStart } from "@tthc/calendar";
import { acceptancePredicates as a, emptyCounts, dossierPredicates as p, type RawCounts } from "@tthc/rates";
import { migrate } from "@tthc/service-kit";
import { Random } from "@tthc/simulator";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Attribution, attributions } from "../src/domain/attribution.js";
import { dailyDelta, dailyParts } from "../src/domain/daily-sums.js";
import { type DossierFigure, dossierFigures, figurePredicate } from "../src/domain/dossier-figures.js";
import { listDossiers } from "../src/store/dossier-list.js";
import { addToDaily, recomputeAllDaily } from "../src/store/dossiers.js";
import { countsBy, type GroupBy, listUnits } from "../src/store/figures.js";
import { liveTables } from "../src/store/tables.js";

/**
 * The SQL of the figures (sums per attribution, unit and day; dossiers in hand through the GiST
 * index; the units seen by an index skip; the dossier lists) against the predicates of
 * `@tthc/rates` evaluated in code over the same rows, for many periods and instants. The rows
 * include the awkward ones: facts exactly at midnight, an end before the reception, dossiers
 * without a reception, paused dossiers with no due instant, a competent unit other than the
 * receiving one, late steps held by a third unit, and a unit code missing from the catalogue.
 */

interface Row {
  id: string;
  receiving: string;
  competent: string;
  procedure: string;
  channel: "direct" | "online" | "postal";
  receivedAt: Date | null;
  finishedAt: Date | null;
  endKind: "resolved" | "stopped" | null;
  stopReason: "withdrawn" | "stop-notice" | null;
  verdict: "early" | "on_time" | "late" | null;
  electronicResult: boolean | null;
  usedMinutes: number | null;
  dueAt: Date | null;
  dueSoonAt: Date | null;
}

interface RunRow {
  dossierId: string;
  runNo: number;
  unit: string;
  endedAt: Date | null;
  late: boolean;
}

interface Submission {
  id: string;
  unit: string;
  procedure: string;
  submittedAt: Date;
  decidedAt: Date | null;
  outcome: "accepted" | "refused" | "stopped" | null;
  verdict: "early" | "on_time" | "late" | null;
  dueAt: Date | null;
}

const UNITS = ["H44.01", "H44.02", "H44.03", "H44.04"];
const DEPARTMENTS = ["H44.07", "H44.08"];
const UNLISTED = "H44.99";
const HOUR = 3_600_000;
const base = Date.parse("2026-07-01T00:00:00+07:00");
const uuid = (prefix: string, i: number) => `${prefix}-0000-4000-8000-${String(i).padStart(12, "0")}`;

function generate(n: number) {
  const random = new Random(766);
  const rnd = () => random.next();
  const pick = <T>(xs: readonly T[]): T => random.pick(xs);
  // Half the instants fall on a whole hour, so that many land exactly on a period's midnight.
  const instant = (from: number, spanHours: number) =>
    new Date(
      from + (rnd() < 0.5 ? Math.floor(rnd() * spanHours) * HOUR : Math.floor(rnd() * spanHours * HOUR)),
    );
  const rows: Row[] = [];
  const runs: RunRow[] = [];
  for (let i = 0; i < n; i++) {
    const receivedAt = rnd() < 0.03 ? null : instant(base, 92 * 24);
    const from = receivedAt?.getTime() ?? base;
    const finished = rnd() < 0.75;
    const skew = finished && rnd() < 0.02;
    const finishedAt = finished ? (skew ? new Date(from - HOUR) : instant(from, 20 * 24)) : null;
    const verdict = finished && rnd() < 0.9 ? pick(["early", "on_time", "late"] as const) : null;
    const endKind = finished ? (rnd() < 0.85 ? "resolved" : "stopped") : null;
    const receiving = rnd() < 0.02 ? UNLISTED : pick(UNITS);
    const dueAt = rnd() < 0.1 ? null : instant(from, 15 * 24);
    const id = uuid("00000000", i);
    rows.push({
      id,
      receiving,
      competent: rnd() < 0.3 ? pick(DEPARTMENTS) : receiving,
      procedure: pick(["1.001", "1.002", "2.001"]),
      channel: pick(["direct", "online", "online", "online", "postal"] as const),
      receivedAt,
      finishedAt,
      endKind,
      stopReason: endKind === "stopped" ? pick(["withdrawn", "stop-notice"] as const) : null,
      verdict,
      electronicResult: endKind === "resolved" ? rnd() < 0.7 : null,
      usedMinutes: verdict ? Math.floor(rnd() * 5000) : null,
      dueAt,
      dueSoonAt: dueAt && rnd() < 0.6 ? new Date(dueAt.getTime() - 24 * HOUR) : null,
    });
    const runCount = Math.floor(rnd() * 4);
    for (let r = 1; r <= runCount; r++) {
      const endedAt = rnd() < 0.8 ? instant(from, 20 * 24) : null;
      runs.push({
        dossierId: id,
        runNo: r,
        unit: pick([...UNITS, ...DEPARTMENTS]),
        endedAt,
        late: endedAt !== null && rnd() < 0.4,
      });
    }
  }
  const submissions: Submission[] = [];
  for (let i = 0; i < n / 4; i++) {
    const submittedAt = instant(base, 92 * 24);
    const decided = rnd() < 0.7;
    const outcome = decided ? pick(["accepted", "accepted", "refused", "stopped"] as const) : null;
    submissions.push({
      id: uuid("11111111", i),
      unit: pick(UNITS),
      procedure: pick(["1.001", "2.001"]),
      submittedAt,
      decidedAt: decided ? instant(submittedAt.getTime(), 5 * 24) : null,
      outcome,
      verdict:
        outcome && outcome !== "stopped" && rnd() < 0.9 ? pick(["early", "on_time", "late"] as const) : null,
      dueAt: rnd() < 0.8 ? instant(submittedAt.getTime(), 3 * 24) : null,
    });
  }
  return { rows, runs, submissions };
}

const ms = (d: Date | null) => d?.getTime() ?? null;

/** The instants of a period judged at `now`, as the predicates read them. */
function instants(period: Period, now: Date) {
  return {
    start: periodStart(period).getTime(),
    end: periodEnd(period).getTime(),
    at: periodRef(period, now).getTime(),
  };
}

const dossierValues = (r: Row, at: ReturnType<typeof instants>) => ({
  ...at,
  receivedAt: ms(r.receivedAt),
  finishedAt: ms(r.finishedAt),
  dueAt: ms(r.dueAt),
  dueSoonAt: ms(r.dueSoonAt),
  verdict: r.verdict,
  endKind: r.endKind,
  stopReason: r.stopReason,
});

/** docs/domain.md's counts over plain rows, by the predicates of `@tthc/rates` evaluated in code. */
function expected(period: Period, now: Date, by: GroupBy, attribution: Attribution): Map<string, RawCounts> {
  const at = instants(period, now);
  const out = new Map<string, RawCounts>();
  const of = (k: string) => {
    let c = out.get(k);
    if (!c) {
      c = emptyCounts();
      out.set(k, c);
    }
    return c;
  };
  const unitOf = (r: Row) => (attribution === "competent" ? r.competent : r.receiving);
  const key = (r: Row) => (by === "all" ? "all" : by === "unit" ? unitOf(r) : r.procedure);
  const byId = new Map(data.rows.map((r) => [r.id, r]));
  for (const r of data.rows) {
    if (r.receivedAt === null) continue;
    const v = dossierValues(r, at);
    const c = () => of(key(r));
    if (holds(p.receivedIn, v)) {
      if (r.channel === "direct") c().receivedDirect++;
      else if (r.channel === "online") c().receivedOnline++;
      else c().receivedPostal++;
    }
    if (holds(p.finishedIn, v)) {
      const x = c();
      x.finished++;
      if (r.endKind === "stopped") x.stopped++;
      if (r.stopReason === "withdrawn") x.withdrawn++;
      if (holds(p.finishedWithVerdict("early"), v)) x.early++;
      if (holds(p.finishedWithVerdict("on_time"), v)) x.onTime++;
      if (holds(p.finishedWithVerdict("late"), v)) x.late++;
      if (r.usedMinutes !== null) {
        x.usedMinutesSum += r.usedMinutes;
        x.usedCount++;
      }
    }
    if (holds(p.resolvedIn, v)) {
      const x = c();
      x.resolved++;
      if (r.verdict === "early") x.resolvedEarly++;
      if (r.verdict === "on_time") x.resolvedOnTime++;
      if (r.verdict === "late") x.resolvedLate++;
      if (r.channel === "online" && r.electronicResult) x.resolvedOnlineElectronic++;
    }
    if (holds(p.carriedOver, v)) c().carriedOver++;
    if (holds(p.openWithin, v)) c().openWithin++;
    if (holds(p.openOverdue, v)) c().openOverdue++;
    if (holds(p.openDueSoon, v)) c().dueSoon++;
  }
  for (const run of data.runs) {
    const r = byId.get(run.dossierId) as Row;
    if (!run.late || r.receivedAt === null || run.endedAt === null) continue;
    const t = run.endedAt.getTime();
    if (t < at.start || t >= at.end) continue;
    of(by === "all" ? "all" : by === "unit" ? run.unit : r.procedure).lateSteps++;
  }
  for (const s of data.submissions) {
    const v = {
      ...at,
      submittedAt: ms(s.submittedAt),
      decidedAt: ms(s.decidedAt),
      outcome: s.outcome,
      verdict: s.verdict,
      dueAt: ms(s.dueAt),
    };
    const decided = holds(a.acceptanceDecidedIn, v);
    const waiting = holds(a.acceptanceWaiting, v);
    if (!decided && !waiting) continue;
    const x = of(by === "all" ? "all" : by === "unit" ? s.unit : s.procedure);
    if (decided) x.acceptanceDecided++;
    if (holds(a.acceptanceOnTime, v)) x.acceptanceOnTime++;
    if (waiting) x.acceptanceWaiting++;
    if (holds(a.acceptanceOverdue, v)) x.acceptanceOverdue++;
  }
  return out;
}

const nonZero = (m: Map<string, RawCounts>) =>
  Object.fromEntries(
    [...m.entries()]
      .filter(([, c]) => Object.values(c).some((v) => v !== 0))
      .sort(([x], [y]) => x.localeCompare(y)),
  );

let env: TestEnv;
const data = generate(4000);

async function load(): Promise<void> {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await env.pool.query(
    `INSERT INTO stat_dossiers (dossier_id, receiving_unit_code, competent_unit_code, procedure_code, field, channel,
        received_at, received_day, end_at, end_kind, stop_reason, verdict, electronic_result, used_minutes,
        receipt_due_at, due_at, due_soon_at, finished_at, finished_day, state)
     SELECT id, receiving, competent, procedure, 'field', channel, received_at,
        (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, finished_at, end_kind, stop_reason, verdict,
        electronic_result, used_minutes, due_at, due_at, due_soon_at, finished_at,
        (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, CASE WHEN finished_at IS NULL THEN 'processing' ELSE end_kind END
       FROM json_to_recordset($1::json) AS r(id uuid, receiving text, competent text, procedure text, channel text,
        received_at timestamptz, finished_at timestamptz, end_kind text, stop_reason text, verdict text,
        electronic_result boolean, used_minutes int, due_at timestamptz, due_soon_at timestamptz)`,
    [
      JSON.stringify(
        data.rows.map((r) => ({
          id: r.id,
          receiving: r.receiving,
          competent: r.competent,
          procedure: r.procedure,
          channel: r.channel,
          received_at: iso(r.receivedAt),
          finished_at: iso(r.finishedAt),
          end_kind: r.endKind,
          stop_reason: r.stopReason,
          verdict: r.verdict,
          electronic_result: r.electronicResult,
          used_minutes: r.usedMinutes,
          due_at: iso(r.dueAt),
          due_soon_at: iso(r.dueSoonAt),
        })),
      ),
    ],
  );
  await env.pool.query(
    `INSERT INTO stat_step_runs (dossier_id, run_no, step_id, unit_code, started_at, ended_at, ended_day, budget_minutes,
        late, over_minutes)
     SELECT dossier_id, run_no, 'step', unit, '2026-07-01T00:00:00+07:00', ended_at,
        (ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 450, late, 0
       FROM json_to_recordset($1::json) AS r(dossier_id uuid, run_no int, unit text, ended_at timestamptz, late boolean)`,
    [
      JSON.stringify(
        data.runs.map((r) => ({
          dossier_id: r.dossierId,
          run_no: r.runNo,
          unit: r.unit,
          ended_at: iso(r.endedAt),
          late: r.late,
        })),
      ),
    ],
  );
  await env.pool.query(
    `INSERT INTO stat_submissions (dossier_id, receiving_unit_code, procedure_code, submitted_at, decided_at, outcome,
        verdict, due_at)
     SELECT id, unit, procedure, submitted_at, decided_at, outcome, verdict, due_at
       FROM json_to_recordset($1::json) AS r(id uuid, unit text, procedure text, submitted_at timestamptz,
        decided_at timestamptz, outcome text, verdict text, due_at timestamptz)`,
    [
      JSON.stringify(
        data.submissions.map((s) => ({
          id: s.id,
          unit: s.unit,
          procedure: s.procedure,
          submitted_at: iso(s.submittedAt),
          decided_at: iso(s.decidedAt),
          outcome: s.outcome,
          verdict: s.verdict,
          due_at: iso(s.dueAt),
        })),
      ),
    ],
  );
}

beforeAll(async () => {
  env = await createTestEnv("statistics-figures");
  await migrate(env.pool, env.schema, fileURLToPath(new URL("../migrations", import.meta.url)));
  await env.pool.query(
    `INSERT INTO stat_units (code, name, level, parent_code, active, revision)
     SELECT code, code, level, NULL, true, 1 FROM unnest($1::text[], $2::text[]) AS u(code, level)`,
    [
      [...UNITS, ...DEPARTMENTS],
      [...UNITS.map(() => "commune"), ...DEPARTMENTS.map(() => "department")],
    ],
  );
  await load();
  const client = await env.pool.connect();
  try {
    await recomputeAllDaily(client, liveTables);
  } finally {
    client.release();
  }
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

const periods: Period[] = [
  { from: "2026-08-01", to: "2026-08-31" },
  { from: "2026-07-01", to: "2026-09-30" },
  { from: "2026-08-15", to: "2026-08-15" },
  { from: "2026-07-31", to: "2026-08-01" },
  { from: "2026-09-20", to: "2026-10-31" },
];
const instantsJudged = [
  "2026-08-10T09:00:00+07:00",
  "2026-09-25T00:00:00+07:00",
  "2026-12-01T00:00:00+07:00",
].map((s) => new Date(s));

describe("the figures' SQL equals the predicates of @tthc/rates over the same rows", () => {
  for (const attribution of attributions) {
    for (const by of ["all", "unit", "procedure"] as const) {
      it(`by ${attribution} unit, grouped by ${by}, for every period and instant`, async () => {
        for (const period of periods) {
          for (const now of instantsJudged) {
            const got = nonZero(await countsBy(env.pool, { period, now, by, attribution }));
            expect(got, `${period.from}..${period.to} at ${now.toISOString()}`).toEqual(
              nonZero(expected(period, now, by, attribution)),
            );
          }
        }
      });
    }
  }

  it("restricted to some units, with late steps counted for the unit that held the step", async () => {
    const units = ["H44.01", "H44.07"];
    const period = periods[1] as Period;
    const now = instantsJudged[2] as Date;
    const got = nonZero(
      await countsBy(env.pool, { period, now, by: "unit", attribution: "competent", units }),
    );
    const want = Object.fromEntries(
      Object.entries(nonZero(expected(period, now, "unit", "competent"))).filter(([k]) => units.includes(k)),
    );
    expect(got).toEqual(want);
    expect(got["H44.07"]?.lateSteps).toBeGreaterThan(0);
  });

  it("each list of dossiers holds exactly the dossiers its figure counts", async () => {
    const period = periods[0] as Period;
    const now = instantsJudged[1] as Date;
    const at = instants(period, now);
    for (const figure of dossierFigures.filter(
      (f): f is Exclude<DossierFigure, "late_steps"> => f !== "late_steps",
    )) {
      const got = await listDossiers(env.pool, {
        period,
        now,
        figure,
        attribution: "receiving",
        units: ["H44.02"],
        limit: 10_000,
        offset: 0,
      });
      const want = data.rows
        .filter((r) => r.receivedAt !== null && r.receiving === "H44.02")
        .filter((r) => holds(figurePredicate[figure], dossierValues(r, at)))
        .map((r) => r.id)
        .sort();
      expect(got.map((d) => d.dossierId).sort(), figure).toEqual(want);
    }
    const counts = (await countsBy(env.pool, { period, now, by: "unit", attribution: "receiving" })).get(
      "H44.02",
    );
    const lists = async (figure: DossierFigure) =>
      (
        await listDossiers(env.pool, {
          period,
          now,
          figure,
          attribution: "receiving",
          units: ["H44.02"],
          limit: 10_000,
          offset: 0,
        })
      ).length;
    expect(await lists("handled")).toBe(
      (counts?.receivedDirect ?? 0) +
        (counts?.receivedOnline ?? 0) +
        (counts?.receivedPostal ?? 0) +
        (counts?.carriedOver ?? 0),
    );
    expect(await lists("overdue")).toBe(counts?.openOverdue);
  });

  it("lists the catalogue's units and the unit codes seen only in dossiers", async () => {
    expect((await listUnits(env.pool)).map((u) => [u.code, u.level])).toEqual([
      ...UNITS.map((c) => [c, "commune"]),
      ...DEPARTMENTS.map((c) => [c, "department"]),
      [UNLISTED, "unknown"],
    ]);
  });

  it("adding the change in a dossier's part gives the sums a full recomputation gives", async () => {
    const sums = async () => ({
      daily: (
        await env.pool.query(
          "SELECT * FROM stat_daily ORDER BY attribution, unit_code, day, procedure_code, field, channel",
        )
      ).rows,
      unitDaily: (await env.pool.query("SELECT * FROM stat_unit_daily ORDER BY attribution, unit_code, day"))
        .rows,
    });
    const full = await sums();
    // Move a dossier to another competent unit and its end to another day, and a late step to
    // another unit, as events would.
    const moved = data.rows.find((r) => r.receivedAt && r.finishedAt && r.competent !== r.receiving) as Row;
    const run = data.runs.find((r) => r.late && r.dossierId !== moved.id) as RunRow;
    const partsOf = async (id: string) => {
      const { rows } = await env.pool.query(
        "SELECT to_jsonb(d) AS row FROM stat_dossiers d WHERE dossier_id = $1",
        [id],
      );
      const { rows: runs } = await env.pool.query(
        `SELECT unit_code, to_char(ended_day, 'YYYY-MM-DD') AS ended_day FROM stat_step_runs
          WHERE dossier_id = $1 AND late AND ended_day IS NOT NULL`,
        [id],
      );
      return dailyParts(rows[0].row, runs);
    };
    const before = [await partsOf(moved.id), await partsOf(run.dossierId)];
    await env.pool.query(
      `UPDATE stat_dossiers SET competent_unit_code = $2, finished_at = finished_at + interval '3 days',
          end_at = end_at + interval '3 days',
          finished_day = ((finished_at + interval '3 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        WHERE dossier_id = $1`,
      [moved.id, DEPARTMENTS.find((d) => d !== moved.competent)],
    );
    await env.pool.query(
      `UPDATE stat_step_runs SET unit_code = $3, ended_at = ended_at + interval '2 days',
          ended_day = ((ended_at + interval '2 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        WHERE dossier_id = $1 AND run_no = $2`,
      [run.dossierId, run.runNo, UNITS.find((u) => u !== run.unit)],
    );
    const after = [await partsOf(moved.id), await partsOf(run.dossierId)];
    const client = await env.pool.connect();
    try {
      await addToDaily(
        client,
        liveTables,
        dailyDelta(before.map((b, i) => ({ before: b, after: after[i] ?? [] }))),
      );
      const partial = await sums();
      await recomputeAllDaily(client, liveTables);
      expect(partial).toEqual(await sums());
      expect(partial).not.toEqual(full);
    } finally {
      client.release();
    }
  });
});
