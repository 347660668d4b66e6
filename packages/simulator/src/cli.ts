/**
 * `pnpm simulate [--seed 1] [--dossiers 500] [--days 1] [--date YYYY-MM-DD] [--speed 0]
 *   [--concurrency 8] [--intake URL] [--processing URL] [--report FILE]`
 *
 * Plans days of the province (reproducible from the seed; `--dossiers` a day is the rate,
 * `--days` the duration) and acts them out through the running services' APIs. With `--speed S`
 * the day's rhythm is replayed S times faster than real time (1440: a day a minute; 0, the
 * default: as fast as the services answer). Prints a progress line and writes what it did, unit by
 * unit, to the report file (default .run/simulation-<seed>.json) so the statistics can be checked.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { type DriveReport, ProvinceDriver } from "./driver.js";
import { loadProvince } from "./province.js";
import { addDays, mergeReports, planDays, releaseOffsets, releaseWindows } from "./schedule.js";

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        seed: { type: "string", default: "1" },
        dossiers: { type: "string", default: "500" },
        days: { type: "string", default: "1" },
        date: { type: "string" },
        speed: { type: "string", default: "0" },
        concurrency: { type: "string", default: "8" },
        intake: { type: "string", default: process.env.INTAKE_URL ?? "http://127.0.0.1:3001" },
        processing: { type: "string", default: process.env.PROCESSING_URL ?? "http://127.0.0.1:3002" },
        report: { type: "string" },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
})();

const int = (name: string, value: string, min: number, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};
const seed = int("seed", values.seed, 0, 2 ** 31);
const dossiers = int("dossiers", values.dossiers, 1, 1_000_000);
const days = int("days", values.days, 1, 366);
const speed = int("speed", values.speed, 0, 86_400);
const concurrency = int("concurrency", values.concurrency, 1, 256);
// The simulated days end yesterday in Vietnam by default: every submission instant lies in the past.
const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const firstDate = values.date ?? addDays(today, -days);
if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDate)) fail("--date must be YYYY-MM-DD");

const scripts = planDays(loadProvince(), { seed, firstDate, days, dossiersPerDay: dossiers });
const runId = `${seed}-${firstDate.replaceAll("-", "")}-${Date.now().toString(36)}`;
const started = Date.now();
let done = 0;
let last = 0;
const progress = () => {
  done++;
  if (done === scripts.length || Date.now() - last > 1_000) {
    last = Date.now();
    const rate = done / ((Date.now() - started) / 1000);
    process.stderr.write(`\r[simulate] ${done}/${scripts.length} dossiers, ${rate.toFixed(1)}/s   `);
  }
};
const driver = (id: string) =>
  new ProvinceDriver({
    intakeUrl: values.intake,
    processingUrl: values.processing,
    concurrency,
    runId: id,
    onProgress: progress,
  });

let report: DriveReport;
if (speed === 0) {
  report = await driver(runId).run(scripts);
} else {
  // Each second of the compressed day releases its dossiers without waiting for the earlier ones,
  // so a spike of the day is a spike on the services too.
  const windows = releaseWindows(scripts, releaseOffsets(scripts, firstDate, speed), 1_000);
  const runs: Promise<DriveReport>[] = [];
  for (const w of windows) {
    const wait = started + w.at - Date.now();
    if (wait > 0) await sleep(wait);
    runs.push(driver(`${runId}-${w.at}`).run(w.scripts));
  }
  report = mergeReports(runId, await Promise.all(runs));
}
process.stderr.write("\n");

const file = resolve(values.report ?? `.run/simulation-${seed}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(
  file,
  `${JSON.stringify({ seed, firstDate, days, dossiersPerDay: dossiers, speed, ...report }, null, 2)}\n`,
);
const totals = Object.values(report.units).reduce(
  (t, u) => ({
    received: t.received + u.received.online + u.received.direct + u.received.postal,
    online: t.online + u.received.online,
    resolved: t.resolved + u.resolved,
    withdrawn: t.withdrawn + u.withdrawn,
    refused: t.refused + u.refusedAtReception,
  }),
  { received: 0, online: 0, resolved: 0, withdrawn: 0, refused: 0 },
);
process.stdout.write(
  `simulated ${days} day(s) from ${firstDate} (seed ${seed}): ${totals.received} received (${totals.online} online), ` +
    `${totals.resolved} resolved, ${totals.withdrawn} withdrawn, ${totals.refused} refused at reception, ` +
    `${report.failures.length} failed; report ${file}\n`,
);
if (report.failures.length > 0) {
  for (const f of report.failures.slice(0, 5))
    process.stderr.write(`  #${f.seq} ${f.step}: ${f.status} ${JSON.stringify(f.body)}\n`);
  process.exit(1);
}
