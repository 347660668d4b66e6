import type { Pool, PoolClient } from "@tthc/service-kit";
import { unitsBelowPattern } from "@tthc/service-kit";
import type { WebhookAlertKind } from "./alerts.js";

/** Webhooks, their deliveries (one per webhook and alert) and every attempt. */

export interface WebhookRow {
  id: string;
  url: string;
  unit_code: string | null;
  kinds: WebhookAlertKind[];
  created_at: Date;
}

export async function insertWebhook(
  pool: Pool,
  w: { id: string; url: string; secret: string; unitCode: string; kinds: string[] },
): Promise<WebhookRow> {
  const { rows } = await pool.query<WebhookRow>(
    `INSERT INTO webhooks (id, url, secret, unit_code, kinds) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, url, unit_code, kinds, created_at`,
    [w.id, w.url, w.secret, w.unitCode, w.kinds],
  );
  return rows[0] as WebhookRow;
}

/** Webhooks of `unit` and the units under it; every webhook when `unit` is null (an admin). */
export async function listWebhooks(pool: Pool, unit: string | null): Promise<WebhookRow[]> {
  const { rows } = await pool.query<WebhookRow>(
    `SELECT id, url, unit_code, kinds, created_at FROM webhooks
     WHERE $1::text IS NULL OR unit_code = $1 OR unit_code LIKE $2
     ORDER BY created_at, id`,
    [unit, unit === null ? null : unitsBelowPattern(unit)],
  );
  return rows;
}

/** The unit a webhook belongs to: undefined when there is no such webhook, null for one without a unit. */
export async function webhookUnit(pool: Pool, id: string): Promise<string | null | undefined> {
  const { rows } = await pool.query<{ unit_code: string | null }>(
    "SELECT unit_code FROM webhooks WHERE id = $1",
    [id],
  );
  return rows[0] === undefined ? undefined : rows[0].unit_code;
}

export async function deleteWebhook(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query("DELETE FROM webhooks WHERE id = $1", [id]);
  return (rowCount ?? 0) > 0;
}

export async function listAttempts(pool: Pool, webhookId: string) {
  const { rows } = await pool.query<{
    id: string;
    alertId: string;
    deliveryId: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    attemptedAt: Date;
    statusCode: number | null;
    error: "http-status" | "redirect" | "timeout" | "network" | "target-refused" | null;
    durationMs: number | null;
  }>(
    `SELECT a.id::text, d.alert_id::text AS "alertId", d.message_id::text AS "deliveryId", d.status, d.attempts,
       a.attempted_at AS "attemptedAt", a.status_code AS "statusCode", a.error, a.duration_ms AS "durationMs"
     FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
     WHERE d.webhook_id = $1 ORDER BY a.id DESC LIMIT 500`,
    [webhookId],
  );
  return rows.map((r) => ({ ...r, attemptedAt: r.attemptedAt.toISOString() }));
}

/** A delivery due now, with what its attempt needs. */
export interface DueDelivery {
  id: string;
  webhook_id: string;
  message_id: string;
  attempts: number;
  url: string;
  secret: string;
  alert_id: string;
  kind: string;
  unit_code: string;
  body: Record<string, unknown>;
  raised_at: Date;
}

/**
 * Claims due deliveries, at most one per webhook and none of the `busy` webhooks, by moving their
 * next attempt `leaseMs` ahead: another instance leaves them alone, and a delivery whose instance
 * dies mid-attempt is due again once the lease runs out (with the same `webhook-id`).
 */
export async function claimDue(
  tx: PoolClient,
  busy: readonly string[],
  limit: number,
  leaseMs: number,
): Promise<DueDelivery[]> {
  const { rows } = await tx.query<DueDelivery>(
    `SELECT d.id::text, d.webhook_id::text, d.message_id::text, d.attempts, w.url, w.secret, a.id::text AS alert_id,
       a.kind, a.unit_code, a.body, a.raised_at
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN alerts a ON a.id = d.alert_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND NOT (d.webhook_id = ANY($1::uuid[]))
     ORDER BY d.next_attempt_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
    [busy, limit],
  );
  const seen = new Set<string>();
  const picked = rows.filter((r) => !seen.has(r.webhook_id) && seen.add(r.webhook_id));
  if (picked.length > 0)
    await tx.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = ANY($1::bigint[])`,
      [picked.map((p) => p.id), leaseMs],
    );
  return picked;
}

/** Records one attempt at its own instant, and the delivery's next state. Nothing if the webhook went meanwhile. */
export async function recordAttempt(
  tx: PoolClient,
  a: {
    deliveryId: string;
    attemptedAt: Date;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    status: "delivered" | "failed" | "pending";
    retryInMs: number;
  },
): Promise<void> {
  const { rowCount } = await tx.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`,
    [a.deliveryId, a.status, a.retryInMs],
  );
  if (!rowCount) return;
  await tx.query(
    `INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5)`,
    [a.deliveryId, a.attemptedAt, a.statusCode, a.error, a.durationMs],
  );
}
