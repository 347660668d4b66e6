import type { Delivery } from "@tthc/bus";
import { ensureBusTables } from "@tthc/bus";
import { migrate, type Pool, type PoolClient, withTransaction } from "@tthc/service-kit";
import { createTestEnv, type TestEnv } from "@tthc/testkit";

/** A schema of the monitor's own, with the bus's tables, for a handler applied directly. */
export async function monitorSchema(name: string): Promise<TestEnv> {
  const env = await createTestEnv(name, { topics: false });
  await migrate(env.pool, env.schema, new URL("../../migrations", import.meta.url).pathname);
  await ensureBusTables(env.pool);
  return env;
}

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
  pool: Pool,
  handle: (d: Delivery<T>[], tx: PoolClient) => Promise<void>,
  runs: Delivery<T>[][],
): Promise<void> {
  for (const run of runs) await withTransaction(pool, (tx) => handle(run, tx));
}

/** Splits `items` into runs of `size`. */
export const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * What differs between two schemas fed the same events, left out of a dump: the outbox's serial id,
 * its rows' creation time and the ids the published events were given; a webhook delivery's id for
 * receivers and its first attempt's time.
 */
const UNIQUE_TO_A_SCHEMA: Record<string, string> = {
  bus_outbox:
    "(to_jsonb(x) - 'id' - 'message_id' - 'created_at') || jsonb_build_object('value', x.value::jsonb - 'id')",
  webhook_deliveries: "to_jsonb(x) - 'message_id' - 'next_attempt_at'",
};

/** Every row of `tables`, as JSON, in a fixed order: to compare one world twice, or two worlds. */
export async function dump(pool: Pool, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const row = UNIQUE_TO_A_SCHEMA[table] ?? "to_jsonb(x)";
    const { rows } = await pool.query<{ r: unknown }>(
      `SELECT ${row} AS r FROM ${table} x ORDER BY (${row})::text`,
    );
    out[table] = rows.map((r) => r.r);
  }
  return out;
}
