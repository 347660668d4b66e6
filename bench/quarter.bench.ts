/**
 * A province's quarter through the whole system, then the statistics rebuilt from the topics and
 * compared with the simulator's own counts, unit by unit (docs/decisions.md, "A quarter of the
 * province as a benchmark").
 *
 * The quarter is shaped like Phú Thọ's published figures for the third quarter of 2025 (148
 * communes and wards and the province's departments): 253,982 dossiers received, 92.06% online,
 * 238,971 resolved (94.09%), 98.6% of the resolved early or on time. A fraction of it is acted out
 * (BENCH_QUARTER_SCALE, default 100: a hundredth, or `1/100`) on the quarter's real calendar
 * (1 July to 30 September 2025, the 2 September holidays), after BENCH_QUARTER_WARMUP_DAYS (14) of
 * June so that the quarter starts with dossiers carried over, as the province's did. A sandbox of
 * its own (its broker, PostgreSQL and Redis, the four services as processes) runs on one stepped
 * clock (a file that every service reads, `CLOCK_FILE`): the driver puts it at the next planned
 * instant, acts, waits for the answers, and moves on, so that every action is stamped with its
 * planned instant and the verdicts have the plan's shape, however long a request takes.
 *
 * Then: the statistics' rebuild from the topics (POST /v1/stats/rebuild), timed beside a plain
 * read of the same records, and every unit's figures for the quarter, live and rebuilt, by
 * receiving centre and by competent unit, against `countsIn` of what the driver saw. Any
 * difference fails the run and lists the first ones.
 */

import { join } from "node:path";
import { outboxPending } from "@tthc/bus";
import { FileClockWriter } from "@tthc/service-kit";
import {
  addDays,
  countsIn,
  type DriveReport,
  fitPlan,
  loadProvince,
  type PeriodCounts,
  ProvinceDriver,
  planPeriod,
} from "@tthc/simulator";
import { type BenchResult, runIfMain, tokenFor } from "@tthc/testkit";
import { RUN } from "../infra/stack/paths.js";
import { Sandbox } from "../infra/stack/sandbox.js";
import { isoLocal } from "../infra/stack/shared-clock.js";

/** Phú Thọ, third quarter of 2025 (docs/domain.md, "Figures"). */
const PUBLISHED = {
  received: 253_982,
  online: 0.9206,
  resolved: 238_971,
  onTimeOfResolved: 0.986,
} as const;
/** The topics of the system, all three read by the statistics' rebuild. */
const TOPICS = ["catalog", "dossier.events", "sla.events"];
const QUARTER = { first: "2025-07-01", last: "2025-09-30", days: 92 } as const;

/** `50`, `1/50` or `0.02`: the fraction of the quarter acted out, as its denominator. */
export function scaleOf(value: string | undefined): number {
  const v = (value ?? "").trim();
  const m = /^1\s*\/\s*(\d+(?:\.\d+)?)$/.exec(v);
  const n = m ? Number(m[1]) : Number(v);
  const denominator = n > 0 && n < 1 ? 1 / n : n;
  if (!(denominator >= 1) || !Number.isFinite(denominator))
    throw new RangeError(`BENCH_QUARTER_SCALE: a denominator (50), 1/50 or 0.02, not ${value}`);
  return denominator;
}

const env = process.env;
const SCALE = scaleOf(env.BENCH_QUARTER_SCALE ?? "100");
const WARMUP_DAYS = Number(env.BENCH_QUARTER_WARMUP_DAYS ?? 14);
const CONCURRENCY = Number(env.BENCH_QUARTER_CONCURRENCY ?? 16);
const SEED = Number(env.BENCH_QUARTER_SEED ?? 20250701);

const admin = tokenFor("H44", "admin");
const local = (date: string) => Date.parse(`${date}T00:00:00+07:00`);
const pct = (n: number, d: number) => (d === 0 ? Number.NaN : (100 * n) / d);
const say = (line: string) => process.stderr.write(`  [quarter] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field
async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { ...init, headers: { ...admin, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Every outbox sent and every consumer at the end of its topics, twice in a row. */
async function quiet(sandbox: Sandbox): Promise<void> {
  const groups: [string, string[]][] = [
    ["processing-dossiers", ["dossier.events", "sla.events"]],
    ["deadline-monitor", ["dossier.events"]],
    ["statistics-g1", ["catalog", "dossier.events", "sla.events"]],
    ["intake-dossier-status", ["dossier.events", "sla.events"]],
  ];
  const admin = sandbox.admin();
  const sql = await sandbox.sql();
  try {
    const settled = async () => {
      for (const schema of ["intake", "processing", "monitor", "statistics"])
        if ((await outboxPending(sql, schema)) !== 0) return false;
      for (const [group, topics] of groups)
        for (const topic of topics)
          if ((await admin.groupLag(group, topic)).some((p) => p.lag > 0)) return false;
      return true;
    };
    const deadline = Date.now() + 600_000;
    for (;;) {
      if ((await settled()) && (await settled())) return;
      if (Date.now() > deadline) throw new Error("the services did not catch up within 10 minutes");
      await sleep(500);
    }
  } finally {
    await sql.end();
  }
}

/** The statistics' figures of every unit over the quarter. */
async function statisticsUnits(url: string, attribution: "receiving" | "competent") {
  const res = await getJson(
    `${url}/v1/stats/units?from=${QUARTER.first}&to=${QUARTER.last}&attribution=${attribution}`,
  );
  if (res.status !== 200) throw new Error(`GET /v1/stats/units answered ${res.status}`);
  return new Map<string, Record<string, number>>(
    (res.body.units as { unitCode: string; figures: Record<string, number> }[]).map((u) => [
      u.unitCode,
      u.figures,
    ]),
  );
}

const COMPARED: (keyof PeriodCounts)[] = [
  "receivedDirect",
  "receivedOnline",
  "receivedPostal",
  "carriedOver",
  "finished",
  "resolved",
  "stopped",
  "withdrawn",
  "resolvedOnlineElectronic",
  "open",
];
const VERDICTS: (keyof PeriodCounts)[] = ["resolvedEarly", "resolvedOnTime", "resolvedLate"];

/** Every unit's figures against the driver's counts; the differences, and the units compared. */
function differences(
  want: Record<string, PeriodCounts>,
  got: Map<string, Record<string, number>>,
  label: string,
): { differ: string[]; units: number; verdictsUnknown: number } {
  const differ: string[] = [];
  let verdictsUnknown = 0;
  for (const [unit, counts] of Object.entries(want)) {
    const f = got.get(unit);
    if (!f) {
      differ.push(`${label} ${unit}: not in the statistics`);
      continue;
    }
    const keys = counts.resolvedVerdictUnknown === 0 ? [...COMPARED, ...VERDICTS] : COMPARED;
    verdictsUnknown += counts.resolvedVerdictUnknown;
    for (const k of keys)
      if ((f[k] ?? 0) !== counts[k])
        differ.push(`${label} ${unit} ${k}: statistics ${f[k]} ≠ simulator ${counts[k]}`);
  }
  for (const [unit, f] of got) {
    const any = COMPARED.reduce((s, k) => s + (f[k] ?? 0), 0);
    if (any > 0 && !want[unit]) differ.push(`${label} ${unit}: counted by the statistics only`);
  }
  return { differ, units: Object.keys(want).length, verdictsUnknown };
}

function totals(units: Record<string, PeriodCounts>): PeriodCounts {
  const sum = {} as PeriodCounts;
  for (const c of Object.values(units))
    for (const [k, v] of Object.entries(c) as [keyof PeriodCounts, number][]) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/** Both attributions compared; the units with dossiers by receiving centre and by competent unit. */
async function compare(sandbox: Sandbox, report: DriveReport, when: string): Promise<string> {
  const period = { start: local(QUARTER.first), end: local(addDays(QUARTER.last, 1)) };
  const differ: string[] = [];
  const units: number[] = [];
  for (const by of ["receiving", "competent"] as const) {
    const d = differences(
      countsIn(report, period, by),
      await statisticsUnits(sandbox.url("statistics"), by),
      `${when}, by ${by} unit:`,
    );
    differ.push(...d.differ);
    units.push(d.units);
    if (d.verdictsUnknown > 0)
      say(`${when}, by ${by}: ${d.verdictsUnknown} decisions without a due instant shown`);
  }
  if (differ.length > 0)
    throw new Error(
      `the statistics ${when} differ from the simulator's counts in ${differ.length} figures; the first:\n${differ.slice(0, 20).join("\n")}`,
    );
  return `${units[0]} receiving centres and ${units[1]} competent units`;
}

export default async function run(): Promise<BenchResult[]> {
  const province = loadProvince();
  const publishedResolvedShare = PUBLISHED.resolved / PUBLISHED.received;
  const fit = fitPlan(province, {
    firstDate: QUARTER.first,
    days: QUARTER.days,
    targets: {
      received: PUBLISHED.received / SCALE,
      onlineShare: PUBLISHED.online,
      resolvedShare: publishedResolvedShare,
      onTimeShare: PUBLISHED.onTimeOfResolved,
    },
  });
  const firstDate = addDays(QUARTER.first, -WARMUP_DAYS);
  const scripts = planPeriod(province, {
    seed: SEED,
    firstDate,
    days: WARMUP_DAYS + QUARTER.days,
    dossiersPerDay: fit.dossiersPerDay,
    shares: fit.shares,
  });
  const startMs = local(firstDate);
  const endMs = local(addDays(QUARTER.last, 1));
  const scale = `scale 1/${SCALE}`;
  say(`${scripts.length} dossiers planned from ${firstDate} (${scale}, ${fit.dossiersPerDay} a working day)`);

  const sandbox = new Sandbox();
  try {
    await sandbox.start();
    const clock = new FileClockWriter(join(RUN, "quarter-clock"), startMs);
    sandbox.serviceExtraEnv.CLOCK_FILE = clock.path;
    await sandbox.startServices();

    let last = 0;
    const driveStarted = performance.now();
    const driver = new ProvinceDriver({
      intakeUrl: sandbox.url("intake"),
      processingUrl: sandbox.url("processing"),
      concurrency: CONCURRENCY,
      runId: `quarter-${Date.now().toString(36)}`,
      clock,
      until: endMs,
      onProgress: (done, total) => {
        if (done - last >= total / 10 || done === total) {
          last = done;
          say(`${done} of ${total} stories over; the clock reads ${isoLocal(clock.nowMs())}`);
        }
      },
    });
    const report = await driver.run(scripts);
    const driveSeconds = (performance.now() - driveStarted) / 1000;
    // The quarter is over: what is still open is judged at its end.
    clock.set(Math.max(endMs, clock.nowMs()));
    if (report.failures.length)
      throw new Error(
        `${report.failures.length} requests failed; the first: ${JSON.stringify(report.failures.slice(0, 3))}`,
      );
    const skipped = report.dossiers.filter((d) => d.state === "skipped").length;
    if (skipped > 0) throw new Error(`${skipped} dossiers arrived before the driver started`);
    const receptions = report.dossiers.filter((d) => d.receivedAt !== null).length;
    const requests = report.dossiers.reduce((n, d) => n + d.actions.length, 0);
    say(`acted out in ${driveSeconds.toFixed(0)} s: ${receptions} receptions, ${requests} requests`);

    await quiet(sandbox);
    const liveUnits = await compare(sandbox, report, "live");

    // Records in the topics, and a plain read of the ones the rebuild reads: its baseline.
    const topicAdmin = sandbox.admin();
    const records: Record<string, number> = {};
    for (const t of TOPICS) records[t] = await topicAdmin.endOffsetsSum(t);
    const recordsTotal = Object.values(records).reduce((s, n) => s + n, 0);
    const readStarted = performance.now();
    let read = 0;
    for (const t of TOPICS) read += (await sandbox.readTopic(t, 600_000)).length;
    const readSeconds = (performance.now() - readStarted) / 1000;

    const started = performance.now();
    const kick = await getJson(`${sandbox.url("statistics")}/v1/stats/rebuild`, { method: "POST" });
    if (kick.status !== 202) throw new Error(`POST /v1/stats/rebuild answered ${kick.status}`);
    let status: {
      state: string;
      total: number;
      done: number;
      recordsPerSecond: number | null;
      error: string | null;
    };
    for (;;) {
      await sleep(250);
      status = (await getJson(`${sandbox.url("statistics")}/v1/stats/rebuild`)).body;
      if (status.state === "done" || status.state === "failed") break;
      if (performance.now() - started > 3_600_000) throw new Error("the rebuild took more than an hour");
    }
    const rebuildSeconds = (performance.now() - started) / 1000;
    if (status.state !== "done") throw new Error(`the rebuild failed: ${status.error}`);
    say(`rebuilt ${status.total} records in ${rebuildSeconds.toFixed(1)} s`);
    const rebuiltUnits = await compare(sandbox, report, "after the rebuild");

    // How far behind its planned instant each decision was stamped, in simulated minutes: none on a
    // stepped clock, which does not move while a request waits for its turn and its answer.
    const lags = report.dossiers
      .flatMap((d) => {
        const planned = d.actions.find((a) => a.do === "resolve")?.plannedAt;
        return planned && d.resolvedAtShown
          ? [(Date.parse(d.resolvedAtShown) - Date.parse(planned)) / 60_000]
          : [];
      })
      .sort((a, b) => a - b);
    const lagAt = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? Number.NaN;
    const inQuarter = scripts.filter((s) => s.arrivesAt >= QUARTER.first && s.fate.startsWith("resolved"));
    const plannedOnTime = pct(inQuarter.filter((s) => s.verdict !== "late").length, inQuarter.length);

    const q = totals(
      countsIn(report, { start: local(QUARTER.first), end: local(addDays(QUARTER.last, 1)) }, "receiving"),
    );
    const receivedQ = q.receivedDirect + q.receivedOnline + q.receivedPostal;
    const rate = status.total / rebuildSeconds;
    const perDossier = status.total / receptions;
    const wholeRecords = perDossier * PUBLISHED.received;
    const machine =
      "one broker, PostgreSQL and Redis of the sandbox and the four services on the same 2-core machine";
    const compared = `every figure of ${rebuiltUnits} equal to the simulator's counts, live and after the rebuild`;
    if (liveUnits !== rebuiltUnits) throw new Error(`live: ${liveUnits}; rebuilt: ${rebuiltUnits}`);
    return [
      {
        name: `quarter: dossiers received in the quarter through the APIs (${scale})`,
        value: receivedQ,
        unit: "dossiers",
        baseline: {
          name: `the published quarter × 1/${SCALE}`,
          value: PUBLISHED.received / SCALE,
          unit: "dossiers",
        },
        ratio: receivedQ / (PUBLISHED.received / SCALE),
        notes: `${scripts.length} planned from ${firstDate} (${WARMUP_DAYS} days of June first, ${receptions} received in all), ${requests} requests, each dossier's whole story through intake and processing; ${compared}`,
      },
      {
        name: `quarter: receptions/s while acting the period out (${scale})`,
        value: receptions / driveSeconds,
        unit: "receptions/s",
        notes: `${driveSeconds.toFixed(0)} s for ${WARMUP_DAYS + QUARTER.days} days on the stepped clock (each step waits for its answers), up to ${CONCURRENCY} requests in flight; ${(requests / driveSeconds).toFixed(0)} requests/s; ${machine}`,
      },
      {
        name: `quarter: statistics rebuild from the topics (${scale})`,
        value: rate,
        unit: "records/s",
        baseline: {
          name: "a plain consumer reading and parsing the same records",
          value: read / readSeconds,
          unit: "records/s",
        },
        ratio: rate / (read / readSeconds),
        notes: `${status.total} records of catalog, dossier.events and sla.events into fresh tables, swapped live; timed from the POST to the status "done" (the service's own rate: ${Math.round(status.recordsPerSecond ?? Number.NaN)} records/s)`,
      },
      {
        name: `quarter: statistics rebuild duration (${scale})`,
        value: rebuildSeconds,
        unit: "s",
        notes: `${status.total} records; ${(status.total / receptions).toFixed(1)} records per received dossier`,
      },
      {
        name: `quarter: records in the topics (${scale})`,
        value: recordsTotal,
        unit: "records",
        notes: Object.entries(records)
          .filter(([, n]) => n > 0)
          .map(([t, n]) => `${t} ${n}`)
          .join(", "),
      },
      {
        name: "quarter: the whole quarter's rebuild, extrapolated",
        value: wholeRecords / rate / 60,
        unit: "min",
        notes: `${Math.round(wholeRecords).toLocaleString("en-US")} records (${perDossier.toFixed(1)} per received dossier × ${PUBLISHED.received.toLocaleString("en-US")}) at the rate measured at ${scale}`,
      },
      {
        name: `quarter: online share of the received (${scale})`,
        value: pct(q.receivedOnline, receivedQ),
        unit: "%",
        baseline: { name: "published", value: 100 * PUBLISHED.online, unit: "%" },
        ratio: pct(q.receivedOnline, receivedQ) / (100 * PUBLISHED.online),
        notes: `${q.receivedOnline} of ${receivedQ} (published: 92.06% of 253,982)`,
      },
      {
        name: `quarter: resolved in the quarter / received in it (${scale})`,
        value: pct(q.resolved, receivedQ),
        unit: "%",
        baseline: { name: "published", value: 100 * publishedResolvedShare, unit: "%" },
        ratio: pct(q.resolved, receivedQ) / (100 * publishedResolvedShare),
        notes: `${q.resolved} resolved (${q.carriedOver} carried over from June), ${q.stopped} stopped or withdrawn, ${q.open} open at the end (published: 238,971 of 253,982)`,
      },
      {
        name: `quarter: resolved early or on time / resolved (${scale})`,
        value: pct(q.resolvedEarly + q.resolvedOnTime, q.resolved - q.resolvedVerdictUnknown),
        unit: "%",
        baseline: { name: "published", value: 100 * PUBLISHED.onTimeOfResolved, unit: "%" },
        ratio:
          pct(q.resolvedEarly + q.resolvedOnTime, q.resolved - q.resolvedVerdictUnknown) /
          (100 * PUBLISHED.onTimeOfResolved),
        notes: `${q.resolvedEarly} early, ${q.resolvedOnTime} on time, ${q.resolvedLate} late, by the statistics' verdicts; the plan placed ${plannedOnTime.toFixed(2)}% of its decisions early or on time`,
      },
      {
        name: `quarter: decisions stamped after their planned instant, p50 (${scale})`,
        value: lagAt(0.5),
        unit: "simulated min",
        notes: `p90 ${lagAt(0.9).toFixed(0)}, p99 ${lagAt(0.99).toFixed(0)} simulated minutes over ${lags.length} decisions: the stepped clock stamps each action at its planned instant, on the driver's one-minute grain`,
      },
    ];
  } finally {
    await sandbox.stop();
  }
}

runIfMain(import.meta.url, run);
