import { createHash } from "node:crypto";
import { enqueue, eventRecord } from "@tthc/bus";
import type { AnyEvent } from "@tthc/contracts";
import { type Pool, type PoolClient, unitLineage, unitsBelowPattern } from "@tthc/service-kit";
import { ESCALATION_KINDS } from "../domain/escalation.js";

/** The channel on which committed alerts wake the SSE streams of every instance. */
export const ALERTS_CHANNEL = "monitor_alerts";

/**
 * Wakes the SSE streams of every instance: alerts were committed. Sent after the commit, in a
 * statement of its own, never in the transaction that raised them: a NOTIFY queued in a business
 * transaction takes the cluster's notification lock at its commit and serialises every committing
 * writer behind it. A wake-up that is lost (a failure, a raiser that cannot send one) costs a poll
 * interval of the streams (src/http/alert-stream.ts), not an alert.
 */
export async function announceAlerts(db: Pool | PoolClient): Promise<void> {
  await db.query("SELECT pg_notify($1, '')", [ALERTS_CHANNEL]);
}

/**
 * What an alert says, the closed list: a dossier's or a submission's deadline near or past, a
 * unit's rate too low, a step of an overdue dossier's escalation (src/domain/escalation.ts).
 */
export const ALERT_KINDS = [
  "due-soon",
  "overdue",
  "acceptance-due-soon",
  "acceptance-overdue",
  "on-time-rate-below",
  ...ESCALATION_KINDS,
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The kinds a webhook may ask for (an acceptance deadline's alerts come as `due-soon` and `overdue`). */
export const WEBHOOK_ALERT_KINDS = [
  "overdue",
  "due-soon",
  "on-time-rate-below",
  ...ESCALATION_KINDS,
] as const;
export type WebhookAlertKind = (typeof WEBHOOK_ALERT_KINDS)[number];

export interface AlertInput {
  key: string;
  kind: AlertKind;
  dossierId: string | null;
  dossierCode: string | null;
  unitCode: string;
  dueAt: string | null;
  lagMs: number | null;
  /** When it is raised, by the service's clock. */
  raisedAt: Date;
  event: AnyEvent | null;
  body: Record<string, unknown>;
}

export interface AlertRow {
  id: string;
  kind: AlertKind;
  dossierId: string | null;
  dossierCode: string | null;
  unitCode: string;
  dueAt: string | null;
  raisedAt: string;
  eventId: string | null;
  body: Record<string, unknown>;
}

/** A UUID derived from a key, so that an alert rebuilt from the same key is the same event. */
export function uuidFromKey(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "0", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Raises an alert once per key: the row, its event in the outbox and its webhook deliveries all
 * commit with the caller's transaction, or none does; the caller wakes the streams after its commit
 * (`announceAlerts`). Null when the key was already raised (another instance, or before a restart).
 */
export async function raiseAlert(tx: PoolClient, a: AlertInput): Promise<AlertRow | null> {
  const { rows } = await tx.query<{ id: string; raised_at: Date }>(
    `INSERT INTO alerts (alert_key, kind, dossier_id, dossier_code, unit_code, due_at, lag_ms, event_id, body, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (alert_key) DO NOTHING RETURNING id::text, raised_at`,
    [
      a.key,
      a.kind,
      a.dossierId,
      a.dossierCode,
      a.unitCode,
      a.dueAt,
      a.lagMs,
      a.event?.id ?? null,
      JSON.stringify(a.body),
      a.raisedAt,
    ],
  );
  const row = rows[0];
  if (!row) return null;
  if (a.event) await enqueue(tx, [eventRecord(a.event)]);
  await tx.query(
    // A webhook reaches the alerts of its unit and of the units under it.
    `INSERT INTO webhook_deliveries (webhook_id, alert_id, status)
     SELECT id, $1, 'pending' FROM webhooks WHERE unit_code = ANY($2::text[]) AND $3 = ANY(kinds)
     ON CONFLICT DO NOTHING`,
    [row.id, unitLineage(a.unitCode), a.kind],
  );
  const alert: AlertRow = {
    id: row.id,
    kind: a.kind,
    dossierId: a.dossierId,
    dossierCode: a.dossierCode,
    unitCode: a.unitCode,
    dueAt: a.dueAt === null ? null : new Date(a.dueAt).toISOString(),
    raisedAt: row.raised_at.toISOString(),
    eventId: a.event?.id ?? null,
    body: a.body,
  };
  return alert;
}

interface Row {
  id: string;
  kind: AlertKind;
  dossier_id: string | null;
  dossier_code: string | null;
  unit_code: string;
  due_at: Date | null;
  raised_at: Date;
  event_id: string | null;
  body: Record<string, unknown>;
}

const toAlert = (r: Row): AlertRow => ({
  id: r.id,
  kind: r.kind,
  dossierId: r.dossier_id,
  dossierCode: r.dossier_code,
  unitCode: r.unit_code,
  dueAt: r.due_at?.toISOString() ?? null,
  raisedAt: r.raised_at.toISOString(),
  eventId: r.event_id,
  body: r.body,
});

/** Alerts after id `afterId` (keyset), optionally of one unit and the units under it, raised since an instant. */
export async function listAlerts(
  db: Pool,
  q: { unit?: string | undefined; since?: Date | undefined; afterId: string; limit: number },
): Promise<AlertRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT id::text, kind, dossier_id, dossier_code, unit_code, due_at, raised_at, event_id, body FROM alerts
     WHERE id > $1::bigint AND ($2::text IS NULL OR unit_code = $2 OR unit_code LIKE $5)
       AND ($3::timestamptz IS NULL OR raised_at >= $3)
     ORDER BY id LIMIT $4`,
    [q.afterId, q.unit ?? null, q.since ?? null, q.limit, q.unit ? unitsBelowPattern(q.unit) : null],
  );
  return rows.map(toAlert);
}
