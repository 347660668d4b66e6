import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Delivery } from "@tthc/bus";
import type pg from "pg";
import { applyRuns, chunks } from "./runs.js";

/** One figure of a benchmark, beside the baseline measured in the same run (`pnpm bench`). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value, or the ratio the benchmark defines (said in `notes`). */
  ratio?: number;
  notes?: string;
}

/**
 * Runs a benchmark module's `run` and prints its figures as JSON when the file is executed
 * directly (`pnpm exec tsx path/to/x.bench.ts`); does nothing when `pnpm bench` imports it.
 */
export function runIfMain(moduleUrl: string, run: () => Promise<BenchResult[]>): void {
  const entry = process.argv[1];
  if (!entry) return;
  try {
    if (realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  } catch {
    return;
  }
  run().then(
    (results) => {
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Times a handler over `streams` (each a partition's deliveries in order) cut into runs of `size`,
 * one transaction each: events per second and this process's CPU per event (PostgreSQL's own is not
 * in it).
 */
export async function timeRuns<T>(
  pool: pg.Pool,
  streams: Delivery<T>[][],
  size: number,
  handle: (d: Delivery<T>[], tx: pg.PoolClient) => Promise<void>,
): Promise<{ rate: number; cpuUsPerEvent: number }> {
  const n = streams.reduce((s, a) => s + a.length, 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const stream of streams) await applyRuns(pool, handle, chunks(stream, size));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: n / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / n };
}

/** A fold benchmark's two figures: runs of many beside one delivery per transaction, from `timeRuns`. */
export function foldFigures(
  names: { rate: string; cpu: string },
  batched: { rate: number; cpuUsPerEvent: number },
  single: { rate: number; cpuUsPerEvent: number },
  notes: string,
): BenchResult[] {
  return [
    {
      name: names.rate,
      value: Number(batched.rate.toFixed(0)),
      unit: "events/s",
      baseline: {
        name: "same handler, one event per transaction",
        value: Number(single.rate.toFixed(0)),
        unit: "events/s",
      },
      ratio: Number((batched.rate / single.rate).toFixed(2)),
      notes,
    },
    {
      name: names.cpu,
      value: Number(batched.cpuUsPerEvent.toFixed(0)),
      unit: "µs",
      baseline: {
        name: "one event per transaction",
        value: Number(single.cpuUsPerEvent.toFixed(0)),
        unit: "µs",
      },
      ratio: Number((batched.cpuUsPerEvent / single.cpuUsPerEvent).toFixed(2)),
      notes,
    },
  ];
}
