import type { Logger, Pool, PoolClient } from "@tthc/service-kit";
import { ALERTS_CHANNEL, type AlertRow, listAlerts } from "../store/alerts.js";

interface Subscriber {
  unit: string | undefined;
  lastId: bigint;
  send: (a: AlertRow) => void;
  busy: Promise<void>;
}

/**
 * Live alerts for SSE clients, from the monitor's own table: one LISTEN connection per instance,
 * woken by the notification sent after alerts commit, and a look at the newest alert id every
 * `pollMs` for alerts whose raiser could not send one after its commit (the rate alert, raised in
 * a consumer's transaction). Every subscriber then reads the rows after the last one it sent, so
 * nothing is skipped or sent twice whichever instance raised the alert.
 */
export class AlertStream {
  private listener: PoolClient | null = null;
  private listening: Promise<void> | null = null;
  private poller: NodeJS.Timeout | null = null;
  private newest = -1n;
  private closed = false;
  private readonly subs = new Set<Subscriber>();

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly pollMs = 1_000,
  ) {}

  async subscribe(q: { unit: string | undefined; afterId: string }, send: (a: AlertRow) => void) {
    await this.listen();
    let start = BigInt(q.afterId);
    if (start < 0n) {
      const { rows } = await this.pool.query<{ id: string }>(
        "SELECT coalesce(max(id), 0)::text AS id FROM alerts",
      );
      start = BigInt(rows[0]?.id ?? "0");
    }
    const sub: Subscriber = { unit: q.unit, lastId: start, send, busy: Promise.resolve() };
    this.subs.add(sub);
    this.pull(sub);
    return () => {
      this.subs.delete(sub);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.listening?.catch(() => {});
    const l = this.listener;
    this.listener = null;
    if (l) {
      await l.query(`UNLISTEN ${ALERTS_CHANNEL}`).catch(() => {});
      l.release();
    }
  }

  private listen(): Promise<void> {
    // One connection, taken once even when two clients subscribe at once; close() waits for it,
    // so a subscription racing a shutdown cannot leave it checked out.
    this.listening ??= this.openListener();
    return this.listening;
  }

  private async openListener(): Promise<void> {
    if (this.closed) return;
    const client = await this.pool.connect();
    if (this.closed) {
      client.release();
      return;
    }
    this.listener = client;
    client.on("notification", () => {
      for (const s of this.subs) this.pull(s);
    });
    client.on("error", (err) => this.logger.warn({ err }, "alert listener failed"));
    await client.query(`LISTEN ${ALERTS_CHANNEL}`);
    this.poller = setInterval(() => void this.poll(), this.pollMs);
    this.poller.unref();
  }

  /** Wakes the subscribers when an alert newer than the last look was committed. */
  private async poll(): Promise<void> {
    if (this.subs.size === 0) return;
    try {
      const { rows } = await this.pool.query<{ id: string }>(
        "SELECT coalesce(max(id), 0)::text AS id FROM alerts",
      );
      const newest = BigInt(rows[0]?.id ?? "0");
      if (newest === this.newest) return;
      this.newest = newest;
      for (const s of this.subs) if (s.lastId < newest) this.pull(s);
    } catch (err) {
      this.logger.warn({ err }, "alert stream poll failed");
    }
  }

  private pull(sub: Subscriber): void {
    sub.busy = sub.busy.then(async () => {
      try {
        for (;;) {
          const rows = await listAlerts(this.pool, {
            unit: sub.unit,
            afterId: sub.lastId.toString(),
            limit: 200,
          });
          for (const a of rows) {
            sub.lastId = BigInt(a.id);
            if (this.subs.has(sub)) sub.send(a);
          }
          if (rows.length < 200) return;
        }
      } catch (err) {
        this.logger.warn({ err }, "alert stream read failed");
      }
    });
  }
}
