import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BusAdmin, createBusClient } from "@tthc/bus";
import { allTopics } from "@tthc/contracts";
import { CACHE, LOGS, ROOT, RUN } from "./paths.js";
import { readPid, run, say, startDetached, stopProcess, tail, waitFor } from "./proc.js";
import { kafkaBrokers, settings } from "./settings.js";

const LIBS = join(CACHE, "kafka", "libs");
const KAFKA_RUN = join(RUN, "kafka");
const PROPS = join(KAFKA_RUN, "server.properties");
const POM = join(ROOT, "infra", "kafka", "pom.xml");

export function admin(prefix = ""): BusAdmin {
  return new BusAdmin(
    createBusClient({ brokers: [kafkaBrokers()], clientId: "tthc-stack", topicPrefix: prefix }),
  );
}

/** Apache's broker jars from Maven Central, fetched once into .cache/kafka/libs. */
export async function ensureJars(): Promise<void> {
  const have = existsSync(LIBS) && readdirSync(LIBS).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  if (have) return;
  say("fetching Apache Kafka's broker jars from Maven Central (once; log in .run/logs/maven.log)");
  await run("mvn", ["-B", "-q", "-f", POM, "package"], { cwd: ROOT, logName: "maven" });
}

/**
 * A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, as kafka-storage makes
 * them. Like Kafka's own `Uuid.randomUuid()`, it never starts with "-": the storage tool's
 * argument parser would read such an id as an option and refuse to format (one id in 64).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

const classpath = () => `${LIBS}/*`;

export interface BrokerFiles {
  /** The broker's folder: `server.properties` and `data/` live in it. */
  dir: string;
  port: number;
  controllerPort: number;
  /** Name of the log (under .run/logs) of the one-off storage format. */
  formatLog: string;
}

/**
 * Writes a broker's `server.properties` from the template in infra/kafka and formats its KRaft
 * storage once; returns the properties file. The local stack and the fault sandbox both use it.
 */
export async function prepareBroker(b: BrokerFiles): Promise<string> {
  const data = join(b.dir, "data");
  const props = join(b.dir, "server.properties");
  mkdirSync(data, { recursive: true });
  const template = readFileSync(join(ROOT, "infra", "kafka", "server.properties"), "utf8");
  writeFileSync(
    props,
    template
      .replaceAll("@DATA_DIR@", data)
      .replaceAll("@PORT@", String(b.port))
      .replaceAll("@CONTROLLER_PORT@", String(b.controllerPort)),
  );
  if (!existsSync(join(data, "meta.properties"))) {
    say(`formatting the KRaft storage of the broker on port ${b.port}`);
    await run(
      "java",
      [
        "-cp",
        classpath(),
        "kafka.tools.StorageTool",
        "format",
        "-t",
        newClusterId(),
        "-c",
        props,
        "--ignore-formatted",
      ],
      { cwd: ROOT, logName: b.formatLog },
    );
  }
  return props;
}

/** The cluster id in the local broker's formatted storage, if it has been formatted. */
export function localClusterId(): string | undefined {
  const meta = join(KAFKA_RUN, "data", "meta.properties");
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, "utf8"))?.[1]?.trim();
}

/** Deletes the local broker's data, so that its next start formats a new, empty one. */
export function eraseLocalBroker(): void {
  rmSync(join(KAFKA_RUN, "data"), { recursive: true, force: true });
}

export type StartResult = "started" | "running" | "external";

/**
 * Starts the broker in the background unless one already answers on the port. Says whether it
 * started one, so the caller knows whether it must stop it again.
 */
export async function startKafka(): Promise<StartResult> {
  if (readPid("kafka") !== undefined && (await admin().ping(2_000))) return "running";
  if (await admin().ping(1_500)) return "external";
  await ensureJars();
  await prepareBroker({
    dir: KAFKA_RUN,
    port: settings.kafkaPort,
    controllerPort: settings.kafkaControllerPort,
    formatLog: "kafka-format",
  });
  mkdirSync(join(KAFKA_RUN, "logs"), { recursive: true });
  say(`starting Kafka on ${kafkaBrokers()} (KRaft, one node; log in .run/kafka/logs)`);
  const child = startDetached(
    "kafka",
    "java",
    [
      "-Xms256m",
      "-Xmx1g",
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-Djava.awt.headless=true",
      `-Dlog4j.configuration=file:${join(ROOT, "infra", "kafka", "log4j.properties")}`,
      `-Dkafka.logs.dir=${join(KAFKA_RUN, "logs")}`,
      "-cp",
      classpath(),
      "kafka.Kafka",
      PROPS,
    ],
    { cwd: ROOT },
  );
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  try {
    await waitFor(
      "Kafka",
      async () => {
        if (exited) throw new Error("the broker exited");
        return admin().ping(1_500);
      },
      90_000,
      500,
    );
  } catch (err) {
    say(
      `Kafka did not start: ${(err as Error).message}\n${tail(join(LOGS, "kafka.log"))}\n${tail(join(KAFKA_RUN, "logs", "server.log"))}`,
    );
    await stopProcess("kafka", 5_000);
    throw err;
  }
  return "started";
}

export async function stopKafka(): Promise<boolean> {
  return stopProcess("kafka", 30_000);
}

/** Creates the topics of the catalogue (with their dead-letter topics) that do not exist yet. */
export async function ensureTopics(prefix = ""): Promise<string[]> {
  return admin(prefix).ensureTopics(allTopics());
}
