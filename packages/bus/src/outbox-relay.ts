import { createHash } from "node:crypto";
import type pg from "pg";
import type { Registry } from "prom-client";
import type { BusClient } from "./client.js";
import { busMetrics } from "./metrics.js";
import { BusProducer } from "./producer.js";

export interface OutboxRelayOptions {
  client: BusClient;
  pool: pg.Pool;
  /** Names the relay in logs and metrics (the service's name). */
  name: string;
  /** Rows read and sent at a time. A full batch is followed at once by the next read. */
  batchSize?: number;
  /**
   * How long the relay waits before looking again when its last read found less than a full batch
   * (nothing new, or a gap it must wait out). Short, since nothing wakes it: a committed row waits
   * at most about this long. Default 50 ms.
   */
  pollIntervalMs?: number;
  /** Published rows are deleted after this long; they are kept a while to make incidents readable. */
  keepSentMs?: number;
  registry?: Registry;
  /** Fault injection for tests: runs after a batch is published and before the watermark is saved. */
  afterPublish?: (ids: number[]) => void | Promise<void>;
}

interface Row {
  id: number;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface ReadRow {
  xmin: string;
  last: string | null;
  id: string | null;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** What a publish came to; never a rejected promise, so a failure waits for the loop to see it. */
type Sent = { ok: true } | { ok: false; err: Error };

/**
 * Publishes the outbox in id order and records its progress as a watermark: every id at or below it
 * has been published, or will never exist. One relay per schema is active at a time (a PostgreSQL
 * advisory lock held on a dedicated connection, which also reads and saves the watermark), so
 * records of one key leave in the order they were written; others wait and take over when its
 * connection goes. A crash between publish and saving the watermark republishes the batch:
 * consumers drop the duplicates by id.
 *
 * Ids come from a sequence and commit out of order: a transaction may hold id n uncommitted while
 * n+1 is committed. The relay publishes only the contiguous run of ids above what it has read; at
 * a missing id it stops. A missing id is either still to commit or gone for good (a rollback, or an
 * insert that hit ON CONFLICT DO NOTHING). To tell them apart, the relay notes the largest id it saw
 * in that read, `below`, then takes a fresh xid X (`pg_current_xact_id()`, in a statement of its
 * own after the read). Every missing id under `below` was drawn before `below` was, so before the
 * read, by a transaction that already had its xid (`enqueue` makes sure of that), so an xid smaller
 * than X. Once a later read's snapshot has xmin >= X, all those transactions have ended, and what
 * they committed is in that snapshot: an id under `below` still missing then is skipped. X must be
 * taken after the read, not read off the read's snapshot: a snapshot's xmax is one past the last
 * *completed* xid, and a transaction that got its xid earlier but has not ended may be above it.
 *
 * Reading overlaps sending: batch k+1 is read while batch k is on its way to Kafka; a batch is sent
 * only after the one before it was acknowledged and its watermark saved, so the watermark moves in
 * order, once per batch. A long transaction anywhere in the cluster holds xmin back and so delays
 * publishing past a gap left by a rollback; it never makes the relay skip a row.
 */
export class OutboxRelay {
  private readonly producer: BusProducer;
  private readonly metrics;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private leader?: pg.PoolClient;
  private lastPurge = 0;
  /** The saved watermark, as this leader knows it. */
  private saved = 0;
  /** The last id handed to the sender (read ahead of `saved` while a batch is in flight). */
  private readPos = 0;
  /** A gap being waited out: ids under `below` still missing once xmin >= `xid` are skipped. */
  private gap?: { below: number; xid: bigint };

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
    this.metrics.outboxPublished.inc({ relay: this.options.name }, 0);
    this.loop = this.run();
  }

  /** Stops after the batch in hand is published and its watermark saved; releases the leadership. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer.disconnect();
    this.metrics.outboxPending.remove({ relay: this.options.name });
  }

  private async run(): Promise<void> {
    const log = this.options.client.logger;
    const batchSize = this.options.batchSize ?? 500;
    let sending: Promise<Sent> | undefined;
    while (this.running) {
      try {
        if (!this.leader) {
          await this.acquire();
          if (!this.leader) {
            await this.sleep(2_000);
            continue;
          }
          log.info({ relay: this.options.name, watermark: this.saved }, "outbox relay is the leader");
        }
        const leader = this.leader;
        const rows = await this.read(leader, batchSize);
        if (sending) {
          const sent = await sending;
          sending = undefined;
          if (!sent.ok) throw sent.err;
        }
        if (rows.length > 0) sending = this.publish(leader, rows);
        if (rows.length < batchSize) {
          if (sending) {
            const sent = await sending;
            sending = undefined;
            if (!sent.ok) throw sent.err;
          }
          await this.maybePurge();
          await this.sleep(this.options.pollIntervalMs ?? 50);
        }
      } catch (err) {
        if (sending) await sending;
        sending = undefined;
        log.warn({ err: (err as Error).message, relay: this.options.name }, "outbox relay failed; retrying");
        await this.release();
        await this.sleep(1_000);
      }
    }
    if (sending) {
      const sent = await sending;
      if (!sent.ok) log.warn({ err: sent.err.message, relay: this.options.name }, "outbox relay stopped");
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
        // The leader reports the backlog: a relay that does not lead stops repeating its last figure.
        this.metrics.outboxPending.remove({ relay: this.options.name });
        return;
      }
      // If the leader's connection dies, its lock goes with it; let the loop notice and re-elect.
      client.on("error", (err) => {
        if (this.leader !== client) return;
        this.leader = undefined;
        client.release(err);
      });
      const { rows: w } = await client.query<{ watermark: string }>(
        "SELECT watermark::text FROM bus_relay_state",
      );
      this.saved = Number(w[0]?.watermark ?? 0);
      this.readPos = this.saved;
      this.gap = undefined;
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
      await leader.query("SELECT pg_advisory_unlock_all()");
      leader.removeAllListeners("error");
      leader.release();
    } catch (err) {
      leader.release(err as Error);
    }
  }

  /**
   * Reads the rows above `readPos` and returns the contiguous run of them (skipping the gaps the
   * rule allows); moves `readPos` to its end.
   */
  private async read(db: pg.PoolClient, batchSize: number): Promise<Row[]> {
    // One statement, so the rows and the xmin come from one snapshot.
    const { rows: read } = await db.query<ReadRow>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
              (SELECT max(id) FROM bus_outbox)::text AS last,
              o.id::text AS id, o.topic, o.key, o.value, o.headers
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT id, topic, key, value, headers FROM bus_outbox WHERE id > $1 ORDER BY id LIMIT $2
       ) AS o ON true
       ORDER BY o.id`,
      [this.readPos, batchSize],
    );
    const head = read[0]!;
    const last = Number(head.last ?? 0);
    this.metrics.outboxPending.set({ relay: this.options.name }, Math.max(0, last - this.saved));
    if (head.id === null) return [];
    let skipBelow = 0;
    if (this.gap && BigInt(head.xmin) >= this.gap.xid) {
      skipBelow = this.gap.below;
      this.gap = undefined;
    }
    const out: Row[] = [];
    let expected = this.readPos + 1;
    for (const r of read) {
      const id = Number(r.id);
      if (id !== expected && id > skipBelow) {
        // Missing ids in [expected, id): wait them out, unless a wait already covers them.
        if (!this.gap || expected >= this.gap.below) {
          const below = Number(read.at(-1)!.id);
          const { rows: x } = await db.query<{ xid: string }>("SELECT pg_current_xact_id()::text AS xid");
          this.gap = { below, xid: BigInt(x[0]!.xid) };
        }
        break;
      }
      out.push({ id, topic: r.topic, key: r.key, value: r.value, headers: r.headers });
      expected = id + 1;
    }
    if (out.length > 0) this.readPos = out.at(-1)!.id;
    return out;
  }

  /** Sends a batch (consecutive rows of one topic in one request), then saves the watermark. */
  private async publish(db: pg.PoolClient, rows: Row[]): Promise<Sent> {
    try {
      const { name } = this.options;
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
      await this.options.afterPublish?.(rows.map((r) => r.id));
      const watermark = rows.at(-1)!.id;
      await db.query("UPDATE bus_relay_state SET watermark = $1, updated_at = now() WHERE watermark < $1", [
        watermark,
      ]);
      this.saved = watermark;
      this.metrics.outboxPublished.inc({ relay: name }, rows.length);
      return { ok: true };
    } catch (err) {
      return { ok: false, err: err as Error };
    }
  }

  private async maybePurge(): Promise<void> {
    const keep = this.options.keepSentMs ?? 24 * 3600_000;
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.options.pool.query(
      `DELETE FROM bus_outbox
       WHERE id <= (SELECT watermark FROM bus_relay_state) AND created_at < now() - make_interval(secs => $1)`,
      [keep / 1000],
    );
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
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
