import { spawn } from "node:child_process";
import {
  createReadStream,
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  watchFile,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { CLOCK_MATRIX, CLOCK_SAMPLE, hasFaketime, matrixTable, runClockMatrix } from "./clock-matrix.js";
import { DEMO_DAYS, decideClock } from "./demo-clock.js";
import {
  ensureTopics,
  eraseLocalBroker,
  localClusterId,
  type StartResult,
  startKafka,
  stopKafka,
} from "./kafka.js";
import { LOGS, ROOT, RUN } from "./paths.js";
import {
  bindDatabaseToBroker,
  dropServiceSchemas,
  ensurePostgres,
  migrateAll,
  setupDatabases,
} from "./postgres.js";
import { readPid, say, startDetached, stopProcess } from "./proc.js";
import { clearServiceKeys, ensureRedis } from "./redis.js";
import { baseUrl, runningServices, startServices, stopServices } from "./services.js";
import { kafkaBrokers, services, settings } from "./settings.js";
import {
  type ClockSettings,
  clockEnv,
  describeClock,
  isoLocal,
  readClockRecord,
  removeClockRecord,
  writeClockRecord,
} from "./shared-clock.js";
import { type CommandName, parseCommandLine } from "./usage.js";

/** The simulator's report of the demo data: the stack loads it once, while this file is absent. */
const DEMO_MARKER = join(RUN, "demo-data.json");
/**
 * Written when the demo starts: a load cut short is not started again, since a second stretch of
 * the past would put the services' clock back behind what the first one recorded.
 */
const DEMO_STARTED = join(RUN, "demo-started");

/** Kafka, PostgreSQL (roles, databases, schemas, migrations), Redis and the topics. */
async function infraUp() {
  let [kafka] = await Promise.all([startKafka(), ensurePostgres(), ensureRedis()]);
  await setupDatabases();
  if (kafka !== "external") kafka = await keepBrokerAndDatabaseTogether(kafka);
  await migrateAll();
  const created = await ensureTopics();
  if (created.length) say(`topics created: ${created.join(", ")}`);
  return kafka;
}

/**
 * The local broker and the services' state in the database `tthc` belong together. When the
 * database holds the state of another broker, both start afresh: the schemas and `tthc:*` Redis
 * keys are dropped, the broker is formatted anew, and the demo data is loaded again.
 */
async function keepBrokerAndDatabaseTogether(kafka: "started" | "running"): Promise<StartResult> {
  const clusterId = localClusterId();
  if (!clusterId || (await bindDatabaseToBroker(clusterId)) !== "other") return kafka;
  if (kafka === "running")
    throw new Error(
      `the running broker and the database ${settings.database} hold the state of different stacks; \`pnpm stop\`, then start again to begin both afresh`,
    );
  say(`the database ${settings.database} holds the state of another Kafka broker: starting both afresh`);
  await stopKafka();
  eraseLocalBroker();
  rmSync(DEMO_MARKER, { force: true });
  rmSync(DEMO_STARTED, { force: true });
  removeClockRecord();
  await dropServiceSchemas();
  await clearServiceKeys();
  await setupDatabases();
  const restarted = await startKafka();
  const fresh = localClusterId();
  if (fresh) await bindDatabaseToBroker(fresh);
  return restarted;
}

function printWhere() {
  const lines = [
    "",
    "The stack is up:",
    ...services.map(
      (s) =>
        `  ${s.name.padEnd(17)} ${baseUrl(s)}   (docs ${baseUrl(s)}/docs, health /healthz, /readyz, /metrics)`,
    ),
    `  dashboard         ${baseUrl(services[3]!)}/`,
    `  Kafka             ${kafkaBrokers()}`,
    `  PostgreSQL        ${settings.postgresHost}:${settings.postgresPort}/${settings.database}`,
    `  Redis             ${settings.redisUrl}`,
    "  logs              .run/logs/",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Follows the services' logs in the terminal, one short line per record: `[intake] info request ...`. */
function followLogs(): () => void {
  const stops: (() => void)[] = [];
  for (const s of services) {
    const file = join(LOGS, `${s.name}.log`);
    let pos = existsSync(file) ? statSync(file).size : 0;
    let partial = "";
    const read = () => {
      const size = statSync(file).size;
      if (size <= pos) return;
      const stream = createReadStream(file, { start: pos, end: size - 1, encoding: "utf8" });
      pos = size;
      stream.on("data", (chunk) => {
        const text = partial + String(chunk);
        const lines = text.split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) process.stdout.write(`[${s.name}] ${pretty(line)}\n`);
      });
    };
    watchFile(file, { interval: 300 }, read);
    stops.push(() => watchFile(file, () => {}));
  }
  return () => {
    for (const stop of stops) stop();
  };
}

const LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
function pretty(line: string): string {
  try {
    const { level, msg, time, service: _s, name: _n, pid: _p, hostname: _h, ...rest } = JSON.parse(line);
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    return `${String(time).slice(11, 19)} ${LEVELS[level] ?? level} ${msg}${extra}`;
  } catch {
    return line;
  }
}

/** Dossiers per working day of the demo (DEMO_DOSSIERS; 0 turns it off). */
function demoDossiers(): number {
  const n = Number(process.env.DEMO_DOSSIERS ?? 60);
  if (!Number.isInteger(n) || n < 0)
    throw new Error("DEMO_DOSSIERS must be a whole number of dossiers per working day");
  return n;
}

interface ClockChoice {
  settings: ClockSettings | null;
  /** The demo to act out on it (first start of a fresh stack). */
  demo: { firstDate: string; dossiersPerDay: number } | null;
}

/** The clock the services start on (demo-clock.ts decides), written to .run/clock.json. */
function chooseClock(): ClockChoice {
  const decision = decideClock({
    saved: readClockRecord(),
    servicesRunning: runningServices().length > 0,
    env: {
      CLOCK: process.env.CLOCK,
      CLOCK_ORIGIN: process.env.CLOCK_ORIGIN,
      CLOCK_SPEED: process.env.CLOCK_SPEED,
    },
    demoDossiers: demoDossiers(),
    demoLoaded: existsSync(DEMO_MARKER),
    demoStarted: existsSync(DEMO_STARTED),
    nowMs: Date.now(),
  });
  if (decision.note) say(decision.note);
  if (decision.record !== null) writeClockRecord(decision.settings, decision.record);
  return decision;
}

/**
 * Demo data: the last week of the province acted out (pnpm simulate) through the services' own
 * APIs on the services' fast clock, so the dashboard has figures to show. Resolves when it is loaded.
 */
function loadDemoData(clock: ClockSettings, demo: NonNullable<ClockChoice["demo"]>): Promise<void> {
  say(
    `loading demo data: the last ${DEMO_DAYS} days of the province, ${demo.dossiersPerDay} dossiers a working day, acted out on a clock from ${clock.CLOCK} that catches up with this machine's in about a minute (log in .run/logs/simulate.log)`,
  );
  const child = startDetached(
    "simulate",
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/simulator/src/cli.ts",
      "--seed",
      "1",
      "--date",
      demo.firstDate,
      "--days",
      String(DEMO_DAYS + 1),
      "--dossiers",
      String(demo.dossiersPerDay),
      "--report",
      DEMO_MARKER,
    ],
    { cwd: ROOT, env: { ...process.env, ...clockEnv(clock) } },
  );
  writeFileSync(DEMO_STARTED, `${isoLocal(Date.now())}\n`);
  // Held until it ends: `start --detach` returns once the demo data is loaded.
  child.ref();
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      if (existsSync(DEMO_MARKER)) {
        const r = JSON.parse(readFileSync(DEMO_MARKER, "utf8")) as {
          dossiers: unknown[];
          failures: unknown[];
        };
        say(
          `demo data loaded: ${r.dossiers.length} dossiers${r.failures.length ? `, ${r.failures.length} failed (see .run/logs/simulate.log)` : ""}`,
        );
      } else say(`the demo data did not load (simulate exited with ${code}; see .run/logs/simulate.log)`);
      resolve();
    });
  });
}

async function start(detach: boolean) {
  const kafka = await infraUp();
  const clock = chooseClock();
  say(`starting the four services on ${describeClock(readClockRecord(), Date.now())}`);
  await startServices(clockEnv(clock.settings));
  const loading = clock.settings && clock.demo ? loadDemoData(clock.settings, clock.demo) : Promise.resolve();
  if (detach) {
    await loading;
    printWhere();
    say("running in the background; `pnpm stop` stops it all");
    return;
  }
  printWhere();
  say("following the logs; Ctrl-C stops everything");
  const stopFollowing = followLogs();
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    stopFollowing();
    say("stopping the services");
    await stopProcess("simulate", 5_000);
    await stopServices();
    if (kafka === "started") {
      say("stopping Kafka");
      await stopKafka();
    }
    process.exit(0);
  };
  process.on("SIGINT", stopAll);
  process.on("SIGTERM", stopAll);
  // Keep the foreground process alive until a signal.
  setInterval(() => {}, 1 << 30);
}

async function stop() {
  await stopProcess("simulate", 5_000);
  await stopServices();
  const stoppedKafka = await stopKafka();
  say(`stopped${stoppedKafka ? " (Kafka too)" : ""}`);
}

function status() {
  const kafka = readPid("kafka");
  process.stdout.write(`kafka: ${kafka ? `running (pid ${kafka})` : "not started by us"}\n`);
  process.stdout.write(
    `clock: ${describeClock(readClockRecord(), Date.now())} (now ${isoLocal(Date.now())})\n`,
  );
  if (readPid("simulate")) process.stdout.write("demo data: loading (.run/logs/simulate.log)\n");
  const up = new Set(runningServices());
  for (const s of services)
    process.stdout.write(`${s.name}: ${up.has(s.name) ? `running on ${baseUrl(s)}` : "stopped"}\n`);
}

/**
 * The README's test command: brings up what the tests need (and only stops what it started), then
 * runs typecheck, lint and every vitest project against the real servers.
 */
/** What tests and benchmarks get: the servers, with the test database and Redis database. */
function testEnv(): NodeJS.ProcessEnv {
  const db = new URL(settings.postgresAdminUrl);
  db.pathname = `/${settings.testDatabase}`;
  return {
    ...process.env,
    KAFKA_BROKERS: kafkaBrokers(),
    DATABASE_URL: db.toString(),
    REDIS_URL: settings.testRedisUrl,
  };
}

/** `pnpm bench`: the benchmark runner against the real servers (started here when needed). */
async function bench(args: string[]) {
  const kafka = await infraUp();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", ...args], {
      cwd: ROOT,
      env: testEnv(),
      stdio: "inherit",
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  if (kafka === "started") await stopKafka();
  process.exit(code);
}

async function test(given: string[]) {
  // `pnpm test -- packages/bus` hands the script a literal "--", after which vitest would take
  // no filter at all and run everything.
  const args = given[0] === "--" ? given.slice(1) : given;
  const kafka = await infraUp();
  const env = testEnv();
  const step = (name: string, cmd: string, cmdArgs: string[]) =>
    new Promise<number>((resolve) => {
      say(name);
      const child = spawn(cmd, cmdArgs, { cwd: ROOT, env, stdio: "inherit" });
      child.on("exit", (code) => resolve(code ?? 1));
    });
  let code = 0;
  try {
    if (args.length === 0) {
      code ||= await step("typecheck (tsc)", "pnpm", ["exec", "tsc", "-p", "tsconfig.json"]);
      code ||= await step("lint and format check (biome)", "pnpm", ["exec", "biome", "ci", "."]);
    }
    const report = join(RUN, "vitest-report.json");
    rmSync(report, { force: true });
    const tests = await step("tests (vitest: unit and integration, real Kafka, PostgreSQL, Redis)", "pnpm", [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...args,
    ]);
    code ||= tests;
    summarise(report);
  } finally {
    if (kafka === "started") await stopKafka();
  }
  process.exit(code);
}

/**
 * `pnpm stack test-clocks [--sample] [vitest args]`: the tests again at 07:29, 11:30, 16:59 and
 * 17:00 on a weekday, a Saturday and a holiday (`--sample`: one instant of each kind of day), with
 * the machine's clock moved by libfaketime (clock-matrix.ts). Default: the unit project.
 */
async function testClocks(given: string[]) {
  const sample = given.includes("--sample");
  const rest = given.filter((a) => a !== "--sample");
  const args = rest[0] === "--" ? rest.slice(1) : rest;
  if (!hasFaketime()) throw new Error("faketime is not installed (Debian's package faketime)");
  const kafka = await infraUp();
  try {
    const rows = await runClockMatrix(
      "pnpm",
      ["exec", "vitest", "run", ...(args.length > 0 ? args : ["--project", "unit"])],
      testEnv(),
      sample ? CLOCK_SAMPLE : CLOCK_MATRIX,
      say,
    );
    process.stdout.write(`\nthe tests at every instant of the clock matrix:\n${matrixTable(rows)}\n`);
    process.exitCode = rows.every((r) => r.code === 0) ? 0 : 1;
  } finally {
    if (kafka === "started") await stopKafka();
  }
}

/** One closing line that any CI reads: `vitest: N passed, N failed, N skipped`. */
function summarise(report: string) {
  if (!existsSync(report)) {
    process.stdout.write("vitest: 0 passed, 1 failed (no report was written)\n");
    return;
  }
  const r = JSON.parse(readFileSync(report, "utf8")) as VitestReport;
  let failed = r.numFailedTests ?? 0;
  let skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file whose setup failed (a beforeAll that threw) reports its tests as skipped although they
  // never had a chance to pass: they count as failed here, so the line never reads "0 failed" then.
  for (const file of r.testResults ?? []) {
    if (file.status !== "failed") continue;
    const results = file.assertionResults ?? [];
    if (results.some((a) => a.status === "failed")) continue;
    const notRun = results.filter((a) => a.status !== "passed").length;
    failed += Math.max(notRun, 1);
    skipped -= notRun;
  }
  process.stdout.write(
    `vitest: ${r.numPassedTests ?? 0} passed, ${failed} failed, ${Math.max(skipped, 0)} skipped\n`,
  );
}

interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status: string; assertionResults?: { status: string }[] }[];
}

const line = parseCommandLine(process.argv.slice(2));
if (line.kind === "help") {
  process.stdout.write(line.text);
  process.exit(0);
}
if (line.kind === "error") {
  process.stderr.write(`${line.message}\n`);
  process.exit(2);
}
const commands: Record<CommandName, (args: string[]) => Promise<void> | void> = {
  start: (args) => start(args.includes("--detach") || args.includes("-d")),
  stop,
  status,
  setup: async () => {
    await infraUp();
    say("setup done");
  },
  "infra-up": async () => {
    const kafka = await infraUp();
    say(`infrastructure ready (Kafka ${kafka})`);
  },
  "kafka-start": async () => {
    say(`Kafka: ${await startKafka()}`);
  },
  "kafka-stop": async () => {
    say((await stopKafka()) ? "Kafka stopped" : "Kafka was not running");
  },
  test,
  "test-clocks": testClocks,
  bench,
};
Promise.resolve(commands[line.command](line.args)).catch((err: Error) => {
  say(`failed: ${err.message}`);
  process.exit(1);
});
