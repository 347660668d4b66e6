import { type Logger, type Pool, withTransaction } from "@tthc/service-kit";
import { claimDue, type DueDelivery, recordAttempt } from "../store/webhooks.js";
import { postTo } from "./post.js";
import { signedHeaders } from "./signing.js";
import { type AllowEntry, checkTarget, type Resolver, systemResolver } from "./targets.js";

/** Backoff before attempt n+1 (n ≥ 1): doubling from `baseMs`, capped at an hour. */
export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryOptions {
  pool: Pool;
  logger: Logger;
  maxAttempts: number;
  backoffMs: number;
  /** Time limit of one attempt, connection to answer. */
  timeoutMs: number;
  /** Addresses the operator opens to webhooks although they are inside (targets.ts). */
  allow: readonly AllowEntry[];
  /** Endpoints this instance calls at once, at most. */
  concurrency?: number;
  resolve?: Resolver;
  now?: () => number;
}

/** The JSON a webhook receives. */
export function deliveryBody(d: DueDelivery): string {
  return JSON.stringify({
    alertId: d.alert_id,
    kind: d.kind,
    unitCode: d.unit_code,
    raisedAt: d.raised_at.toISOString(),
    alert: d.body,
  });
}

/**
 * Delivers pending webhook calls. Each endpoint has at most one call in flight, and endpoints do
 * not wait on each other: a slow or dead receiver delays only its own deliveries. Each attempt
 * checks the target again, signs with its own timestamp, and is recorded at its own instant in a
 * transaction of its own; a failure is retried with backoff until `maxAttempts`, under the same
 * `webhook-id`.
 */
export class WebhookDelivery {
  private running = false;
  private done: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly o: DeliveryOptions) {
    this.now = o.now ?? Date.now;
  }

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
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let started = 0;
      try {
        started = await this.startSome();
      } catch (err) {
        this.o.logger.warn({ err }, "webhook delivery failed");
      }
      if (started === 0 && this.running) {
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

  /** Claims due deliveries of idle endpoints and starts them; returns how many started. */
  async startSome(): Promise<number> {
    const free = (this.o.concurrency ?? 64) - this.inFlight.size;
    if (free <= 0) return 0;
    const lease = this.o.timeoutMs * 2 + 10_000;
    const due = await withTransaction(this.o.pool, (tx) =>
      claimDue(tx, [...this.inFlight.keys()], free * 4, lease),
    );
    for (const d of due.slice(0, free)) {
      const run = this.attempt(d)
        .catch((err) => this.o.logger.warn({ err, delivery: d.id }, "webhook attempt not recorded"))
        .finally(() => {
          this.inFlight.delete(d.webhook_id);
          this.nudge();
        });
      this.inFlight.set(d.webhook_id, run);
    }
    return Math.min(due.length, free);
  }

  private async attempt(d: DueDelivery): Promise<void> {
    const started = this.now();
    const body = deliveryBody(d);
    const url = new URL(d.url);
    const target = await checkTarget(url, this.o.allow, this.o.resolve ?? systemResolver);
    const outcome = target.ok
      ? await postTo(
          url,
          target.address,
          target.port,
          { ...signedHeaders(d.secret, d.message_id, started, body), "x-alert-id": d.alert_id },
          body,
          this.o.timeoutMs,
        )
      : ({ statusCode: null, error: "target-refused" } as const);
    const attempts = d.attempts + 1;
    const status =
      outcome.error === null ? "delivered" : attempts >= this.o.maxAttempts ? "failed" : "pending";
    await withTransaction(this.o.pool, (tx) =>
      recordAttempt(tx, {
        deliveryId: d.id,
        attemptedAt: new Date(started),
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: Math.max(0, Math.round(this.now() - started)),
        status,
        retryInMs: backoffMs(attempts, this.o.backoffMs),
      }),
    );
  }
}
