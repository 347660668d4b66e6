/**
 * The whole system under a sustained simulated load, in a sandbox of its own (its own broker,
 * PostgreSQL and Redis, the four services as processes; see test/faults/README.md): receptions per
 * second through the real APIs, the lag from a reception's commit in intake to its effect in the
 * statistics (p50/p99) beside the lag to processing, the first consumer of the same event, and the
 * memory of each service. BENCH_SYSTEM_DOSSIERS sets the load (default 600 dossiers, 8 in flight).
 */
import { readFileSync } from "node:fs";
import { shiftedClock } from "@tthc/service-kit";
import { addDays, loadProvince, ProvinceDriver, planPeriod } from "@tthc/simulator";
import { type BenchResult, runIfMain } from "@tthc/testkit";
import { Sandbox, type ServiceName } from "../infra/stack/sandbox.js";
import { catchingUpClock, caughtUpAt } from "../infra/stack/shared-clock.js";

const DOSSIERS = Number(process.env.BENCH_SYSTEM_DOSSIERS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_SYSTEM_CONCURRENCY ?? 8);

function memoryMiB(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: Number.NaN, peak: Number.NaN };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export default async function run(): Promise<BenchResult[]> {
  const sandbox = new Sandbox();
  try {
    await sandbox.start();
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

    // Reception committed in intake (its outbox row) → handled by a consumer (its bus_handled row).
    const sql = await sandbox.sql();
    try {
      const lagOf = async (schema: string) => {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const { rows } = await sql.query<{ n: number; p50: number; p99: number }>(
            `SELECT count(*)::int AS n,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) * 1000 AS p50,
                    percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) * 1000 AS p99
               FROM (SELECT extract(epoch FROM h.handled_at - o.created_at) AS lag
                       FROM intake.bus_outbox o JOIN ${schema}.bus_handled h ON h.message_id = o.message_id
                      WHERE o.headers->>'event-type' = 'dossier.received') l`,
          );
          const r = rows[0]!;
          if (r.n >= received || Date.now() > deadline) return r;
          await new Promise((res) => setTimeout(res, 500));
        }
      };
      const toStatistics = await lagOf("statistics");
      const toProcessing = await lagOf("processing");
      const memory = (["intake", "processing", "deadline-monitor", "statistics"] as ServiceName[]).map(
        (name) => ({
          name,
          ...memoryMiB(sandbox.pidOf(name)),
        }),
      );
      const notes = `${received} dossiers received through the APIs (${DOSSIERS} planned, ${CONCURRENCY} in flight, each with its whole lifecycle: about ten requests), one broker, PostgreSQL and Redis on the same 2-core machine`;
      return [
        {
          name: "system: dossiers received and acted out through the APIs",
          value: received / seconds,
          unit: "dossiers/s",
          notes: `${notes}; ${seconds.toFixed(1)} s`,
        },
        {
          name: "system: reception → statistics lag p50",
          value: toStatistics.p50,
          unit: "ms",
          baseline: {
            name: "reception → processing (first consumer) p50",
            value: toProcessing.p50,
            unit: "ms",
          },
          ratio: toStatistics.p50 / toProcessing.p50,
          notes: `${toStatistics.n} dossier.received events: intake's outbox commit to the consumer's handled record`,
        },
        {
          name: "system: reception → statistics lag p99",
          value: toStatistics.p99,
          unit: "ms",
          baseline: {
            name: "reception → processing (first consumer) p99",
            value: toProcessing.p99,
            unit: "ms",
          },
          ratio: toStatistics.p99 / toProcessing.p99,
        },
        ...memory.map((m) => ({
          name: `system: ${m.name} memory after the load (RSS; peak ${m.peak.toFixed(0)} MiB)`,
          value: m.rss,
          unit: "MiB",
        })),
      ];
    } finally {
      await sql.end();
    }
  } finally {
    await sandbox.stop();
  }
}

runIfMain(import.meta.url, run);
