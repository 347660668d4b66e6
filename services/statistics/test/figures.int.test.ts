import { fileURLToPath } from "node:url";
import { migrate } from "@tthc/service-kit";
import { Random } from "@tthc/simulator";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay, type Period, periodRef, periodStart } from "../src/domain/period.js";
import { emptyCounts, type RawCounts } from "../src/domain/rates.js";
import { recomputeAllDaily, recomputeDaily } from "../src/store/dossiers.js";
import { countsBy, type GroupBy, listUnits } from "../src/store/figures.js";
import { liveTables } from "../src/store/tables.js";

/**
 * The SQL of the figures (sums per unit and day, dossiers in hand through the GiST index, the
 * units seen by an index skip) against the definitions of DOMAIN.md written out plainly over the
 * same rows, for many periods and instants. The rows include the awkward ones: facts exactly at
 * midnight, an end before the reception, dossiers without a reception, a unit at fault that did
 * not receive the dossier, and a unit code missing from the catalogue.
 */

interface Row {
  id: string;
  unit: string;
  procedure: string;
  channel: "direct" | "online" | "postal";
  receivedAt: Date | null;
  finishedAt: Date | null;
  endKind: "resolved" | "stopped" | null;
  stopReason: "withdrawn" | "stop-notice" | null;
  verdict: "early" | "on_time" | "late" | null;
  usedMinutes: number | null;
  dueAt: Date;
  slaDueAt: Date | null;
  dueSoonAt: Date | null;
  unitAtFault: string | null;
}

const UNITS = ["H44.01", "H44.02", "H44.03", "H44.04"];
const UNLISTED = "H44.99";
const HOUR = 3_600_000;
const base = Date.parse("2026-07-01T00:00:00+07:00");

function rows(n: number): Row[] {
  const random = new Random(766);
  const rnd = () => random.next();
  const pick = <T>(xs: readonly T[]): T => random.pick(xs);
  // Half the instants fall on a whole hour, so that many land exactly on a period's midnight.
  const instant = (from: number, spanHours: number) =>
    new Date(
      from + (rnd() < 0.5 ? Math.floor(rnd() * spanHours) * HOUR : Math.floor(rnd() * spanHours * HOUR)),
    );
  const out: Row[] = [];
  for (let i = 0; i < n; i++) {
    const receivedAt = rnd() < 0.03 ? null : instant(base, 92 * 24);
    const from = receivedAt?.getTime() ?? base;
    const finished = rnd() < 0.75;
    const skew = finished && rnd() < 0.02;
    const finishedAt = finished ? (skew ? new Date(from - HOUR) : instant(from, 20 * 24)) : null;
    const verdict = finished && rnd() < 0.9 ? pick(["early", "on_time", "late"] as const) : null;
    const endKind = finished ? (rnd() < 0.85 ? "resolved" : "stopped") : null;
    const unit = rnd() < 0.02 ? UNLISTED : pick(UNITS);
    const dueAt = instant(from, 15 * 24);
    out.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      unit,
      procedure: pick(["1.001", "1.002", "2.001"]),
      channel: pick(["direct", "online", "online", "online", "postal"] as const),
      receivedAt,
      finishedAt,
      endKind,
      stopReason: endKind === "stopped" ? pick(["withdrawn", "stop-notice"] as const) : null,
      verdict,
      usedMinutes: verdict ? Math.floor(rnd() * 5000) : null,
      dueAt,
      slaDueAt: rnd() < 0.5 ? instant(from, 15 * 24) : null,
      dueSoonAt: rnd() < 0.6 ? new Date(dueAt.getTime() - 24 * HOUR) : null,
      unitAtFault: verdict === "late" && rnd() < 0.8 ? pick(UNITS) : null,
    });
  }
  return out;
}

/** DOMAIN.md's counts over plain rows; `key` is the group a row counts in (null: not counted). */
function expected(all: Row[], period: Period, now: Date, by: GroupBy): Map<string, RawCounts> {
  const start = periodStart(period).getTime();
  const ref = periodRef(period, now).getTime();
  const inPeriod = (d: Date) => localDay(d) >= period.from && localDay(d) <= period.to;
  const inHand = (r: Row, t: number) =>
    r.receivedAt !== null &&
    r.receivedAt.getTime() < t &&
    (r.finishedAt === null || r.finishedAt.getTime() >= t);
  const out = new Map<string, RawCounts>();
  const of = (k: string) => {
    let c = out.get(k);
    if (!c) {
      c = emptyCounts();
      out.set(k, c);
    }
    return c;
  };
  const key = (r: Row) => (by === "all" ? "all" : by === "unit" ? r.unit : r.procedure);
  for (const r of all) {
    if (r.receivedAt === null) continue;
    if (inPeriod(r.receivedAt)) {
      const c = of(key(r));
      if (r.channel === "direct") c.receivedDirect++;
      else if (r.channel === "online") c.receivedOnline++;
      else c.receivedPostal++;
    }
    if (r.finishedAt && inPeriod(r.finishedAt)) {
      const c = of(key(r));
      c.finished++;
      if (r.endKind === "resolved") c.resolved++;
      if (r.endKind === "stopped") c.stopped++;
      if (r.stopReason === "withdrawn") c.withdrawn++;
      if (r.verdict === "early") c.early++;
      if (r.verdict === "on_time") c.onTime++;
      if (r.verdict === "late") c.late++;
      if (r.usedMinutes !== null) {
        c.usedMinutesSum += r.usedMinutes;
        c.usedCount++;
      }
      if (r.verdict === "late" && r.unitAtFault) of(by === "unit" ? r.unitAtFault : key(r)).lateAtFault++;
    }
    if (inHand(r, start)) of(key(r)).carriedOver++;
    if (inHand(r, ref)) {
      const c = of(key(r));
      const due = (r.slaDueAt ?? r.dueAt).getTime();
      if (due > ref) c.openWithin++;
      else c.openOverdue++;
      if (due > ref && r.dueSoonAt && r.dueSoonAt.getTime() <= ref) c.dueSoon++;
    }
  }
  return out;
}

const nonZero = (m: Map<string, RawCounts>) =>
  Object.fromEntries(
    [...m.entries()]
      .filter(([, c]) => Object.values(c).some((v) => v !== 0))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

let env: TestEnv;
const data = rows(4000);

async function insert(batch: Row[]): Promise<void> {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  await env.pool.query(
    `INSERT INTO stat_dossiers (dossier_id, unit_code, procedure_code, field, channel, received_at, received_day,
        end_at, end_kind, stop_reason, verdict, used_minutes, due_at, sla_due_at, due_soon_at, unit_at_fault_code,
        finished_at, finished_day)
     SELECT id, unit, procedure, 'field', channel, received_at, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
        finished_at, end_kind, stop_reason, verdict, used_minutes, due_at, sla_due_at, due_soon_at, unit_at_fault,
        finished_at, (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
       FROM json_to_recordset($1::json) AS r(id uuid, unit text, procedure text, channel text,
        received_at timestamptz, finished_at timestamptz, end_kind text, stop_reason text, verdict text,
        used_minutes int, due_at timestamptz, sla_due_at timestamptz, due_soon_at timestamptz, unit_at_fault text)`,
    [
      JSON.stringify(
        batch.map((r) => ({
          id: r.id,
          unit: r.unit,
          procedure: r.procedure,
          channel: r.channel,
          received_at: iso(r.receivedAt),
          finished_at: iso(r.finishedAt),
          end_kind: r.endKind,
          stop_reason: r.stopReason,
          verdict: r.verdict,
          used_minutes: r.usedMinutes,
          due_at: iso(r.dueAt),
          sla_due_at: iso(r.slaDueAt),
          due_soon_at: iso(r.dueSoonAt),
          unit_at_fault: r.unitAtFault,
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
     SELECT code, code, 'commune', NULL, true, 1 FROM unnest($1::text[]) AS code`,
    [UNITS],
  );
  await insert(data);
  const client = await env.pool.connect();
  try {
    await recomputeAllDaily(client, liveTables);
  } finally {
    client.release();
  }
});

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
const instants = ["2026-08-10T09:00:00+07:00", "2026-09-25T00:00:00+07:00", "2026-12-01T00:00:00+07:00"].map(
  (s) => new Date(s),
);

describe("the figures' SQL equals DOMAIN.md's definitions over the same dossiers", () => {
  for (const by of ["all", "unit", "procedure"] as const) {
    it(`grouped by ${by}, for every period and instant`, async () => {
      for (const period of periods) {
        for (const now of instants) {
          const got = nonZero(await countsBy(env.pool, { period, now, by }));
          expect(got, `${period.from}..${period.to} at ${now.toISOString()}`).toEqual(
            nonZero(expected(data, period, now, by)),
          );
        }
      }
    });
  }

  it("restricted to some units, with lateness counted for the unit at fault", async () => {
    const units = ["H44.01", "H44.03"];
    const period = periods[1] as Period;
    const now = instants[2] as Date;
    const got = nonZero(await countsBy(env.pool, { period, now, by: "unit", units }));
    const want = Object.fromEntries(
      Object.entries(nonZero(expected(data, period, now, "unit"))).filter(([k]) => units.includes(k)),
    );
    expect(got).toEqual(want);
  });

  it("lists the catalogue's units and the unit codes seen only in dossiers", async () => {
    expect((await listUnits(env.pool)).map((u) => [u.code, u.level])).toEqual([
      ...UNITS.map((c) => [c, "commune"]),
      [UNLISTED, "unknown"],
    ]);
  });

  it("recomputing some (unit, day) pairs after a change gives the sums a full recomputation gives", async () => {
    const sums = async () => ({
      daily: (await env.pool.query("SELECT * FROM stat_daily ORDER BY 1, 2, 3, 4, 5")).rows,
      unitDaily: (await env.pool.query("SELECT * FROM stat_unit_daily ORDER BY 1, 2")).rows,
    });
    const full = await sums();
    // Move a late dossier's fault to another unit and its end to another day, as events would.
    const moved = data.find((r) => r.verdict === "late" && r.unitAtFault && r.receivedAt && r.finishedAt);
    if (!moved?.finishedAt || !moved.unitAtFault)
      throw new Error("the generator made no late dossier at fault");
    const { rows: before } = await env.pool.query(
      "SELECT unit_code, unit_at_fault_code, finished_day::text FROM stat_dossiers WHERE dossier_id = $1",
      [moved.id],
    );
    const newFault = UNITS.find((u) => u !== moved.unitAtFault) as string;
    await env.pool.query(
      `UPDATE stat_dossiers SET unit_at_fault_code = $2, finished_at = finished_at + interval '3 days',
          end_at = end_at + interval '3 days',
          finished_day = ((finished_at + interval '3 days') AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
        WHERE dossier_id = $1`,
      [moved.id, newFault],
    );
    const { rows: after } = await env.pool.query(
      "SELECT unit_code, unit_at_fault_code, finished_day::text FROM stat_dossiers WHERE dossier_id = $1",
      [moved.id],
    );
    const keys: [string, string][] = [...before, ...after].flatMap((r) => [
      [r.unit_code, r.finished_day],
      [r.unit_at_fault_code, r.finished_day],
    ]);
    const client = await env.pool.connect();
    try {
      await recomputeDaily(client, liveTables, keys);
      const partial = await sums();
      await recomputeAllDaily(client, liveTables);
      expect(partial).toEqual(await sums());
      expect(partial).not.toEqual(full);
    } finally {
      client.release();
    }
  });
});
