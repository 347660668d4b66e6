/**
 * The whole system in a sandbox of its own (its own broker, PostgreSQL with its durable settings,
 * Redis, the four services as processes; see test/faults/README.md), in three parts:
 *
 * 1. PostgreSQL's single-row durable commit rate (pgbench), the limit a reception's own commit meets.
 * 2. Dossiers acted out through the APIs with their whole lifecycle by the simulator, on a clock
 *    that gets through yesterday in seconds (BENCH_SYSTEM_DOSSIERS, default 600, 8 in flight).
 * 3. Receptions at a steady rate (BENCH_SYSTEM_RATE, default 250/s, for BENCH_SYSTEM_SECONDS,
 *    default 60): the rate sustained, the reception's latency from its due instant (p50/p99), the
 *    lag from the answer to the dossier's row in processing and in statistics (p50/p99, watched
 *    every 20 ms), and the CPU per reception summed over every process of the sandbox (the four
 *    services, the broker, PostgreSQL's backends, Redis), from the first request until statistics
 *    has every dossier.
 *
 * Then each service's memory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { shiftedClock } from "@tthc/service-kit";
import { addDays, loadProvince, ProvinceDriver, planPeriod } from "@tthc/simulator";
import { type BenchResult, runIfMain, tokenFor } from "@tthc/testkit";
import type pg from "pg";
import { Sandbox, type ServiceName } from "../infra/stack/sandbox.js";
import { catchingUpClock, caughtUpAt } from "../infra/stack/shared-clock.js";
import { cpuBetween, cpuSeconds } from "./cpu.js";
import { pacedLoad } from "./paced-load.js";

const DOSSIERS = Number(process.env.BENCH_SYSTEM_DOSSIERS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_SYSTEM_CONCURRENCY ?? 8);
const RATE = Number(process.env.BENCH_SYSTEM_RATE ?? 250);
const SECONDS = Number(process.env.BENCH_SYSTEM_SECONDS ?? 60);
const MACHINE =
  "one broker, PostgreSQL (fsync on) and Redis on the same 2-core machine as the services and the load";

function memoryMiB(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: Number.NaN, peak: Number.NaN };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * Watches a table for the rows of answered receptions: the lag of each is the time from its answer
 * to the first poll that sees its row (so at most one poll interval late).
 */
class ArrivalWatch {
  private readonly waiting = new Map<string, number>();
  readonly lags: number[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly sql: pg.Client,
    private readonly table: string,
    private readonly column: string,
  ) {
    this.done = this.loop();
  }

  answered(id: string, at: number): void {
    this.waiting.set(id, at);
  }

  /** Rows not seen yet; throws what made the watch fail. */
  get outstanding(): number {
    if (this.failure) throw this.failure;
    return this.waiting.size;
  }

  private failure: Error | undefined;

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.waiting.size > 0)
        await this.poll().catch((err: Error) => {
          this.failure = new Error(`watching ${this.table}: ${err.message}`);
          this.stopped = true;
        });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async poll(): Promise<void> {
    {
      const { rows } = await this.sql.query<{ id: string }>(
        `SELECT ${this.column}::text AS id FROM ${this.table} WHERE ${this.column} = ANY($1::uuid[])`,
        [[...this.waiting.keys()]],
      );
      const now = performance.now();
      for (const { id } of rows) {
        this.lags.push(Math.max(0, now - this.waiting.get(id)!));
        this.waiting.delete(id);
      }
    }
  }

  async stop(): Promise<number[]> {
    this.stopped = true;
    await this.done;
    return [...this.lags].sort((a, b) => a - b);
  }
}

/** pgbench: one-row INSERT transactions from 16 clients for 10 s; the commit rate it reports. */
async function durableCommitRate(sandbox: Sandbox): Promise<number> {
  const sql = await sandbox.sql();
  try {
    await sql.query(
      "CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())",
    );
  } finally {
    await sql.end();
  }
  const script = join(mkdtempSync(join(tmpdir(), "tthc-pgbench-")), "commit.sql");
  writeFileSync(script, "INSERT INTO bench_commit DEFAULT VALUES;\n");
  const out = await sandbox.pgbench(["-n", "-c", "16", "-j", "2", "-T", "10", "-f", script]);
  const tps = /tps = ([\d.]+)/.exec(out)?.[1];
  if (!tps) throw new Error(`pgbench printed no rate:\n${out}`);
  return Number(tps);
}

const UNITS = ["H44.101", "H44.102", "H44.103", "H44.104", "H44.105", "H44.106", "H44.107", "H44.109"];

/** Part 3: receptions at a steady rate, with their lags, CPU and latency. */
async function steadyReceptions(sandbox: Sandbox, commitRate: number): Promise<BenchResult[]> {
  const watchSql = [await sandbox.sql(), await sandbox.sql()];
  const toProcessing = new ArrivalWatch(watchSql[0]!, "processing.dossiers", "id");
  const toStatistics = new ArrivalWatch(watchSql[1]!, "statistics.stat_dossiers", "dossier_id");
  const tokens = UNITS.map((u) => tokenFor(u, "reception").authorization);
  const run = `${Date.now() % 1_000_000_000}`.padStart(9, "0");
  try {
    // What the stack burns doing nothing (polls, heartbeats, timers), beside what the load adds.
    const idleFrom = cpuSeconds(sandbox.processes());
    const idleStarted = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const idleSeconds = (performance.now() - idleStarted) / 1000;
    const idle = [...cpuBetween(idleFrom, cpuSeconds(sandbox.processes())).values()].reduce(
      (a, b) => a + b,
      0,
    );
    const cpuBefore = cpuSeconds(sandbox.processes());
    const started = performance.now();
    const load = await pacedLoad({
      url: `${sandbox.url("intake")}/v1/dossiers`,
      ratePerSecond: RATE,
      seconds: SECONDS,
      sockets: 64,
      expectStatus: 201,
      headers: (i) => ({ authorization: tokens[i % UNITS.length]! }),
      body: (i) => ({
        channel: "direct",
        procedureCode: "1.004873",
        receivingUnitCode: UNITS[i % UNITS.length],
        applicant: {
          name: "Nguyễn Văn An",
          identityNumber: `${run.slice(-7)}${String(i).padStart(5, "0")}`,
          address: "Phú Thọ",
        },
        documents: [{ name: "Tờ khai", copies: 1 }],
      }),
      onAnswer: (_i, body, at) => {
        const id = (JSON.parse(body) as { dossierId: string }).dossierId;
        toProcessing.answered(id, at);
        toStatistics.answered(id, at);
      },
    });
    const deadline = performance.now() + 120_000;
    while ((toProcessing.outstanding > 0 || toStatistics.outstanding > 0) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const used = cpuBetween(cpuBefore, cpuSeconds(sandbox.processes()));
    const window = (performance.now() - started) / 1000;
    const cpuTotal = [...used.values()].reduce((a, b) => a + b, 0);
    const perReception = (1000 * cpuTotal) / Math.max(1, load.completed);
    const lagP = await toProcessing.stop();
    const lagS = await toStatistics.stop();
    const breakdown = [...used]
      .map(([name, s]) => `${name} ${((1000 * s) / Math.max(1, load.completed)).toFixed(2)}`)
      .join(", ");
    const notes = `${load.completed} of ${load.sent} receptions answered 201 (POST /v1/dossiers, counter channel, 8 units), paced at ${RATE}/s for ${SECONDS} s, at most 64 on the wire; ${MACHINE}`;
    if (lagS.length < load.completed)
      throw new Error(`${load.completed - lagS.length} receptions never reached statistics within 120 s`);
    return [
      {
        name: `system: receptions sustained at a paced ${RATE}/s`,
        value: load.perSecond,
        unit: "receptions/s",
        baseline: {
          name: "PostgreSQL single-row durable commits (pgbench, 16 clients)",
          value: commitRate,
          unit: "commits/s",
        },
        ratio: load.perSecond / commitRate,
        notes: `${notes}; ${load.seconds.toFixed(1)} s from the first due instant to the last answer`,
      },
      {
        name: "system: CPU per reception, summed over every process",
        value: perReception,
        unit: "ms",
        baseline: {
          name: "the idle stack's CPU over the same window (10 s sampled before the load)",
          value: (1000 * (idle / idleSeconds) * window) / Math.max(1, load.completed),
          unit: "ms per reception",
        },
        notes: `${cpuTotal.toFixed(1)} CPU s over ${window.toFixed(1)} s (${((100 * cpuTotal) / window / 2).toFixed(0)}% of the two cores), from the first request until statistics had every dossier; per process, ms per reception: ${breakdown}; the load generator and the watchers are not counted`,
      },
      { name: "system: reception latency p50 (from its due instant)", value: load.p50Ms, unit: "ms" },
      {
        name: "system: reception latency p99 (from its due instant)",
        value: load.p99Ms,
        unit: "ms",
        notes: `max ${load.maxMs.toFixed(0)} ms`,
      },
      {
        name: "system: reception → statistics lag p50",
        value: quantile(lagS, 0.5),
        unit: "ms",
        baseline: { name: "reception → processing p50", value: quantile(lagP, 0.5), unit: "ms" },
        ratio: quantile(lagS, 0.5) / quantile(lagP, 0.5),
        notes: `from the answer to the first 20 ms poll that sees the dossier's row; ${lagS.length} dossiers`,
      },
      {
        name: "system: reception → statistics lag p99",
        value: quantile(lagS, 0.99),
        unit: "ms",
        baseline: { name: "reception → processing p99", value: quantile(lagP, 0.99), unit: "ms" },
        ratio: quantile(lagS, 0.99) / quantile(lagP, 0.99),
      },
    ];
  } finally {
    await toProcessing.stop();
    await toStatistics.stop();
    for (const c of watchSql) await c.end();
  }
}

export default async function run(): Promise<BenchResult[]> {
  const sandbox = new Sandbox({ durablePostgres: true });
  try {
    await sandbox.start();
    const commitRate = await durableCommitRate(sandbox);
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const yesterday = addDays(today, -1);
    // Yesterday on a clock shared with the services that gets through it in seconds, once they are
    // up: the driver then acts as fast as the services answer.
    const settings = catchingUpClock(Date.parse(`${yesterday}T00:00:00+07:00`), Date.now() + 45_000, 10_000);
    sandbox.setClock(settings);
    await sandbox.startServices();
    const scripts = planPeriod(loadProvince(), {
      seed: 9,
      firstDate: yesterday,
      days: 1,
      dossiersPerDay: DOSSIERS,
    });
    const driver = new ProvinceDriver({
      intakeUrl: sandbox.url("intake"),
      processingUrl: sandbox.url("processing"),
      concurrency: CONCURRENCY,
      runId: `bench-${Date.now().toString(36)}`,
      clock: shiftedClock({
        startMs: Date.parse(settings.CLOCK),
        originMs: Number(settings.CLOCK_ORIGIN),
        speed: Number(settings.CLOCK_SPEED),
      }),
      until: caughtUpAt(settings) as number,
    });
    const started = performance.now();
    const report = await driver.run(scripts);
    const seconds = (performance.now() - started) / 1000;
    if (report.failures.length)
      throw new Error(`driver failures: ${JSON.stringify(report.failures.slice(0, 3))}`);
    const received = Object.values(report.units).reduce(
      (s, u) => s + u.received.online + u.received.direct + u.received.postal,
      0,
    );
    // Then the steady receptions, on the machine's time once the shared clock has caught up.
    await new Promise((r) => setTimeout(r, Math.max(0, (caughtUpAt(settings) as number) - Date.now())));
    const steady = await steadyReceptions(sandbox, commitRate);

    const memory = (["intake", "processing", "deadline-monitor", "statistics"] as ServiceName[]).map(
      (name) => ({
        name,
        ...memoryMiB(sandbox.pidOf(name)),
      }),
    );
    return [
      {
        name: "system: PostgreSQL single-row durable commits (pgbench, 16 clients, 10 s)",
        value: commitRate,
        unit: "commits/s",
        notes:
          "the sandbox's PostgreSQL with fsync and synchronous commit on, before the services start: the limit of a reception's own commit",
      },
      ...steady,
      {
        name: "system: dossiers received and acted out through the APIs",
        value: received / seconds,
        unit: "dossiers/s",
        notes: `${received} dossiers received through the APIs (${DOSSIERS} planned, ${CONCURRENCY} in flight, each with its whole lifecycle: about ten requests), ${MACHINE}; ${seconds.toFixed(1)} s`,
      },
      ...memory.map((m) => ({
        name: `system: ${m.name} memory after the load (RSS; peak ${m.peak.toFixed(0)} MiB)`,
        value: m.rss,
        unit: "MiB",
      })),
    ];
  } finally {
    await sandbox.stop();
  }
}

runIfMain(import.meta.url, run);
