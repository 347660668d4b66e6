import { createHmac } from "node:crypto";
import type { Logger, Pool } from "@tthc/service-kit";

/** `sha256=<hex HMAC-SHA256 of the exact body>` with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Backoff before attempt n+1 (n ≥ 1): doubling from `baseMs`, capped at an hour. */
export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

interface Pending {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  alert_id: string;
  kind: string;
  unit_code: string;
  body: Record<string, unknown>;
  raised_at: Date;
}

export interface DeliveryOptions {
  pool: Pool;
  logger: Logger;
  maxAttempts: number;
  backoffMs: number;
  timeoutMs?: number;
}

/**
 * Delivers pending webhook calls: each attempt is recorded; a failure is retried with backoff until
 * `maxAttempts`. Rows are claimed with SKIP LOCKED so that instances never post the same delivery at once.
 */
export class WebhookDelivery {
  private running = false;
  private done: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly o: DeliveryOptions) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.deliverSome(20);
      } catch (err) {
        this.o.logger.warn({ err }, "webhook delivery failed");
      }
      if (worked === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 250);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
  }

  /** Attempts up to `limit` due deliveries; returns how many were attempted. */
  async deliverSome(limit: number): Promise<number> {
    const tx = await this.o.pool.connect();
    try {
      await tx.query("BEGIN");
      const { rows } = await tx.query<Pending>(
        `SELECT d.id::text, d.attempts, w.url, w.secret, a.id::text AS alert_id, a.kind, a.unit_code, a.body, a.raised_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN alerts a ON a.id = d.alert_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
         ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
        [limit],
      );
      for (const p of rows) {
        const body = JSON.stringify({
          alertId: p.alert_id,
          kind: p.kind,
          unitCode: p.unit_code,
          raisedAt: p.raised_at.toISOString(),
          alert: p.body,
        });
        const started = Date.now();
        let statusCode: number | null = null;
        let error: string | null = null;
        try {
          const res = await fetch(p.url, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-signature": signature(p.secret, body),
              "x-alert-id": p.alert_id,
            },
            body,
            signal: AbortSignal.timeout(this.o.timeoutMs ?? 5_000),
          });
          statusCode = res.status;
          await res.arrayBuffer().catch(() => undefined);
          if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
        } catch (err) {
          error = (err as Error).message;
        }
        const attempts = p.attempts + 1;
        const status = error === null ? "delivered" : attempts >= this.o.maxAttempts ? "failed" : "pending";
        await tx.query(
          "INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms) VALUES ($1, $2, $3, $4)",
          [p.id, statusCode, error, Date.now() - started],
        );
        await tx.query(
          `UPDATE webhook_deliveries SET attempts = $2, status = $3,
             next_attempt_at = now() + make_interval(secs => $4::double precision / 1000) WHERE id = $1`,
          [p.id, attempts, status, backoffMs(attempts, this.o.backoffMs)],
        );
      }
      await tx.query("COMMIT");
      return rows.length;
    } catch (err) {
      await tx.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      tx.release();
    }
  }
}
