import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { Registry } from "prom-client";
import { BusAdmin } from "./admin.js";
import type { BusClient } from "./client.js";
import { BusConsumer, type IncomingBatch, type IncomingMessage } from "./consumer.js";
import { type DeadLetterReason, sendToDeadLetters } from "./dead-letters.js";
import { isTransient, PermanentError } from "./errors.js";
import { topicLag } from "./lag.js";
import type { Decoder } from "./messages.js";
import { busMetrics, type LagProbe } from "./metrics.js";
import { BusProducer } from "./producer.js";

/** One record handed to a handler: the validated value, its id and where it came from. */
export interface Delivery<T> {
  value: T;
  id: string;
  message: IncomingMessage;
}

/**
 * Applies a run of records of one partition inside the transaction `tx`, which also stores the
 * partition's next offset. A record reaches the handler once per offset; the same event published
 * twice (the relay's retry after a crash: a new offset, the same id) reaches it twice, in separate
 * runs, and must change nothing the second time: every handler is idempotent by construction.
 */
export type DeliveryHandler<T> = (deliveries: Delivery<T>[], tx: pg.PoolClient) => Promise<void>;

export interface IdempotentConsumerOptions<T> {
  client: BusClient;
  pool: pg.Pool;
  /** The consumer's name: its consumer group, and its key in `bus_consumer_offsets`. */
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
  /** Partitions applied at the same time, each in its own transactions (default 3). */
  partitionsConcurrently?: number;
  registry?: Registry;
}

/**
 * A consumer whose effects happen exactly once although delivery is at least once: each run of
 * records of a partition is applied in one PostgreSQL transaction that also stores the partition's
 * next offset in `bus_consumer_offsets` (the pattern Kafka's documentation gives for exactly-once
 * delivery into an external store). On assignment each partition is sought to its stored offset
 * (the earliest record where there is none); a record below it that is delivered anyway is
 * skipped. Offsets are committed to Kafka too, after the transaction, for lag monitoring only:
 * they never decide where the consumer starts. A record that does
 * not parse, or whose handler keeps failing, goes to `<topic>.dlq` with the error, its offset is
 * stored, and the partition goes on. Database and network failures are retried until they pass:
 * they are not the record's fault.
 */
export class IdempotentConsumer<T> {
  private readonly consumer: BusConsumer;
  private readonly producer: BusProducer;
  private readonly metrics;
  private stopping = false;
  /**
   * The next offset per partition ("topic:partition") as this member last read or stored it: where
   * an assigned partition is sought. It may be behind what another member stored since; seeking
   * back only costs fetching records that are then skipped.
   */
  private readonly kept = new Map<string, bigint>();
  private readonly admin: BusAdmin;
  private readonly lagProbe: LagProbe = () => this.measureLag();

  constructor(private readonly options: IdempotentConsumerOptions<T>) {
    this.consumer = new BusConsumer(options.client, {
      groupId: options.name,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      sessionTimeoutMs: options.sessionTimeoutMs,
      commitIntervalMs: options.commitIntervalMs,
      partitionsConcurrently: options.partitionsConcurrently ?? 3,
      startOffsets: (topic, partitions) => this.startOffsets(topic, partitions),
    });
    this.producer = new BusProducer(options.client);
    this.admin = new BusAdmin(options.client);
    this.metrics = busMetrics(options.registry);
  }

  /** kafkajs instrumentation events (GROUP_JOIN, ...), for tests and diagnostics. */
  get instrumentation() {
    return { on: this.consumer.on, events: this.consumer.events };
  }

  async start(): Promise<void> {
    this.stopping = false;
    const { rows } = await this.options.pool.query<{ topic: string; partition: number; next_offset: string }>(
      "SELECT topic, partition, next_offset FROM bus_consumer_offsets WHERE consumer = $1",
      [this.options.name],
    );
    this.kept.clear();
    for (const r of rows) this.kept.set(`${r.topic}:${r.partition}`, BigInt(r.next_offset));
    this.zeroCounters();
    await this.consumer.start((batch) => this.onBatch(batch));
    if (this.options.registry) this.metrics.lagProbes.add(this.lagProbe);
  }

  /** Finishes the run in hand, commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.metrics.lagProbes.delete(this.lagProbe);
    await this.consumer.stop();
    await this.producer.disconnect();
  }

  /**
   * Every series of the consumer's counters exists from its start, at 0: Prometheus' `increase`
   * misses the first count of a series that appears at 1, so the first dead letter would raise no
   * alert.
   */
  private zeroCounters(): void {
    const consumer = this.options.name;
    for (const topic of this.options.topics) {
      this.metrics.consumed.inc({ topic, consumer }, 0);
      this.metrics.duplicates.inc({ topic, consumer }, 0);
      for (const reason of ["invalid", "failed"] satisfies DeadLetterReason[])
        this.metrics.deadLetters.inc({ topic, consumer, reason }, 0);
    }
    for (const kind of ["transient", "failing"]) this.metrics.retries.inc({ consumer, kind }, 0);
  }

  /**
   * The group's lag per topic, for the scrape: the broker's end offsets against the next offsets
   * stored in PostgreSQL by every member (or, while the database does not answer, those this member
   * last read or stored).
   */
  private async measureLag(): Promise<{ consumer: string; topic: string; lag: number }[]> {
    const { name, topics, pool } = this.options;
    const [ends, stored] = await Promise.all([
      this.admin.partitionOffsets(topics),
      pool
        .query<{ topic: string; partition: number; next_offset: string }>(
          "SELECT topic, partition, next_offset::text FROM bus_consumer_offsets WHERE consumer = $1",
          [name],
        )
        .then(({ rows }) => rows.map((r) => [`${r.topic}:${r.partition}`, Number(r.next_offset)] as const))
        .catch(() => [...this.kept].map(([key, next]) => [key, Number(next)] as const)),
    ]);
    const next = new Map(stored);
    return topics.map((topic) => {
      const partitions = ends.get(topic) ?? [];
      const byPartition = new Map<number, number>();
      for (const p of partitions) {
        const n = next.get(`${topic}:${p.partition}`);
        if (n !== undefined) byPartition.set(p.partition, n);
      }
      return {
        consumer: name,
        topic,
        lag: topicLag(partitions, byPartition, this.options.fromBeginning ?? true),
      };
    });
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
        await this.storeOffset(message);
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
        await this.apply(run, batch);
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
        await this.storeOffset(one.message);
        this.metrics.deadLetters.inc({ topic: one.message.topic, consumer: name, reason: "failed" });
        this.options.client.logger.error(
          { consumer: name, topic: one.message.topic, offset: one.message.offset, id: one.id, err },
          "record kept failing; sent to the dead-letter topic",
        );
        return "failed";
      }
    }
  }

  /**
   * Runs of the same partition number, whatever their topic, one at a time: a dossier's records
   * are keyed by its id in every topic of the same partition count, so its `dossier.events` and
   * `sla.events` land on the same number, and a handler never meets its own dossier's row in another
   * open transaction (where one could miss the other's uncommitted insert). Different numbers run
   * side by side.
   */
  private readonly lanes = new Map<number, Promise<void>>();

  private async apply(run: Delivery<T>[], batch: IncomingBatch): Promise<void> {
    const lane = run[0]!.message.partition;
    const before = this.lanes.get(lane) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.lanes.set(lane, mine);
    await before;
    try {
      await this.applyInLane(run, batch);
    } finally {
      if (this.lanes.get(lane) === mine) this.lanes.delete(lane);
      done();
    }
  }

  private async applyInLane(run: Delivery<T>[], batch: IncomingBatch): Promise<void> {
    const { pool, name, handle } = this.options;
    const { topic, partition } = run[0]!.message;
    const last = run[run.length - 1]!.message.offset;
    const started = process.hrtime.bigint();
    const tx = await pool.connect();
    try {
      // Two round trips besides the handler's: the transaction's start with the locked offset
      // read, and the offset's upsert with the commit (simple-protocol statements, so the values
      // are literals: the consumer's and topic's names escaped, the partition and offsets integers).
      // The upsert locks the offset's row even on the partition's first run, which fences a member
      // that lost the partition in a rebalance but is still applying: the second to get the lock
      // sees the first one's offset and skips its records.
      const key = `${tx.escapeLiteral(name)}, ${tx.escapeLiteral(topic)}, ${Math.trunc(partition)}`;
      const begun = (await tx.query(
        `BEGIN; INSERT INTO bus_consumer_offsets (consumer, topic, partition, next_offset)
         VALUES (${key}, 0) ON CONFLICT (consumer, topic, partition)
         DO UPDATE SET next_offset = bus_consumer_offsets.next_offset RETURNING next_offset`,
      )) as unknown as pg.QueryResult<{ next_offset: string }>[];
      const rows = begun[1]!.rows;
      let next = BigInt(rows[0]!.next_offset);
      if (next > BigInt(batch.highWatermark)) {
        // The log is shorter than what was applied: the topic was deleted and created again.
        this.options.client.logger.warn(
          { consumer: name, topic, partition, stored: String(next), highWatermark: batch.highWatermark },
          "stored offset beyond the partition's end: the topic was recreated; applying from its start",
        );
        next = 0n;
      }
      const fresh = firstOfEachId(run.filter((d) => BigInt(d.message.offset) >= next));
      if (fresh.length > 0) await handle(fresh, tx);
      const after = BigInt(last) + 1n;
      const stored = after > next ? after : next;
      await tx.query(
        `INSERT INTO bus_consumer_offsets (consumer, topic, partition, next_offset)
         VALUES (${key}, ${stored})
         ON CONFLICT (consumer, topic, partition)
         DO UPDATE SET next_offset = EXCLUDED.next_offset;
         COMMIT`,
      );
      tx.release();
      this.kept.set(`${topic}:${partition}`, stored);
      this.metrics.consumed.inc({ topic, consumer: name }, fresh.length);
      if (fresh.length < run.length) {
        this.metrics.duplicates.inc({ topic, consumer: name }, run.length - fresh.length);
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

  /** Stores the offset after a record that was dead-lettered, so that it is not sent there again. */
  private async storeOffset(message: IncomingMessage): Promise<void> {
    const after = String(BigInt(message.offset) + 1n);
    await this.options.pool.query(
      `INSERT INTO bus_consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE
       SET next_offset = GREATEST(bus_consumer_offsets.next_offset, EXCLUDED.next_offset)`,
      [this.options.name, message.topic, message.partition, after],
    );
    const key = `${message.topic}:${message.partition}`;
    if ((this.kept.get(key) ?? -1n) < BigInt(after)) this.kept.set(key, BigInt(after));
  }

  /**
   * Where assigned partitions start: the kept offset, or for a partition this consumer never
   * stored one for, the earliest record when it reads from the beginning. Offsets the group
   * committed to Kafka are never used for that: they may belong to tables since emptied (a
   * rebuild's generation started again), and after the upgrade from the handled-ids table a
   * consumer reads its topics once more, which the handlers absorb.
   */
  private startOffsets(topic: string, partitions: number[]): Map<number, string> {
    const out = new Map<number, string>();
    for (const partition of partitions) {
      const next = this.kept.get(`${topic}:${partition}`);
      if (next !== undefined) out.set(partition, String(next));
      else if (this.options.fromBeginning ?? true) out.set(partition, "-2");
    }
    return out;
  }
}

/** A run with each event id once (the first copy): a duplicate in one batch never reaches the handler. */
function firstOfEachId<T>(run: Delivery<T>[]): Delivery<T>[] {
  const seen = new Set<string>();
  return run.filter((d) => {
    if (seen.has(d.id)) return false;
    seen.add(d.id);
    return true;
  });
}
