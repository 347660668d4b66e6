import { createHash } from "node:crypto";
import type pg from "pg";
import type { Registry } from "prom-client";
import type { BusClient } from "./client.js";
import { busMetrics } from "./metrics.js";
import { OUTBOX_CHANNEL } from "./outbox.js";
import { BusProducer } from "./producer.js";

export interface OutboxRelayOptions {
  client: BusClient;
  pool: pg.Pool;
  /** Names the relay in logs and metrics (the service's name). */
  name: string;
  batchSize?: number;
  /** The longest the relay sleeps when no commit wakes it. */
  pollIntervalMs?: number;
  /** Sent rows are deleted after this long; they are kept a while to make incidents readable. */
  keepSentMs?: number;
  registry?: Registry;
  /** Fault injection for tests: runs after a batch is published and before it is marked sent. */
  afterPublish?: (ids: number[]) => void | Promise<void>;
}

interface Row {
  id: number;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Publishes the outbox in commit order. One relay per schema is active at a time (a PostgreSQL
 * advisory lock held on a dedicated connection), so records of one key leave in the order they
 * were written; others wait and take over when its connection goes. A crash between publish and
 * mark republishes the batch: consumers drop the duplicates by id.
 */
export class OutboxRelay {
  private readonly producer: BusProducer;
  private readonly metrics;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A commit was notified since the last drain began: do not sleep, drain again. */
  private notified = false;
  private leader?: pg.PoolClient;
  private lastPurge = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.producer = new BusProducer(options.client);
    this.metrics = busMetrics(options.registry);
  }

  get isLeader(): boolean {
    return this.leader !== undefined;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in hand is published and marked; releases the leadership. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer.disconnect();
  }

  private async run(): Promise<void> {
    const log = this.options.client.logger;
    while (this.running) {
      try {
        if (!this.leader) {
          await this.acquire();
          if (!this.leader) {
            await this.sleep(2_000);
            continue;
          }
          log.info({ relay: this.options.name }, "outbox relay is the leader");
        }
        // A commit notified while this drain runs is remembered, not lost until the next poll.
        this.notified = false;
        const sent = await this.drainOnce();
        if (sent < (this.options.batchSize ?? 500) && !this.notified) {
          await this.maybePurge();
          await this.sleep(this.options.pollIntervalMs ?? 1_000);
        }
      } catch (err) {
        log.warn({ err: (err as Error).message, relay: this.options.name }, "outbox relay failed; retrying");
        await this.release();
        await this.sleep(1_000);
      }
    }
    await this.release();
  }

  private lockKey(schema: string): string {
    return createHash("sha256").update(`outbox-relay:${schema}`).digest().readBigInt64BE(0).toString();
  }

  private async acquire(): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      const { rows: s } = await client.query<{ schema: string }>("SELECT current_schema() AS schema");
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
        this.lockKey(s[0]!.schema),
      ]);
      if (!rows[0]?.ok) {
        client.release();
        return;
      }
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      client.on("notification", () => {
        this.notified = true;
        this.wake?.();
      });
      // If the leader's connection dies, its lock goes with it; let the loop notice and re-elect.
      client.on("error", () => {
        if (this.leader === client) this.leader = undefined;
      });
      this.leader = client;
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
  }

  private async release(): Promise<void> {
    const leader = this.leader;
    this.leader = undefined;
    if (!leader) return;
    try {
      await leader.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
      await leader.query("SELECT pg_advisory_unlock_all()");
      leader.removeAllListeners("notification");
      leader.release();
    } catch (err) {
      leader.release(err as Error);
    }
  }

  /** Publishes one batch of unsent rows and marks them; returns how many. */
  async drainOnce(): Promise<number> {
    const { pool, batchSize = 500, name } = this.options;
    const { rows } = await pool.query<Row>(
      `SELECT id, topic, key, value, headers FROM bus_outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1`,
      [batchSize],
    );
    this.metrics.outboxPending.set({ relay: name }, rows.length);
    if (rows.length === 0) return 0;
    // Consecutive rows of one topic go in one request; topics alternate in commit order.
    let i = 0;
    while (i < rows.length) {
      const topic = rows[i]!.topic;
      let j = i;
      while (j < rows.length && rows[j]!.topic === topic) j++;
      const slice = rows.slice(i, j);
      await this.producer.send(
        topic,
        slice.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      );
      this.metrics.produced.inc({ topic }, slice.length);
      i = j;
    }
    const ids = rows.map((r) => r.id);
    await this.options.afterPublish?.(ids);
    await pool.query("UPDATE bus_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])", [ids]);
    this.metrics.outboxPublished.inc({ relay: name }, rows.length);
    return rows.length;
  }

  private async maybePurge(): Promise<void> {
    const keep = this.options.keepSentMs ?? 24 * 3600_000;
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.options.pool.query(
      "DELETE FROM bus_outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $1)",
      [keep / 1000],
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
