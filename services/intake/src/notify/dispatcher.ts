import { type Logger, type Pool, withTransaction } from "@tthc/service-kit";
import type { NotifyChannel } from "../domain/notifications.js";
import {
  claimDueNotifications,
  type DueNotification,
  recordNotificationAttempt,
} from "../store/notifications.js";
import { type NotificationSender, SendError } from "./senders.js";

/** Backoff before attempt n+1 (n ≥ 1): doubling from `baseMs`, capped at an hour. */
export function notifyBackoffMs(attempts: number, baseMs: number): number {
  return Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface DispatcherOptions {
  pool: Pool;
  logger: Logger;
  senders: readonly NotificationSender[];
  maxAttempts: number;
  backoffMs: number;
  /** Time limit of one send; a claim lasts longer than it, so no other instance sends meanwhile. */
  timeoutMs: number;
  /** How long to wait when nothing was due. */
  pollIntervalMs: number;
  /** Notifications claimed and sent at a time. */
  batchSize?: number;
  /** How long a claim keeps other instances off a row; by default well past one send's time limit. */
  leaseMs?: number;
}

/**
 * Sends the notification outbox through the configured senders: claims due rows of the channels it
 * has a sender for, sends each, and records the attempt (sent; pending again after a backoff; failed
 * after `maxAttempts` or a permanent refusal). A claim is a lease in the row itself, so a restart or
 * a second instance resumes where a dead one left off. `stop()` lets the batch in hand finish.
 */
export class NotificationDispatcher {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly byChannel: Map<NotifyChannel, NotificationSender>;

  constructor(private readonly o: DispatcherOptions) {
    this.byChannel = new Map(o.senders.map((s) => [s.channel, s]));
  }

  start(): void {
    if (this.running || this.byChannel.size === 0) return;
    this.running = true;
    this.loop = this.run();
  }

  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    await Promise.allSettled(this.o.senders.map((s) => s.close()));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.sendDue();
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message }, "notification sender failed; retrying");
      }
      if (handled === 0 && this.running) await this.sleep(this.o.pollIntervalMs);
    }
  }

  /** Claims what is due now and sends it; returns how many were claimed. */
  async sendDue(): Promise<number> {
    const lease = this.o.leaseMs ?? this.o.timeoutMs * 2 + 10_000;
    const due = await withTransaction(this.o.pool, (tx) =>
      claimDueNotifications(tx, [...this.byChannel.keys()], this.o.batchSize ?? 20, lease),
    );
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(d: DueNotification): Promise<void> {
    const sender = this.byChannel.get(d.channel);
    if (!sender) return;
    let error: SendError | null = null;
    try {
      await sender.send({
        id: d.id,
        channel: d.channel,
        kind: d.kind,
        to: d.recipient,
        subject: d.subject,
        body: d.body,
      });
    } catch (err) {
      error = err instanceof SendError ? err : new SendError((err as Error).message, false);
    }
    const attempts = d.attempts + 1;
    const status =
      error === null ? "sent" : error.permanent || attempts >= this.o.maxAttempts ? "failed" : "pending";
    if (error)
      this.o.logger.warn(
        { notification: d.id, channel: d.channel, attempts, status, err: error.message },
        "notification not sent",
      );
    await recordNotificationAttempt(this.o.pool, {
      id: d.id,
      status,
      error: error?.message ?? null,
      retryInMs: notifyBackoffMs(attempts, this.o.backoffMs),
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
