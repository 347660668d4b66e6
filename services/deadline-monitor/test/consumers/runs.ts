import { ensureBusTables } from "@tthc/bus";
import { migrate, type Pool } from "@tthc/service-kit";
import { createTestEnv, dumpTables, OUTBOX_ROW, type TestEnv } from "@tthc/testkit";

export { applyRuns, chunks, deliveries } from "@tthc/testkit";

/** A schema of the monitor's own, with the bus's tables, for a handler applied directly. */
export async function monitorSchema(name: string): Promise<TestEnv> {
  const env = await createTestEnv(name, { topics: false });
  await migrate(env.pool, env.schema, new URL("../../migrations", import.meta.url).pathname);
  await ensureBusTables(env.pool);
  return env;
}

/**
 * What differs between two schemas fed the same events, left out of a dump: the outbox's serial id,
 * its rows' creation time and the ids the published events were given; a webhook delivery's id for
 * receivers and its first attempt's time.
 */
const UNIQUE_TO_A_SCHEMA: Record<string, string> = {
  bus_outbox: OUTBOX_ROW,
  webhook_deliveries: "to_jsonb(x) - 'message_id' - 'next_attempt_at'",
};

/** Every row of `tables`, as JSON, in a fixed order: to compare one world twice, or two worlds. */
export const dump = (pool: Pool, tables: string[]) => dumpTables(pool, tables, UNIQUE_TO_A_SCHEMA);
