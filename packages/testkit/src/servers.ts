/**
 * Where the integration tests find Kafka, PostgreSQL and Redis, in this order:
 * 1. the environment (`KAFKA_BROKERS`, `DATABASE_URL`, `REDIS_URL`), as `pnpm test` and CI set it;
 * 2. containers started with testcontainers, when a Docker engine answers;
 * 3. otherwise a clear error that says how to start the local stack.
 */
export interface Servers {
  kafkaBrokers: string[];
  /** A database in which the tests may create and drop schemas. */
  databaseUrl: string;
  redisUrl: string;
  source: "environment" | "testcontainers";
}

export class NoServersError extends Error {
  constructor(reason: string) {
    super(
      [
        "Integration tests need a real Kafka, PostgreSQL and Redis, and none was found.",
        `(${reason})`,
        "Either run the tests through `pnpm test` (it starts the local stack itself), or start it with",
        "`pnpm stack infra-up` and set KAFKA_BROKERS=127.0.0.1:9092,",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tthc_test and REDIS_URL=redis://127.0.0.1:6379/1,",
        "or run them on a machine with a Docker engine (testcontainers).",
      ].join("\n"),
    );
    this.name = "NoServersError";
  }
}

export function serversFromEnv(env: Record<string, string | undefined> = process.env): Servers | undefined {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } = env;
  if (!KAFKA_BROKERS || !DATABASE_URL || !REDIS_URL) return undefined;
  return {
    kafkaBrokers: KAFKA_BROKERS.split(",").map((b) => b.trim()),
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    source: "environment",
  };
}

export interface StartedServers {
  servers: Servers;
  stop(): Promise<void>;
}

/** Starts the three servers in containers; fails fast with NoServersError when no engine answers. */
export async function startContainers(): Promise<StartedServers> {
  const tc = await import("testcontainers");
  try {
    await tc.getContainerRuntimeClient();
  } catch (err) {
    throw new NoServersError(`no Docker engine: ${(err as Error).message.split("\n")[0]}`);
  }
  const [{ KafkaContainer }, { PostgreSqlContainer }, { RedisContainer }] = await Promise.all([
    import("@testcontainers/kafka"),
    import("@testcontainers/postgresql"),
    import("@testcontainers/redis"),
  ]);
  const [kafka, postgres, redis] = await Promise.all([
    new KafkaContainer("confluentinc/cp-kafka:7.9.0").withKraft().start(),
    new PostgreSqlContainer("postgres:16-alpine").withDatabase("tthc_test").start(),
    new RedisContainer("redis:7-alpine").start(),
  ]);
  return {
    servers: {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      databaseUrl: postgres.getConnectionUri(),
      redisUrl: redis.getConnectionUrl(),
      source: "testcontainers",
    },
    async stop() {
      await Promise.allSettled([kafka.stop(), postgres.stop(), redis.stop()]);
    },
  };
}
