import type { Pool, PoolClient } from "@tthc/service-kit";
import { messageOf } from "../domain/notification-templates.js";
import { type Contact, type Notice, type NotifyChannel, recipientOf } from "../domain/notifications.js";

/**
 * The notification outbox: one row per event and channel, written in the consumer's transaction,
 * claimed and marked by the sender. `now()` here is operational timing only (when the next attempt
 * is due), never an instant of the dossier.
 */

/** The applicants of some dossiers or submissions (a submission keeps its id when it is received). */
const CONTACTS_SQL = `
SELECT x.id::text AS id, coalesce(d.applicant, s.applicant) AS applicant,
       d.receipt->'receivingUnit'->>'name' AS unit_name
FROM unnest($1::uuid[]) AS x(id)
LEFT JOIN dossiers d ON d.id = x.id
LEFT JOIN submissions s ON s.id = x.id
WHERE d.id IS NOT NULL OR s.id IS NOT NULL`;

const INSERT_SQL = `
INSERT INTO notifications (event_id, channel, dossier_id, kind, recipient, subject, body)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
ON CONFLICT (event_id, channel) DO NOTHING`;

/**
 * Records the notices of a batch on every channel the applicant has a contact for: two statements
 * whatever the batch's size. A notice already recorded (a copy of its event) writes nothing; an
 * applicant without a contact gets no row.
 */
export async function recordNotifications(
  tx: PoolClient,
  notices: readonly Notice[],
  channels: readonly NotifyChannel[],
): Promise<number> {
  if (notices.length === 0 || channels.length === 0) return 0;
  const { rows } = await tx.query<{
    id: string;
    applicant: { name: string; email?: string; phone?: string };
    unit_name: string | null;
  }>({
    name: "intake-notify-contacts",
    text: CONTACTS_SQL,
    values: [[...new Set(notices.map((n) => n.dossierId))]],
  });
  const contacts = new Map<string, Contact>(
    rows.map((r) => [
      r.id,
      { name: r.applicant.name, email: r.applicant.email, phone: r.applicant.phone, unitName: r.unit_name },
    ]),
  );
  const cols = {
    event: [] as string[],
    channel: [] as string[],
    dossier: [] as string[],
    kind: [] as string[],
  };
  const text = { to: [] as string[], subject: [] as string[], body: [] as string[] };
  for (const n of notices) {
    const contact = contacts.get(n.dossierId);
    if (!contact) continue;
    for (const channel of channels) {
      const to = recipientOf(contact, channel);
      if (to === null) continue;
      const m = messageOf(n, contact, channel);
      cols.event.push(n.eventId);
      cols.channel.push(channel);
      cols.dossier.push(n.dossierId);
      cols.kind.push(n.kind);
      text.to.push(to);
      text.subject.push(m.subject);
      text.body.push(m.body);
    }
  }
  if (cols.event.length === 0) return 0;
  const { rowCount } = await tx.query({
    name: "intake-notify-insert",
    text: INSERT_SQL,
    values: [cols.event, cols.channel, cols.dossier, cols.kind, text.to, text.subject, text.body],
  });
  return rowCount ?? 0;
}

/** A notification due to be sent. */
export interface DueNotification {
  id: string;
  channel: NotifyChannel;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Claims due notifications of some channels by moving their next attempt `leaseMs` ahead: another
 * instance leaves them alone, and one whose instance dies mid-send is due again once the lease ends.
 */
export async function claimDueNotifications(
  tx: PoolClient,
  channels: readonly NotifyChannel[],
  limit: number,
  leaseMs: number,
): Promise<DueNotification[]> {
  const { rows } = await tx.query<DueNotification>(
    `SELECT id::text, channel, kind, recipient, subject, body, attempts FROM notifications
     WHERE status = 'pending' AND channel = ANY($1::text[]) AND next_attempt_at <= now()
     ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [channels, limit],
  );
  if (rows.length > 0)
    await tx.query(
      `UPDATE notifications SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       WHERE id = ANY($1::bigint[])`,
      [rows.map((r) => r.id), leaseMs],
    );
  return rows;
}

/** Records one attempt: sent, failed for good, or pending again after `retryInMs`. */
export async function recordNotificationAttempt(
  pool: Pool,
  a: { id: string; status: "sent" | "failed" | "pending"; error: string | null; retryInMs: number },
): Promise<void> {
  await pool.query(
    `UPDATE notifications SET attempts = attempts + 1, status = $2, last_error = $3,
       sent_at = CASE WHEN $2 = 'sent' THEN now() END,
       next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
     WHERE id = $1 AND status = 'pending'`,
    [a.id, a.status, a.error, a.retryInMs],
  );
}
