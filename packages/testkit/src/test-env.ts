import { randomBytes } from "node:crypto";
import { BusAdmin, type BusClient, createBusClient } from "@tthc/bus";
import { allTopics } from "@tthc/contracts";
import { Redis } from "ioredis";
import pg from "pg";
import { inject } from "vitest";
import { NoServersError, type Servers, serversFromEnv } from "./servers.js";

export interface TestEnv {
  /** Short random id of this test file's world: in its topic prefix, schema and key prefix. */
  readonly id: string;
  readonly servers: Servers;
  /** Put in front of topic and consumer-group names (`t3f9a1c2e.dossier.events`). */
  readonly topicPrefix: string;
  /** The PostgreSQL schema of this file; `pool` works in it. */
  readonly schema: string;
  /** Every Redis key of this file starts with it; `redis` adds it by itself. */
  readonly keyPrefix: string;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly bus: BusClient;
  readonly admin: BusAdmin;
  /**
   * The environment a service under test gets: the servers, this file's schema, topic prefix and
   * key prefix. Extra variables override.
   */
  serviceEnv(extra?: Record<string, string>): Record<string, string>;
  /** A fresh schema for one more service in the same file (e.g. two services side by side). */
  createSchema(suffix: string): Promise<string>;
  /** Drops the schemas, deletes the topics and the Redis keys, closes the connections. */
  cleanup(): Promise<void>;
}

function currentServers(): Servers {
  try {
    const provided = inject("tthcServers");
    if (provided) return provided;
  } catch {
    // Not inside a vitest worker with the global setup: fall back to the environment.
  }
  const env = serversFromEnv();
  if (!env) throw new NoServersError("KAFKA_BROKERS, DATABASE_URL or REDIS_URL is not set");
  return env;
}

export interface TestEnvOptions {
  /** Create the catalogue's topics (with their dead-letter topics) under this file's prefix. Default true. */
  topics?: boolean;
}

/**
 * One call gives a test file real servers and a world of its own, so that files run in parallel
 * without touching each other. Call it in `beforeAll` and `cleanup()` in `afterAll`.
 */
export async function createTestEnv(name: string, options: TestEnvOptions = {}): Promise<TestEnv> {
  const servers = currentServers();
  const id = randomBytes(4).toString("hex");
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 20);
  const topicPrefix = `t${id}`;
  const schema = `t_${slug}_${id}`;
  const keyPrefix = `test:${id}:`;
  const schemas = [schema];

  const admin0 = new pg.Client({ connectionString: servers.databaseUrl });
  await admin0.connect();
  try {
    await admin0.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin0.end();
  }
  const pool = new pg.Pool({
    connectionString: servers.databaseUrl,
    max: 5,
    options: `-c search_path=${schema}`,
  });
  pool.on("error", () => {});
  const redis = new Redis(servers.redisUrl, { keyPrefix, lazyConnect: true });
  await redis.connect();
  const bus = createBusClient({ brokers: servers.kafkaBrokers, clientId: `test-${slug}`, topicPrefix });
  const admin = new BusAdmin(bus);
  if (options.topics !== false) await admin.ensureTopics(allTopics());

  return {
    id,
    servers,
    topicPrefix,
    schema,
    keyPrefix,
    pool,
    redis,
    bus,
    admin,
    serviceEnv(extra = {}) {
      return {
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
        KAFKA_BROKERS: servers.kafkaBrokers.join(","),
        KAFKA_TOPIC_PREFIX: topicPrefix,
        DATABASE_URL: servers.databaseUrl,
        DATABASE_SCHEMA: schema,
        REDIS_URL: servers.redisUrl,
        REDIS_KEY_PREFIX: keyPrefix,
        ...extra,
      };
    },
    async createSchema(suffix) {
      const extra = `${schema}_${suffix.replace(/[^a-z0-9_]/g, "_")}`;
      await pool.query(`CREATE SCHEMA "${extra}"`);
      schemas.push(extra);
      return extra;
    },
    async cleanup() {
      await Promise.allSettled([
        admin
          .listTopics()
          .then((all) => admin.deleteTopics(all.filter((t) => t.startsWith(`${topicPrefix}.`)))),
        (async () => {
          // SCAN matches the raw key, so the prefix is spelled out here (ioredis adds it only to commands).
          const raw = new Redis(servers.redisUrl);
          let cursor = "0";
          do {
            const [next, keys] = await raw.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 500);
            cursor = next;
            if (keys.length) await raw.del(...keys);
          } while (cursor !== "0");
          raw.disconnect();
        })(),
      ]);
      for (const s of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => {});
      await pool.end();
      redis.disconnect();
    },
  };
}
