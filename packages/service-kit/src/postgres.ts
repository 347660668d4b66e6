import pg from "pg";

export interface PostgresOptions {
  url: string;
  /** Every connection of the pool works in this schema (search_path), the service's own. */
  schema: string;
  max?: number;
  applicationName?: string;
}

// NUMERIC and BIGINT come back as strings by default; counts here fit a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export function createPool(options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    options: `-c search_path=${options.schema},public`,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server emits here; without a listener the process would crash.
  pool.on("error", () => {});
  // So does a checked-out client between two queries (a consumer's transaction waiting on Kafka, a
  // LISTEN connection) when PostgreSQL restarts; its next query fails and its holder releases it.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return pool;
}

/** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export type { Pool, PoolClient } from "pg";
