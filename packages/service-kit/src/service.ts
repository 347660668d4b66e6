import {
  BusAdmin,
  type BusClient,
  busMetrics,
  createBusClient,
  type Decoder,
  type DeliveryHandler,
  ensureBusTables,
  IdempotentConsumer,
  OutboxRelay,
} from "@tthc/bus";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { z } from "zod";
import { verifierFromConfig } from "./auth.js";
import { type Clock, clockFromConfig } from "./clock.js";
import { type BaseConfig, ConfigError, loadConfig } from "./config.js";
import { createHttpApp, type HttpApp } from "./http.js";
import { createLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";
import { migrate } from "./migrate.js";
import { createPool } from "./postgres.js";
import { createRedis, type Redis } from "./redis.js";

export interface ServiceContext<C extends BaseConfig> {
  readonly name: string;
  readonly config: C;
  /** The one source of "now" for business instants (see clock.ts). */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly pool: Pool;
  readonly redis: Redis;
  readonly bus: BusClient;
  readonly app: HttpApp;
  /** Work to begin once the service listens (consumers, relays, timers), in registration order. */
  onStart(name: string, fn: () => Promise<void>): void;
  /** Work to end at shutdown, after HTTP has stopped taking requests; run in reverse order. */
  onShutdown(name: string, fn: () => Promise<void>): void;
  /**
   * Publishes the service's outbox (events written with `enqueue` in its transactions) while the
   * service runs. Call once in `setup` if the service produces.
   */
  publishOutbox(options?: { pollIntervalMs?: number }): OutboxRelay;
  /** An idempotent consumer that runs while the service runs (started after listen, stopped at shutdown). */
  consume<T>(options: {
    name: string;
    topics: string[];
    decoder: Decoder<T>;
    handle: DeliveryHandler<T>;
    fromBeginning?: boolean;
    maxAttempts?: number;
  }): IdempotentConsumer<T>;
}

export interface ServiceDefinition<C extends BaseConfig> {
  name: string;
  description: string;
  configSchema: z.ZodType<C>;
  /** Folder of `NNN_name.sql` files applied to the service's schema at start. */
  migrationsDir?: string;
  /** Adds routes, consumers and workers to the context. */
  setup(ctx: ServiceContext<C>): Promise<void>;
}

export interface RunningService<C extends BaseConfig> {
  ctx: ServiceContext<C>;
  /** Listens on HOST:PORT (PORT=0 picks a free one) and starts the workers; returns the base URL. */
  start(): Promise<string>;
  /** Graceful: stop taking requests, finish in-flight work, stop workers (consumers commit), close. */
  stop(): Promise<void>;
}

export interface BuildOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Overrides the clock the configuration asks for (`CLOCK`): tests share one ManualClock. */
  clock?: Clock;
}

/**
 * Builds a whole service from its definition and the environment, without listening: `main.ts`
 * starts it, and tests build the same thing with their own environment.
 */
export async function buildService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  options: BuildOptions = {},
): Promise<RunningService<C>> {
  const config = loadConfig(def.configSchema, def.name, options.env ?? process.env) as C;
  const logger = options.logger ?? createLogger(def.name, config.LOG_LEVEL);
  const clock = options.clock ?? clockFromConfig(config);
  const registry = createMetricsRegistry(def.name);
  // The bus's metrics are on every service's /metrics from the start, its consumers started or not.
  busMetrics(registry);
  const pool = createPool({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    max: config.DATABASE_POOL_MAX,
    applicationName: def.name,
  });
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  const bus = createBusClient({
    brokers: config.KAFKA_BROKERS,
    clientId: def.name,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger: logger.child({ component: "kafka" }),
  });
  const admin = new BusAdmin(bus);

  const app = await createHttpApp({
    service: def.name,
    description: def.description,
    logger,
    registry,
    verifyToken: verifierFromConfig(config),
    readiness: {
      postgres: async () => (await pool.query("SELECT 1")).rowCount === 1,
      redis: async () => (await redis.ping()) === "PONG",
      kafka: () => admin.ping(2_000),
    },
  });

  const starters: { name: string; fn: () => Promise<void> }[] = [];
  const stoppers: { name: string; fn: () => Promise<void> }[] = [];
  const ctx: ServiceContext<C> = {
    name: def.name,
    config,
    clock,
    logger,
    registry,
    pool,
    redis,
    bus,
    app,
    onStart: (name, fn) => starters.push({ name, fn }),
    onShutdown: (name, fn) => stoppers.push({ name, fn }),
    publishOutbox(options = {}) {
      const relay = new OutboxRelay({ client: bus, pool, name: def.name, registry, ...options });
      ctx.onStart("outbox relay", () => relay.start());
      ctx.onShutdown("outbox relay", () => relay.stop());
      return relay;
    },
    consume(options) {
      const consumer = new IdempotentConsumer({ client: bus, pool, registry, ...options });
      ctx.onStart(`consumer ${options.name}`, () => consumer.start());
      ctx.onShutdown(`consumer ${options.name}`, () => consumer.stop());
      return consumer;
    },
  };

  await def.setup(ctx);

  let stopping: Promise<void> | undefined;
  return {
    ctx,
    async start() {
      if (def.migrationsDir) {
        const applied = await migrate(pool, config.DATABASE_SCHEMA, def.migrationsDir);
        if (applied.length) logger.info({ applied, schema: config.DATABASE_SCHEMA }, "migrations applied");
      }
      await ensureBusTables(pool);
      await redis
        .connect()
        .catch((err: Error) => logger.warn({ err: err.message }, "redis not reachable yet"));
      const url = await app.listen({ host: config.HOST, port: config.PORT });
      for (const s of starters) {
        await s.fn();
        logger.info({ worker: s.name }, "started");
      }
      logger.info({ url }, `${def.name} listening`);
      return url;
    },
    stop() {
      stopping ??= (async () => {
        await app.close();
        for (const s of [...stoppers].reverse()) {
          try {
            logger.debug({ worker: s.name }, "stopping");
            await s.fn();
          } catch (err) {
            logger.error({ err, worker: s.name }, "error while stopping");
          }
        }
        // pool.end() waits for every checked-out client: a worker that leaked one must not hold
        // the shutdown hostage, so it gets a few seconds and a warning naming the count.
        const checkedOut = pool.totalCount - pool.idleCount;
        const ended = Promise.allSettled([pool.end(), redis.quit()]);
        const timedOut = await Promise.race([
          ended.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), 5_000).unref()),
        ]);
        if (timedOut) logger.warn({ checkedOut }, "database clients still checked out at shutdown");
      })();
      return stopping;
    },
  };
}

/**
 * The entry point of a service process: build, start, and stop gracefully on SIGTERM or SIGINT
 * (a second signal, or the shutdown timeout, exits at once).
 */
export async function runService<C extends BaseConfig>(def: ServiceDefinition<C>): Promise<void> {
  let service: RunningService<C>;
  try {
    service = await buildService(def);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const { logger, config } = service.ctx;
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out: exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    service.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("unhandledRejection", (err) => {
    logger.fatal({ err }, "unhandled rejection");
    process.exit(1);
  });
  try {
    await service.start();
  } catch (err) {
    logger.fatal({ err }, "start-up failed");
    await service.stop().catch(() => {});
    process.exit(1);
  }
}
