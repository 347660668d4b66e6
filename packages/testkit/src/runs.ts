import type { Delivery } from "@tthc/bus";
import type pg from "pg";

/**
 * Tools for testing an event handler applied directly, as the bus's consumer applies it: runs of
 * deliveries, each in its own transaction, and dumps of the tables it writes, to show that copies
 * of events change nothing.
 */

let offset = 0;

/** Deliveries as the bus hands them: each a new offset of the partition, copies included. */
export function deliveries<T>(
  values: T[],
  topic = "dossier.events",
  idOf: (v: T) => string = (v) => (v as { id: string }).id,
  keyOf: (v: T) => string = (v) => (v as { dossierId: string }).dossierId,
): Delivery<T>[] {
  return values.map((value) => ({
    value,
    id: idOf(value),
    message: {
      topic,
      partition: 0,
      offset: String(offset++),
      key: keyOf(value),
      value: null,
      headers: {},
      timestamp: "0",
    },
  }));
}

/** Applies each run in its own transaction, as the consumer does. */
export async function applyRuns<T>(
  pool: pg.Pool,
  handle: (d: Delivery<T>[], tx: pg.PoolClient) => Promise<void>,
  runs: Delivery<T>[][],
): Promise<void> {
  for (const run of runs) {
    const tx = await pool.connect();
    try {
      await tx.query("BEGIN");
      await handle(run, tx);
      await tx.query("COMMIT");
    } catch (err) {
      await tx.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      tx.release();
    }
  }
}

/** Splits `items` into runs of `size`. */
export const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Every row of `tables`, as JSON, in a fixed order: to compare one world twice, or two worlds.
 * `rowOf` gives, per table, the SQL expression of a row (of alias `x`) that leaves out what differs
 * between two schemas fed the same events (serial ids, creation times); `to_jsonb(x)` otherwise.
 */
export async function dumpTables(
  pool: pg.Pool,
  tables: string[],
  rowOf: Record<string, string> = {},
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const row = rowOf[table] ?? "to_jsonb(x)";
    const { rows } = await pool.query<{ r: unknown }>(
      `SELECT ${row} AS r FROM ${table} x ORDER BY (${row})::text`,
    );
    out[table] = rows.map((r) => r.r);
  }
  return out;
}

/** The outbox's rows without what a schema gives them of its own (ids, creation times). */
export const OUTBOX_ROW =
  "(to_jsonb(x) - 'id' - 'message_id' - 'created_at') || jsonb_build_object('value', x.value::jsonb - 'id')";
