import type pg from "pg";
import type { OutgoingRecord } from "./messages.js";

/** The channel on which a commit that wrote outbox rows wakes the relay. */
export const OUTBOX_CHANNEL = "bus_outbox";

/**
 * Writes records to the outbox inside the caller's transaction: they are published if and only if
 * the transaction commits. Records must come from `eventRecord`/`catalogRecord` (validated).
 * Writing a record whose id is already in the outbox is a no-op, so a retried command that
 * rebuilds the same event id publishes it once.
 */
export async function enqueue(tx: pg.PoolClient, records: readonly OutgoingRecord[]): Promise<void> {
  if (records.length === 0) return;
  const ids: string[] = [];
  const topics: string[] = [];
  const keys: string[] = [];
  const values: string[] = [];
  const headers: string[] = [];
  for (const r of records) {
    ids.push(r.id);
    topics.push(r.topic);
    keys.push(r.key);
    values.push(r.value);
    headers.push(JSON.stringify(r.headers ?? {}));
  }
  await tx.query(
    `INSERT INTO bus_outbox (message_id, topic, key, value, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
     ON CONFLICT (message_id) DO NOTHING`,
    [ids, topics, keys, values, headers],
  );
  // Delivered at commit, dropped at rollback: the relay wakes only for rows that exist.
  await tx.query("SELECT pg_notify($1, current_schema())", [OUTBOX_CHANNEL]);
}

/** How many rows wait to be published (for metrics and tests). */
export async function outboxPending(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM bus_outbox WHERE sent_at IS NULL",
  );
  return rows[0]?.n ?? 0;
}
