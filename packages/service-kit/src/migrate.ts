import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{3,})_([a-z0-9_-]+)\.sql$/;

/** Reads `NNN_name.sql` files in version order; a gap or a duplicate version is an error. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const m = FILE.exec(file);
    if (!m) throw new Error(`migration file name must be NNN_name.sql: ${file}`);
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`duplicate migration version ${version}`);
    out.push({ version, name: m[2]!, sql: await readFile(join(dir, file), "utf8") });
  }
  return out;
}

function lockKey(schema: string): bigint {
  return createHash("sha256").update(`migrate:${schema}`).digest().readBigInt64BE(0);
}

/**
 * Applies the pending migrations of `dir` inside `schema`, each in its own transaction, under an
 * advisory lock so that two instances starting at once do not race. Returns the versions applied.
 */
export async function migrate(pool: pg.Pool, schema: string, dir: string): Promise<number[]> {
  const migrations = await readMigrations(dir);
  const client = await pool.connect();
  const key = lockKey(schema).toString();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    // CREATE SCHEMA IF NOT EXISTS needs the database's CREATE privilege even when the schema
    // exists, which a service's own role does not have: ask first.
    const { rowCount } = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
    if (!rowCount) await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`SET search_path TO "${schema}", public`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
          m.version,
          m.name,
        ]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw new Error(
          `migration ${m.version}_${m.name} failed in schema ${schema}: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [key]).catch(() => {});
    client.release();
  }
}
