import type pg from "pg";
import type { OutgoingRecord } from "./messages.js";

/**
 * Writes records to the outbox inside the caller's transaction: they are published if and only if
 * the transaction commits. Records must come from `eventRecord`/`catalogRecord` (validated).
 * Writing a record whose id is already in the outbox is a no-op, so a retried command that
 * rebuilds the same event id publishes it once (the conflicting row still draws an id, which the
 * relay treats like the id of a rolled-back transaction).
 *
 * The transaction gets its xid before it draws an outbox id. The relay's gap rule (see
 * `OutboxRelay`) needs this: seeing id m committed while id n < m is missing, it takes an xid X of
 * its own afterwards and waits until every transaction with an xid below X has ended; only then is
 * a still-missing n given up. That is sound only if the holder of n had its xid when it drew n: n
 * was drawn before m, m committed before the relay looked, X was assigned after that, so the
 * holder's xid is below X. Without it, a transaction that has drawn n but has no xid yet (PostgreSQL
 * assigns one at the first row it writes) is invisible to every snapshot's xmin, and the relay would
 * skip n while it is about to commit. Hence the CASE below: its condition, `pg_current_xact_id()`
 * (which assigns the xid), is evaluated before its result, `nextval`, for every row. A column
 * `DEFAULT pg_current_xact_id()` would not do: the defaults of a row are evaluated in column order,
 * so `id`'s nextval first, and the xid would come too late for the first row.
 *
 * No NOTIFY: a notification would be queued in the business transaction and serialise every
 * committing writer on the cluster's notification queue lock; the relay polls briefly instead.
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
    `INSERT INTO bus_outbox (id, message_id, topic, key, value, headers)
     SELECT CASE WHEN pg_current_xact_id() IS NOT NULL
                 THEN nextval(pg_get_serial_sequence('bus_outbox', 'id')) END,
            m, t, k, v, h
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS u(m, t, k, v, h)
     ON CONFLICT (message_id) DO NOTHING`,
    [ids, topics, keys, values, headers],
  );
}

/** Something to run one query on: a pool, a pool's client or a client. */
interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * The query counting outbox rows above the relay's watermark (not yet published), as column `n`.
 * With `schema`, the tables are named in that schema; without, the search path finds them.
 */
function outboxPendingSql(schema?: string): string {
  const q = schema === undefined ? "" : `"${schema.replaceAll('"', '""')}".`;
  return `SELECT count(*)::int AS n FROM ${q}bus_outbox
          WHERE id > coalesce((SELECT watermark FROM ${q}bus_relay_state), 0)`;
}

/** How many rows wait to be published (for metrics and tests), in `schema` or the search path's. */
export async function outboxPending(db: Queryable, schema?: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(outboxPendingSql(schema));
  return rows[0]?.n ?? 0;
}
