import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Registry } from "prom-client";
import type { BusClient } from "./client.js";
import { BusConsumer, type IncomingBatch, type IncomingMessage } from "./consumer.js";
import { sendToDeadLetters } from "./dead-letters.js";
import { isTransient, PermanentError } from "./errors.js";
import type { Decoder } from "./messages.js";
import { busMetrics } from "./metrics.js";
import { BusProducer } from "./producer.js";

/** One record handed to a handler: the validated value, its id and where it came from. */
export interface Delivery<T> {
  value: T;
  id: string;
  message: IncomingMessage;
}

/**
 * Applies a run of records inside the transaction `tx`, which also records their ids as handled.
 * Each record reaches the handler once: redelivered copies are dropped before it is called.
 */
export type DeliveryHandler<T> = (deliveries: Delivery<T>[], tx: pg.PoolClient) => Promise<void>;

export interface IdempotentConsumerOptions<T> {
  client: BusClient;
  pool: pg.Pool;
  /** The consumer's name: its consumer group, and its key in `bus_handled`. */
  name: string;
  topics: string[];
  decoder: Decoder<T>;
  handle: DeliveryHandler<T>;
  /** Attempts for a record whose handler throws, before it goes to the dead-letter topic. */
  maxAttempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  commitIntervalMs?: number;
  /** Most records applied in one transaction (a batch is cut into runs of at most this many). */
  maxRunSize?: number;
  registry?: Registry;
}

/**
 * A consumer whose effects happen exactly once although delivery is at least once: each run of
 * records is applied in one PostgreSQL transaction that also inserts their ids into `bus_handled`,
 * and offsets are committed only after that transaction. A record that does not parse, or whose
 * handler keeps failing, goes to `<topic>.dlq` with the error, and the partition goes on.
 * Database and network failures are retried until they pass: they are not the record's fault.
 */
export class IdempotentConsumer<T> {
  private readonly consumer: BusConsumer;
  private readonly producer: BusProducer;
  private readonly metrics;
  private stopping = false;

  constructor(private readonly options: IdempotentConsumerOptions<T>) {
    this.consumer = new BusConsumer(options.client, {
      groupId: options.name,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      sessionTimeoutMs: options.sessionTimeoutMs,
      commitIntervalMs: options.commitIntervalMs,
    });
    this.producer = new BusProducer(options.client);
    this.metrics = busMetrics(options.registry);
  }

  /** kafkajs instrumentation events (GROUP_JOIN, ...), for tests and diagnostics. */
  get instrumentation() {
    return { on: this.consumer.on, events: this.consumer.events };
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.consumer.start((batch) => this.onBatch(batch));
  }

  /** Finishes the run in hand, commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.stop();
    await this.producer.disconnect();
  }

  private async onBatch(batch: IncomingBatch): Promise<string | undefined> {
    const { name, decoder } = this.options;
    let done: string | undefined;
    let run: Delivery<T>[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const applied = await this.applyRun(run, batch);
      if (applied) done = run[run.length - 1]!.message.offset;
      run = [];
      return applied;
    };
    for (const message of batch.messages) {
      if (this.stopping || batch.isStale()) break;
      const decoded = decoder.decode(message.value, message.key);
      if (!decoded.ok) {
        if ((await flush()) === false) return done;
        await sendToDeadLetters(this.producer, name, message, "invalid", decoded.error.message);
        this.metrics.deadLetters.inc({ topic: message.topic, consumer: name, reason: "invalid" });
        this.options.client.logger.warn(
          { consumer: name, topic: message.topic, offset: message.offset, error: decoded.error.message },
          "invalid record sent to the dead-letter topic",
        );
        done = message.offset;
        continue;
      }
      run.push({ value: decoded.value, id: decoder.idOf(decoded.value), message });
      if (run.length >= (this.options.maxRunSize ?? 500) && (await flush()) === false) return done;
    }
    await flush();
    const last = batch.messages[batch.messages.length - 1];
    if (last) {
      this.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition), consumer: name },
        Math.max(0, Number(batch.highWatermark) - Number(done ?? last.offset) - 1),
      );
    }
    return done;
  }

  /**
   * Applies a run in one transaction; if the handler fails on it, applies its records one by one
   * so that only the failing record goes to the dead-letter topic. False when the run was
   * abandoned (shutdown or rebalance during an outage): nothing after it may be committed.
   */
  private async applyRun(run: Delivery<T>[], batch: IncomingBatch): Promise<boolean> {
    const outcome = await this.withRetries(run, batch, run.length === 1 ? undefined : 1);
    // A single record that failed has been dead-lettered by withRetries: the partition goes on.
    if (outcome !== "failed" || run.length === 1) return outcome !== "abandoned";
    for (const one of run) {
      if ((await this.withRetries([one], batch)) === "abandoned") return false;
      await batch.heartbeat();
    }
    return true;
  }

  private async withRetries(
    run: Delivery<T>[],
    batch: IncomingBatch,
    attemptsForRun?: number,
  ): Promise<"applied" | "failed" | "abandoned"> {
    const { maxAttempts = 5, backoffMs = 100, maxBackoffMs = 5_000, name } = this.options;
    const attempts = attemptsForRun ?? maxAttempts;
    let failures = 0;
    let outages = 0;
    for (;;) {
      try {
        await this.apply(run);
        return "applied";
      } catch (err) {
        if (isTransient(err)) {
          outages++;
          this.metrics.retries.inc({ consumer: name, kind: "transient" });
          this.options.client.logger.warn(
            { consumer: name, err: (err as Error).message, attempt: outages },
            "transient failure; retrying",
          );
          if (this.stopping || batch.isStale()) return "abandoned";
          await sleep(Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(outages, 10)));
          await batch.heartbeat().catch(() => {});
          continue;
        }
        failures++;
        if (failures < attempts && !(err instanceof PermanentError)) {
          this.metrics.retries.inc({ consumer: name, kind: "failing" });
          await sleep(Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1)));
          continue;
        }
        if (run.length > 1) return "failed";
        const one = run[0]!;
        await sendToDeadLetters(
          this.producer,
          name,
          one.message,
          "failed",
          (err as Error).stack ?? String(err),
        );
        this.metrics.deadLetters.inc({ topic: one.message.topic, consumer: name, reason: "failed" });
        this.options.client.logger.error(
          { consumer: name, topic: one.message.topic, offset: one.message.offset, id: one.id, err },
          "record kept failing; sent to the dead-letter topic",
        );
        return "failed";
      }
    }
  }

  private async apply(run: Delivery<T>[]): Promise<void> {
    const { pool, name, handle } = this.options;
    const started = process.hrtime.bigint();
    const tx = await pool.connect();
    try {
      await tx.query("BEGIN");
      const { rows } = await tx.query<{ message_id: string }>(
        `INSERT INTO bus_handled (consumer, message_id)
         SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING message_id`,
        [name, run.map((d) => d.id)],
      );
      const fresh = new Set(rows.map((r) => r.message_id));
      const firstDeliveries = run.filter((d) => fresh.delete(d.id));
      if (firstDeliveries.length > 0) await handle(firstDeliveries, tx);
      await tx.query("COMMIT");
      tx.release();
      const topic = run[0]!.message.topic;
      this.metrics.consumed.inc({ topic, consumer: name }, firstDeliveries.length);
      if (firstDeliveries.length < run.length) {
        this.metrics.duplicates.inc({ topic, consumer: name }, run.length - firstDeliveries.length);
      }
      this.metrics.handlerSeconds.observe(
        { consumer: name },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    } catch (err) {
      await tx.query("ROLLBACK").catch(() => {});
      tx.release(isTransient(err) ? (err as Error) : undefined);
      throw err;
    }
  }
}
