import type { BusAdmin } from "@tthc/bus";
import type pg from "pg";

/**
 * Whether every consumer of `schema` that reads `topic` has applied it to its end: the offsets the
 * consumers store with their effects (`bus_consumer_offsets`) against the topic's end offsets. A
 * topic no consumer there has read yet counts as not caught up, unless it is empty.
 */
export async function caughtUp(
  pool: pg.Pool,
  admin: BusAdmin,
  schema: string,
  topic: string,
): Promise<boolean> {
  const end = await admin.endOffsetsSum(topic);
  const { rows } = await pool.query<{ n: number | null }>(
    `SELECT min(n)::int AS n FROM (
       SELECT sum(next_offset) AS n FROM "${schema}".bus_consumer_offsets WHERE topic = $1 GROUP BY consumer
     ) per_consumer`,
    [topic],
  );
  return (rows[0]?.n ?? 0) >= end;
}
