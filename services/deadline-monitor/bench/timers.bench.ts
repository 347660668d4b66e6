import { ensureBusTables } from "@tthc/bus";
import { createLogger, createMetricsRegistry, migrate, systemClock } from "@tthc/service-kit";
import { type BenchResult, createTestEnv, runIfMain } from "@tthc/testkit";
import { MonitorCalendars } from "../src/domain/calendars.js";
import { TimerLoop } from "../src/timers/timer-loop.js";
import { foldBench } from "./fold.js";

const OPEN = Number(process.env.BENCH_OPEN_DOSSIERS ?? 1_000_000);
const BURST = Number(process.env.BENCH_BURST_DEADLINES ?? 10_000);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 60);
const ALL = Array.from({ length: 12 }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Open dossiers i in [from, to) with their overdue timer at `startSql + i * stepSql`. */
function insertSql(from: number, to: number, fireAt: string) {
  return `
    WITH s AS (SELECT i, overlay(overlay(md5('bench' || i) placing '4' from 13) placing '8' from 17)::uuid AS id, ${fireAt} AS due FROM generate_series(${from}, ${to - 1}) i),
    d AS (
      INSERT INTO dossiers (id, code, partition, status, holding_unit_code, receiving_unit_code, competent_unit_code,
        procedure_code, calendar_unit, clock, supplement_rule, steps, runs, due_at, due_soon_at, received_at)
      SELECT id, '000.00.01.H44-260101-' || lpad(i::text, 7, '0'), i % 12, 'open', 'H44.' || (100 + i % 148),
        'H44.100', 'H44.100', '1.001234', 'default', '{}'::jsonb, 'pause', '[]'::jsonb, '[]'::jsonb, due, due,
        due - interval '1 day'
      FROM s)
    INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline) SELECT id, 'overdue', i % 12, due, due FROM s`;
}

async function measure(ms: number) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage().rss);
  }, 200);
  await sleep(ms);
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - t0;
  return { cpuPct: ((cpu.user + cpu.system) / 1000 / elapsed) * 100, rssMiB: rss / 2 ** 20 };
}

export default async function run(): Promise<BenchResult[]> {
  const env = await createTestEnv("monitor-bench", { topics: false });
  const logger = createLogger("deadline-monitor-bench", "warn");
  try {
    await migrate(env.pool, env.schema, new URL("../migrations", import.meta.url).pathname);
    await ensureBusTables(env.pool);
    // The consumer's fold first, on the same tables, emptied before the timers are measured.
    const fold = await foldBench(env.pool);
    await env.pool.query(
      "TRUNCATE dossiers, submissions, timers, verdicts, alerts CASCADE; TRUNCATE bus_outbox",
    );
    const calendars = new MonitorCalendars([]);
    // A benchmark measures the real loop against the machine's time.
    const loop = new TimerLoop({
      pool: env.pool,
      clock: systemClock,
      logger,
      registry: createMetricsRegistry("bench"),
      calendars: () => calendars,
      escalateAfterHours: 8,
      batchSize: 500,
      maxSleepMs: 1_000,
    });
    loop.setPartitions(ALL);
    loop.start();
    const empty = await measure(5_000);

    // The day's deadlines: from one hour from now across 24 hours, so none falls during the run.
    const t0 = Date.now();
    for (let from = 0; from < OPEN; from += 100_000) {
      const to = Math.min(OPEN, from + 100_000);
      await env.pool.query(
        insertSql(from, to, `now() + interval '1 hour' + (i * interval '86400 seconds' / ${OPEN})`),
      );
    }
    await env.pool.query("ANALYZE dossiers; ANALYZE timers");
    const loadSeconds = (Date.now() - t0) / 1000;
    const idle = await measure(5_000);

    // The naive alternative: one scan of every open dossier for those past due.
    const scan0 = performance.now();
    await env.pool.query("SELECT id FROM dossiers WHERE status = 'open' AND due_at <= now() LIMIT 500");
    const scanMs = performance.now() - scan0;
    const idx0 = performance.now();
    await env.pool.query(
      "SELECT dossier_id FROM timers WHERE partition = ANY($1::int[]) AND fire_at <= now() ORDER BY fire_at LIMIT 500",
      [ALL],
    );
    const indexMs = performance.now() - idx0;

    // The burst: BURST deadlines within BURST_SECONDS, starting two seconds from now.
    await env.pool.query(
      insertSql(
        OPEN,
        OPEN + BURST,
        `now() + interval '2 seconds' + ((i - ${OPEN}) * interval '1 second' * ${BURST_SECONDS} / ${BURST})`,
      ),
    );
    const burst = await measure(BURST_SECONDS * 1000 + 4_000);
    await loop.stop();
    const { rows } = await env.pool.query<{ n: number; p50: number; p99: number; max: number }>(
      `SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms) AS p50,
         percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) AS p99, max(lag_ms) AS max FROM alerts`,
    );
    const lag = rows[0] ?? { n: 0, p50: 0, p99: 0, max: 0 };
    const scale = `${OPEN} open dossiers (BENCH_OPEN_DOSSIERS; 1,000,000 asked), loaded in ${loadSeconds.toFixed(1)} s with generate_series`;
    return [
      ...fold,
      {
        name: "monitor alert lag p99 during the burst",
        value: Number(lag.p99),
        unit: "ms",
        baseline: {
          name: "one naive scan of the open dossiers for the past-due ones",
          value: Number(scanMs.toFixed(1)),
          unit: "ms",
        },
        notes: `${lag.n} of ${BURST} alerts raised, deadlines within ${BURST_SECONDS} s (BENCH_BURST_SECONDS; 60 s asked), p50 ${lag.p50} ms, max ${lag.max} ms; ${scale}. The naive loop would pay the scan on every tick before firing anything.`,
      },
      {
        name: "due-timer query on the (partition, fire_at) index",
        value: Number(indexMs.toFixed(2)),
        unit: "ms",
        baseline: {
          name: "full scan of open dossiers by due_at",
          value: Number(scanMs.toFixed(2)),
          unit: "ms",
        },
        ratio: Number((scanMs / Math.max(indexMs, 0.01)).toFixed(1)),
        notes: scale,
      },
      {
        name: "monitor CPU while idle over the full index",
        value: Number(idle.cpuPct.toFixed(2)),
        unit: "% of one core",
        baseline: {
          name: "same firing loop over an empty index",
          value: Number(empty.cpuPct.toFixed(2)),
          unit: "% of one core",
        },
        notes: scale,
      },
      {
        name: "monitor CPU during the burst",
        value: Number(burst.cpuPct.toFixed(2)),
        unit: "% of one core",
        baseline: {
          name: "same firing loop over an empty index",
          value: Number(empty.cpuPct.toFixed(2)),
          unit: "% of one core",
        },
        notes: `process CPU (loop, pg client, event validation); PostgreSQL's own CPU not counted. ${scale}`,
      },
      {
        name: "monitor peak RSS during the burst",
        value: Number(burst.rssMiB.toFixed(1)),
        unit: "MiB",
        baseline: { name: "RSS with an empty index", value: Number(empty.rssMiB.toFixed(1)), unit: "MiB" },
        notes: "the timers live in PostgreSQL, so memory does not grow with open dossiers",
      },
    ];
  } finally {
    await env.cleanup();
  }
}

runIfMain(import.meta.url, run);
