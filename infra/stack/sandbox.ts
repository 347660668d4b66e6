import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BusAdmin, BusConsumer, createBusClient } from "@tthc/bus";
import { allTopics } from "@tthc/contracts";
import { Redis } from "ioredis";
import pg from "pg";
import { ensureJars, prepareBroker } from "./kafka.js";
import { CACHE, ROOT, RUN } from "./paths.js";
import { isAlive, run, tail, waitFor } from "./proc.js";
import { type ServiceSpec, services } from "./settings.js";
import { type ClockSettings, clockEnv } from "./shared-clock.js";

/**
 * A throwaway copy of the infrastructure for fault tests: a Kafka broker, a PostgreSQL cluster and
 * a Redis of its own on other ports, with the four services as child processes pointed at them. A
 * fault test breaks these (kills a service, restarts the broker or the database, flushes Redis)
 * without touching the machine's servers that other tests share. Everything lives in
 * `.run/sandbox/` and is removed by `stop()`; a run that died leaves pid files the next run reaps.
 */

const env = process.env;
export const sandboxSettings = {
  kafkaPort: Number(env.SANDBOX_KAFKA_PORT ?? 19092),
  kafkaControllerPort: Number(env.SANDBOX_KAFKA_CONTROLLER_PORT ?? 19093),
  // Every default lies below Linux's ephemeral range (32768–60999): a port in it can be held at any
  // moment by the local end of some outgoing connection, and a listener then fails to bind.
  postgresPort: Number(env.SANDBOX_PG_PORT ?? 15432),
  redisPort: Number(env.SANDBOX_REDIS_PORT ?? 16379),
  /** intake listens on this port, processing on the next, and so on. */
  servicePortBase: Number(env.SANDBOX_SERVICE_PORT_BASE ?? 13001),
} as const;

const DIR = join(RUN, "sandbox");
const LOGS = join(DIR, "logs");
const KAFKA_DIR = join(DIR, "kafka");
const PG_DATA = join(DIR, "pg");
/** Owned by the cluster's user: the unix socket and the server log. */
const PG_RUN = join(DIR, "pg-run");
const PG_LOG = join(PG_RUN, "postgres.log");
const REDIS_DIR = join(DIR, "redis");
const DATABASE = "tthc";

export type ServiceName = ServiceSpec["name"];

/** A record of a topic as the sandbox reads it back: the event envelope, and where it was. */
export interface TopicRecord {
  partition: number;
  offset: string;
  id: string;
  type: string;
  dossierId: string;
  payload: Record<string, unknown>;
}

/** The PostgreSQL programs: PG_BIN, else the newest /usr/lib/postgresql/N/bin, else the PATH. */
function pgBin(program: string): string {
  if (env.PG_BIN) return join(env.PG_BIN, program);
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, "bin", program)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], "bin", program);
  }
  return program;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
const asRoot = () => process.getuid?.() === 0;
function pgCommand(program: string, args: string[]): [string, string[]] {
  return asRoot() ? ["runuser", ["-u", "postgres", "--", pgBin(program), ...args]] : [pgBin(program), args];
}
function postgresOwner(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

const pidFile = (name: string) => join(DIR, `${name}.pid`);

/** Kills what a previous run left behind (its pid files) and removes its files. */
async function reapLeftovers(): Promise<void> {
  if (!existsSync(DIR)) return;
  const ownerFile = join(DIR, "owner");
  const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8").trim()) : 0;
  if (owner > 0 && owner !== process.pid && isAlive(owner))
    throw new Error(`another fault test (pid ${owner}) is using the sandbox in ${DIR}`);
  for (const f of readdirSync(DIR).filter((n) => n.endsWith(".pid"))) {
    const pid = Number(readFileSync(join(DIR, f), "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) killGroup(pid, "SIGKILL");
  }
  if (existsSync(join(PG_DATA, "postmaster.pid"))) {
    const [cmd, args] = pgCommand("pg_ctl", ["stop", "-D", PG_DATA, "-m", "immediate", "-w"]);
    await run(cmd, args, { logName: "sandbox-pg-ctl" }).catch(() => {});
  }
  rmSync(DIR, { recursive: true, force: true });
}

function countLines(file: string, needle: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8").split(needle).length - 1;
}

/**
 * The sandbox's ports that cannot be bound now. Binding (rather than connecting) also catches a
 * port held by the local end of an outgoing connection, which no listener would answer on.
 */
async function takenPorts(): Promise<number[]> {
  const { kafkaPort, kafkaControllerPort, postgresPort, redisPort, servicePortBase } = sandboxSettings;
  const ports = [
    kafkaPort,
    kafkaControllerPort,
    postgresPort,
    redisPort,
    ...services.map((_, i) => servicePortBase + i),
  ];
  const free = await Promise.all(
    ports.map(
      (port) =>
        new Promise<boolean>((resolve) => {
          const server = createServer();
          server.once("error", () => resolve(false));
          server.listen({ host: "127.0.0.1", port, exclusive: true }, () =>
            server.close(() => resolve(true)),
          );
        }),
    ),
  );
  return ports.filter((_, i) => !free[i]);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}

/** A child process of the sandbox, in its own process group, its output in `.run/sandbox/logs/`. */
class Child {
  private exited: Promise<void>;
  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => proc.once("exit", () => resolve()));
    writeFileSync(pidFile(name), String(proc.pid));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** SIGKILL, at once: the crash a fault test wants. Resolves when the process is gone. */
  async kill(): Promise<void> {
    if (this.running && this.proc.pid) killGroup(this.proc.pid, "SIGKILL");
    await this.exited;
    rmSync(pidFile(this.name), { force: true });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.running && this.proc.pid) killGroup(this.proc.pid, "SIGTERM");
    const killed = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (killed) await this.kill();
    rmSync(pidFile(this.name), { force: true });
  }
}

function startChild(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  mkdirSync(LOGS, { recursive: true });
  const log = openSync(join(LOGS, `${name}.log`), "a");
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv },
    detached: true,
    stdio: ["ignore", log, log],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return new Child(name, child);
}

export interface SandboxOptions {
  /**
   * The clock the four services share (shared-clock.ts: `catchingUpClock` acts out a day in
   * seconds, then reads the machine's clock); the machine's clock when omitted. A service started
   * again after a fault gets the same clock. Give the simulator's driver the same settings.
   */
  clock?: ClockSettings;
  /**
   * PostgreSQL with its durable settings (fsync and synchronous commit on), for measuring what the
   * machine gives; off by default: the fault tests are about crashes of processes, not of the disk.
   */
  durablePostgres?: boolean;
}

export class Sandbox {
  /** The services' shared clock; null for the machine's. */
  private sharedClock: ClockSettings | null;
  private kafka?: Child;
  private redisServer?: Child;
  private pgStarted = false;
  private readonly running = new Map<ServiceName, Child>();
  private readonly onExit = () => {
    for (const c of [...this.running.values(), this.kafka, this.redisServer]) {
      if (c?.running && c.proc.pid) killGroup(c.proc.pid, "SIGKILL");
    }
  };

  private readonly durablePostgres: boolean;

  constructor(options: SandboxOptions = {}) {
    this.sharedClock = options.clock ?? null;
    this.durablePostgres = options.durablePostgres ?? false;
  }

  /** The clock the services share (null: the machine's). */
  get clock(): ClockSettings | null {
    return this.sharedClock;
  }

  /**
   * Puts the services started from now on on this clock, so that a clock whose origin is the
   * services' start can be chosen once the infrastructure is up. Set it before `startServices()`.
   */
  setClock(clock: ClockSettings | null): void {
    if (this.running.size > 0) throw new Error("set the sandbox's clock before its services start");
    this.sharedClock = clock;
  }
  /** Variables every service of the sandbox gets besides its own (a test's webhook allow-list...). */
  readonly serviceExtraEnv: Record<string, string> = {};

  readonly kafkaBrokers = `127.0.0.1:${sandboxSettings.kafkaPort}`;
  readonly databaseUrl = `postgres://postgres@127.0.0.1:${sandboxSettings.postgresPort}/${DATABASE}`;
  readonly redisUrl = `redis://127.0.0.1:${sandboxSettings.redisPort}/0`;

  /** Where the sandbox's copy of a service listens. */
  url(name: ServiceName): string {
    const i = services.findIndex((s) => s.name === name);
    return `http://127.0.0.1:${sandboxSettings.servicePortBase + i}`;
  }

  admin(): BusAdmin {
    return new BusAdmin(createBusClient({ brokers: [this.kafkaBrokers], clientId: "tthc-sandbox" }));
  }

  /** Kafka, PostgreSQL and Redis of its own, the topics and the database; no services yet. */
  async start(): Promise<void> {
    await reapLeftovers();
    const taken = await takenPorts();
    if (taken.length > 0)
      throw new Error(
        `the sandbox's ports ${taken.join(", ")} cannot be bound (another fault test running?); SANDBOX_*_PORT moves them`,
      );
    mkdirSync(LOGS, { recursive: true });
    writeFileSync(join(DIR, "owner"), String(process.pid));
    process.once("exit", this.onExit);
    // All three settle before a failure is thrown, so that stop() knows everything that started.
    const started = await Promise.allSettled([this.startPostgres(), this.startRedis(), this.startKafka()]);
    const failed = started.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    await this.admin().ensureTopics(allTopics());
  }

  /** Stops everything it started and removes its files; safe to call after a failed start. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((c) => c.stop(10_000)));
    this.running.clear();
    await Promise.allSettled([this.stopKafka(), this.redisServer?.stop(5_000), this.stopPostgres()]);
    process.removeListener("exit", this.onExit);
    if (!env.SANDBOX_KEEP) rmSync(DIR, { recursive: true, force: true });
  }

  // --- Kafka -----------------------------------------------------------------------------------

  private async startKafka(): Promise<void> {
    await ensureJars();
    const props = await prepareBroker({
      dir: KAFKA_DIR,
      port: sandboxSettings.kafkaPort,
      controllerPort: sandboxSettings.kafkaControllerPort,
      formatLog: "sandbox-kafka-format",
    });
    mkdirSync(join(KAFKA_DIR, "logs"), { recursive: true });
    const kafka = startChild("kafka", "java", [
      "-Xms128m",
      "-Xmx512m",
      "-XX:+UseG1GC",
      "-Djava.awt.headless=true",
      `-Dlog4j.configuration=file:${join(ROOT, "infra", "kafka", "log4j.properties")}`,
      `-Dkafka.logs.dir=${join(KAFKA_DIR, "logs")}`,
      "-cp",
      `${CACHE}/kafka/libs/*`,
      "kafka.Kafka",
      props,
    ]);
    this.kafka = kafka;
    await waitFor(
      "the sandbox's Kafka",
      async () => {
        if (!kafka.running) throw new Error("the broker exited");
        return this.admin().ping(1_500);
      },
      90_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(join(LOGS, "kafka.log"))}`);
    });
  }

  /** A controlled shutdown of the broker (SIGTERM), as an operator's restart would do. */
  async stopKafka(): Promise<void> {
    await this.kafka?.stop(30_000);
    this.kafka = undefined;
  }

  /** Starts the broker again on the same data. */
  async restartKafka(): Promise<void> {
    await this.stopKafka();
    await this.startKafka();
  }

  /**
   * Every record of a topic from its beginning up to its end as of the call, parsed (records that
   * are not JSON are skipped). Duplicates on the topic stay in, so that a test can count them.
   */
  async readTopic(topic: string, timeoutMs = 60_000): Promise<TopicRecord[]> {
    const admin = this.admin();
    const end = await admin.endOffsetsSum(topic);
    const records: TopicRecord[] = [];
    if (end === 0) return records;
    const client = createBusClient({ brokers: [this.kafkaBrokers], clientId: "tthc-sandbox-reader" });
    const consumer = new BusConsumer(client, {
      groupId: `sandbox-reader-${randomBytes(4).toString("hex")}`,
      topics: [topic],
      fromBeginning: true,
    });
    let seen = 0;
    await consumer.start(async (batch) => {
      for (const m of batch.messages) {
        seen++;
        try {
          records.push({ partition: batch.partition, offset: m.offset, ...JSON.parse(String(m.value)) });
        } catch {}
      }
      return batch.messages.at(-1)?.offset;
    });
    try {
      await waitFor(`${end} records of ${topic}`, async () => seen >= end, timeoutMs, 100);
    } finally {
      await consumer.stop();
    }
    return records;
  }

  // --- PostgreSQL ------------------------------------------------------------------------------

  private pgCtl(args: string[]): Promise<void> {
    const [cmd, cmdArgs] = pgCommand("pg_ctl", [...args, "-D", PG_DATA]);
    return run(cmd, cmdArgs, { logName: "sandbox-pg-ctl" }).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(PG_LOG)}`);
    });
  }

  private async startPostgres(): Promise<void> {
    mkdirSync(PG_DATA, { recursive: true, mode: 0o700 });
    mkdirSync(PG_RUN, { recursive: true });
    if (asRoot()) {
      const { uid, gid } = postgresOwner();
      chownSync(PG_DATA, uid, gid);
      chownSync(PG_RUN, uid, gid);
    }
    const [cmd, args] = pgCommand("initdb", [
      "-D",
      PG_DATA,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
    await run(cmd, args, { logName: "sandbox-initdb" });
    // Durability is not what the fault tests are about; a fast restart is still a clean one.
    const durability = this.durablePostgres
      ? []
      : ["fsync = off", "full_page_writes = off", "synchronous_commit = off"];
    appendFileSync(
      join(PG_DATA, "postgresql.conf"),
      [
        "",
        `port = ${sandboxSettings.postgresPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${PG_RUN}'`,
        "max_connections = 200",
        ...durability,
        "",
      ].join("\n"),
    );
    await this.pgCtl(["start", "-w", "-t", "60", "-l", PG_LOG]);
    this.pgStarted = true;
    const admin = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${sandboxSettings.postgresPort}/postgres`,
    });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  }

  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when it returns. */
  async restartPostgres(): Promise<void> {
    await this.pgCtl(["restart", "-m", "fast", "-w", "-t", "60", "-l", PG_LOG]);
  }

  private async stopPostgres(): Promise<void> {
    if (!this.pgStarted && !existsSync(join(PG_DATA, "postmaster.pid"))) return;
    this.pgStarted = false;
    await this.pgCtl(["stop", "-m", "fast", "-w", "-t", "30"]).catch(() =>
      this.pgCtl(["stop", "-m", "immediate", "-w"]),
    );
  }

  /** A client on the sandbox's database (superuser): close it with `end()`. */
  async sql(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    return client;
  }

  // --- Redis -----------------------------------------------------------------------------------

  private async startRedis(): Promise<void> {
    mkdirSync(REDIS_DIR, { recursive: true });
    const redis = startChild("redis", "redis-server", [
      "--port",
      String(sandboxSettings.redisPort),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      REDIS_DIR,
    ]);
    this.redisServer = redis;
    await waitFor(
      "the sandbox's Redis",
      async () => {
        if (!redis.running) throw new Error("redis-server exited");
        return (await this.redis((r) => r.ping())) === "PONG";
      },
      20_000,
      200,
    );
  }

  /** Runs one thing on a short-lived connection to the sandbox's Redis. */
  async redis<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on("error", () => {});
    try {
      await redis.connect();
      return await fn(redis);
    } finally {
      redis.disconnect();
    }
  }

  /** Drops every key of every database. */
  async flushRedis(): Promise<void> {
    await this.redis((r) => r.flushall());
  }

  // --- The services ----------------------------------------------------------------------------

  serviceEnv(spec: ServiceSpec): Record<string, string> {
    const i = services.indexOf(spec);
    return {
      HOST: "127.0.0.1",
      PORT: String(sandboxSettings.servicePortBase + i),
      KAFKA_BROKERS: this.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: "",
      DATABASE_URL: this.databaseUrl,
      DATABASE_SCHEMA: spec.schema,
      REDIS_URL: this.redisUrl,
      REDIS_KEY_PREFIX: `tthc:${spec.name}:`,
      LOG_LEVEL: env.SANDBOX_LOG_LEVEL ?? "info",
      SHUTDOWN_TIMEOUT_MS: "10000",
      // Every service on the same clock; without one, the machine's, whatever the test's shell says.
      ...(this.sharedClock ? clockEnv(this.sharedClock) : { CLOCK: "system", CLOCK_SPEED: "1" }),
      ...this.serviceExtraEnv,
    };
  }

  /**
   * Starts one service as a child process; resolves once it has started its workers (its log says
   * `<name> listening`, written after the catalogue seed, the consumers and the relay started) and
   * its /healthz answers 200.
   */
  async startService(name: ServiceName): Promise<void> {
    const spec = services.find((s) => s.name === name);
    if (!spec) throw new Error(`no service ${name}`);
    if (this.running.get(name)?.running) return;
    const logFile = join(LOGS, `${name}.log`);
    const started = () => countLines(logFile, `"msg":"${name} listening"`);
    const before = started();
    const child = startChild(
      name,
      process.execPath,
      ["--import", "tsx", join("services", name, "src", "main.ts")],
      this.serviceEnv(spec),
    );
    this.running.set(name, child);
    await waitFor(
      `the sandbox's ${name} to start`,
      async () => {
        if (!child.running) throw new Error(`${name} exited`);
        if (started() <= before) return false;
        const res = await fetch(`${this.url(name)}/healthz`, { signal: AbortSignal.timeout(1_000) });
        return res.status === 200;
      },
      60_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(logFile)}`);
    });
  }

  async startServices(): Promise<void> {
    await Promise.all(services.map((s) => this.startService(s.name)));
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and uncommitted work are cut. */
  async killService(name: ServiceName): Promise<void> {
    const child = this.running.get(name);
    this.running.delete(name); // first: its exit is no crash
    await child?.kill();
  }

  /** The process id of a running service (for measuring it). */
  pidOf(name: ServiceName): number | undefined {
    try {
      return Number(readFileSync(pidFile(name), "utf8"));
    } catch {
      return undefined;
    }
  }

  /**
   * The processes the sandbox started, by name: the services, the broker, Redis and PostgreSQL's
   * postmaster (whose backends are its children). For summing their CPU time.
   */
  processes(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [name, child] of this.running)
      if (child.running && child.proc.pid) out.set(name, child.proc.pid);
    if (this.kafka?.proc.pid) out.set("kafka", this.kafka.proc.pid);
    if (this.redisServer?.proc.pid) out.set("redis", this.redisServer.proc.pid);
    const postmaster = join(PG_DATA, "postmaster.pid");
    if (existsSync(postmaster)) out.set("postgres", Number(readFileSync(postmaster, "utf8").split("\n")[0]));
    return out;
  }

  /** Runs pgbench against the sandbox's database; resolves with what it printed. */
  pgbench(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        pgBin("pgbench"),
        ["-h", "127.0.0.1", "-p", String(sandboxSettings.postgresPort), "-U", "postgres", ...args, DATABASE],
        { maxBuffer: 1 << 20 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
  }

  /** Services that exited on their own (not killed by `killService` nor stopped). */
  crashed(): ServiceName[] {
    return [...this.running].filter(([, c]) => !c.running).map(([name]) => name);
  }

  /** The tail of a service's log, for a failure message. */
  log(name: ServiceName | "kafka" | "redis", lines = 40): string {
    return tail(join(LOGS, `${name}.log`), lines);
  }
}
