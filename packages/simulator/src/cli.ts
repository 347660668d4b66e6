/**
 * `pnpm simulate`: plans days of the province (reproducible from the seed) and acts them out
 * through the running services' APIs, in time, on the clock the services share. `--help` says how.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { clockConfig, clockFromConfig } from "@tthc/service-kit";
import { z } from "zod";
import { addDays, isDate, localDateOf, startOfDate } from "./dates.js";
import { ProvinceDriver } from "./driver.js";
import { isoLocal, planPeriod } from "./plan.js";
import { loadProvince } from "./province.js";
import { unitsBy } from "./report.js";

const USAGE = `usage: pnpm simulate [options]

Plans days of the province (reproducible from the seed) and acts them out through the running
services' APIs, each action when the services' clock reads its instant.

  --date YYYY-MM-DD   the first day dossiers arrive (default: today on the clock)
  --days N            how many days they arrive, 1 to 92 (default 1)
  --dossiers N        dossiers on a working day (default 500; a weekend or holiday gets fewer)
  --seed N            the plan's seed (default 1)
  --speed S           how many times faster than real time the shared clock runs: it must be the
                      services' CLOCK_SPEED (default: CLOCK_SPEED, else 1)
  --until INSTANT     act nothing after this ISO 8601 instant (default: the end of the last day,
                      or the moment a fast clock catches up with the machine's)
  --concurrency N     requests in flight at once (default 16)
  --intake URL        intake (default $INTAKE_URL or http://127.0.0.1:3001)
  --processing URL    processing (default $PROCESSING_URL or http://127.0.0.1:3002)
  --report FILE       what was done, per unit and per dossier (default .run/simulation-<seed>.json)
  -h, --help          this text

The clock: CLOCK, CLOCK_ORIGIN and CLOCK_SPEED from the environment, read as the services read
them, so give the simulator the environment the services run with. Without them it acts in real
time from now, and dossiers whose arrival is already past are skipped. For example, a week acted
out in about ten minutes by services and simulator started with the same clock:

  export CLOCK=2026-05-04T07:00:00+07:00 CLOCK_ORIGIN=$(date +%s%3N) CLOCK_SPEED=1008
  (start the four services with this environment)
  pnpm simulate --date 2026-05-04 --days 7 --dossiers 300
`;

class InputError extends Error {}
const fail = (message: string): never => {
  throw new InputError(message);
};

function options() {
  try {
    return parseArgs({
      options: {
        date: { type: "string" },
        days: { type: "string", default: "1" },
        dossiers: { type: "string", default: "500" },
        seed: { type: "string", default: "1" },
        speed: { type: "string" },
        until: { type: "string" },
        concurrency: { type: "string", default: "16" },
        intake: { type: "string", default: process.env.INTAKE_URL ?? "http://127.0.0.1:3001" },
        processing: { type: "string", default: process.env.PROCESSING_URL ?? "http://127.0.0.1:3002" },
        report: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (err) {
    return fail(`${(err as Error).message} (--help lists the options)`);
  }
}

const whole = (name: string, value: string, min: number, max: number) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/** The services' clock, from the same variables they read. */
function sharedClock() {
  const parsed = z.object(clockConfig).safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${issue?.path.join(".")}: ${issue?.message}`);
  }
  const config = parsed.data;
  const startMs = config.CLOCK === "system" ? null : Date.parse(config.CLOCK);
  const origin = config.CLOCK_ORIGIN ?? Date.now();
  // A clock that starts in the past and runs fast reads the machine's clock once it catches up.
  const catchesUpAt =
    startMs !== null && startMs <= origin && config.CLOCK_SPEED > 1
      ? origin + (origin - startMs) / (config.CLOCK_SPEED - 1)
      : null;
  return { clock: clockFromConfig(config), speed: config.CLOCK_SPEED, catchesUpAt };
}

async function main() {
  const values = options();
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const days = whole("days", values.days, 1, 92);
  const dossiersPerDay = whole("dossiers", values.dossiers, 1, 100_000);
  const seed = whole("seed", values.seed, 0, 2 ** 31);
  const concurrency = whole("concurrency", values.concurrency, 1, 256);
  for (const name of ["intake", "processing"] as const)
    if (!URL.canParse(values[name])) fail(`--${name} must be a URL, like http://127.0.0.1:3001`);
  const { clock, speed, catchesUpAt } = sharedClock();
  if (values.speed !== undefined) {
    const asked = Number(values.speed);
    if (!(asked > 0)) fail("--speed must be a positive number");
    if (asked !== speed)
      fail(
        `--speed ${values.speed} is not the services' clock (CLOCK_SPEED=${speed}): start the services and the simulator with the same CLOCK, CLOCK_ORIGIN and CLOCK_SPEED`,
      );
  }
  const now = clock.nowMs();
  const firstDate = values.date ?? localDateOf(now);
  if (!isDate(firstDate)) fail("--date must be a date, YYYY-MM-DD");
  const periodEnd = startOfDate(addDays(firstDate, days));
  let until = Math.min(periodEnd, catchesUpAt ?? Number.POSITIVE_INFINITY);
  if (values.until !== undefined) {
    const asked = Date.parse(values.until);
    if (Number.isNaN(asked) || !/(Z|[+-]\d\d:?\d\d)$/.test(values.until))
      fail("--until must be an ISO 8601 instant with its offset, like 2026-05-11T17:00:00+07:00");
    until = asked;
  }
  if (until <= now)
    fail(
      `the clock already reads ${isoLocal(now)}, after ${isoLocal(until)}: nothing of that period can be acted now (the services' clock never goes back)`,
    );

  const province = loadProvince();
  const scripts = planPeriod(province, { seed, firstDate, days, dossiersPerDay });
  const runId = `${seed}-${firstDate.replaceAll("-", "")}-${Date.now().toString(36)}`;
  process.stderr.write(
    `[simulate] ${scripts.length} dossiers from ${firstDate} over ${days} day(s), acted until ${isoLocal(until)} on a clock ${speed === 1 ? "in real time" : `${speed} times as fast as real time`}\n`,
  );
  let last = 0;
  const driver = new ProvinceDriver({
    intakeUrl: values.intake,
    processingUrl: values.processing,
    runId,
    clock,
    until,
    concurrency,
    province,
    onProgress: (done, total) => {
      if (done === total || Date.now() - last > 1_000) {
        last = Date.now();
        process.stderr.write(
          `\r[simulate] clock ${isoLocal(clock.nowMs()).slice(0, 16)}: ${done}/${total} dossiers   `,
        );
      }
    },
  });
  const report = await driver.run(scripts);
  process.stderr.write("\n");

  const file = resolve(values.report ?? `.run/simulation-${seed}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        seed,
        firstDate,
        days,
        dossiersPerDay,
        until: isoLocal(until),
        clock: {
          CLOCK: process.env.CLOCK ?? "system",
          CLOCK_ORIGIN: process.env.CLOCK_ORIGIN ?? null,
          CLOCK_SPEED: speed,
        },
        competentUnits: unitsBy(report, "competent"),
        ...report,
      },
      null,
      2,
    )}\n`,
  );
  const t = { received: 0, online: 0, resolved: 0, withdrawn: 0, refused: 0 };
  for (const u of Object.values(report.units)) {
    t.received += u.received.online + u.received.direct + u.received.postal;
    t.online += u.received.online;
    t.resolved += u.resolved;
    t.withdrawn += u.withdrawn;
    t.refused += u.refusedAtReception;
  }
  const late = report.dossiers.filter((d) => d.resolvedAfterDue).length;
  const skipped = report.dossiers.filter((d) => d.state === "skipped").length;
  process.stdout.write(
    `simulated ${days} day(s) from ${firstDate} (seed ${seed}): ${t.received} received (${t.online} online), ` +
      `${t.resolved} resolved (${late} after their due instant), ${t.withdrawn} withdrawn, ${t.refused} refused at reception, ` +
      `${skipped} skipped (arrival already past), ${report.failures.length} failed; report ${file}\n`,
  );
  for (const f of report.failures.slice(0, 5))
    process.stderr.write(`  #${f.seq} ${f.step}: ${f.status} ${JSON.stringify(f.body)}\n`);
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`simulate: ${err instanceof InputError ? err.message : `failed: ${err.message}`}\n`);
    process.exit(err instanceof InputError ? 2 : 1);
  },
);
