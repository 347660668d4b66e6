import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createPool, migrate } from "@tthc/service-kit";
import pg from "pg";
import { ROOT } from "./paths.js";
import { run, say, waitFor } from "./proc.js";
import { databaseUrl, services, settings } from "./settings.js";

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Uses the machine's PostgreSQL; starts its cluster with the machine's own command when it is down. */
export async function ensurePostgres(): Promise<void> {
  if (await answers(settings.postgresAdminUrl)) return;
  if (existsSync("/etc/postgresql")) {
    const version = readdirSync("/etc/postgresql")[0];
    if (version) {
      say(`PostgreSQL is down: starting cluster ${version}/main`);
      await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]).catch(() => {});
    }
  }
  await waitFor("PostgreSQL", () => answers(settings.postgresAdminUrl), 30_000, 500).catch(() => {
    throw new Error(
      `PostgreSQL does not answer at ${settings.postgresAdminUrl}. Start it (or set PG_ADMIN_URL to a superuser URL) and try again.`,
    );
  });
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates what the services need and is safe to run again: one login role per service, the
 * databases (`tthc` and `tthc_test`), and in `tthc` each service's schema owned by its role, so
 * that no service can read another's tables.
 */
export async function setupDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: settings.postgresAdminUrl });
  await admin.connect();
  try {
    for (const s of services) {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [s.role]);
      if (!rowCount) await admin.query(`CREATE ROLE ${ident(s.role)} LOGIN PASSWORD '${s.role}'`);
    }
    for (const db of [settings.database, settings.testDatabase]) {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
      if (!rowCount) {
        say(`creating database ${db}`);
        await admin.query(`CREATE DATABASE ${ident(db)}`);
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(settings.postgresAdminUrl);
  url.pathname = `/${settings.database}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    for (const s of services) {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(s.schema)} AUTHORIZATION ${ident(s.role)}`);
      await db.query(`GRANT CONNECT ON DATABASE ${ident(settings.database)} TO ${ident(s.role)}`);
      await db.query(
        `ALTER ROLE ${ident(s.role)} IN DATABASE ${ident(settings.database)} SET search_path = ${ident(s.schema)}`,
      );
    }
  } finally {
    await db.end();
  }
}

/** Applies each service's migrations (services/NAME/migrations) as that service's role. */
export async function migrateAll(): Promise<void> {
  for (const s of services) {
    const dir = join(ROOT, "services", s.name, "migrations");
    if (!existsSync(dir)) continue;
    const pool = createPool({ url: databaseUrl(s.role), schema: s.schema, max: 1 });
    try {
      const applied = await migrate(pool, s.schema, dir);
      if (applied.length) say(`${s.name}: migrations ${applied.join(", ")} applied`);
    } finally {
      await pool.end();
    }
  }
}

/**
 * Ties the local database to the local broker. The services' state in `tthc` refers to events on
 * one broker: a broker formatted anew (a fresh clone, or `.run/` deleted) holds none of them, so
 * that state would count dossiers no topic knows and miss the catalogue the topics no longer carry.
 * When the broker's cluster id is not the one recorded in the database, the services' schemas are
 * dropped and made again; true when they were. Only for the stack's own broker, never an external
 * one.
 */
export async function bindDatabaseToBroker(clusterId: string): Promise<boolean> {
  const url = new URL(settings.postgresAdminUrl);
  url.pathname = `/${settings.database}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query("CREATE SCHEMA IF NOT EXISTS stack");
    await db.query("CREATE TABLE IF NOT EXISTS stack.broker (cluster_id text NOT NULL)");
    const { rows } = await db.query<{ cluster_id: string }>("SELECT cluster_id FROM stack.broker");
    if (rows[0]?.cluster_id === clusterId) return false;
    const { rows: used } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = ANY($1)",
      [services.map((s) => s.schema)],
    );
    const reset = (used[0]?.n ?? 0) > 0;
    await db.query("BEGIN");
    if (reset) {
      say(
        `the database ${settings.database} holds the state of another Kafka broker than this one: starting it afresh`,
      );
      for (const s of services) await db.query(`DROP SCHEMA IF EXISTS ${ident(s.schema)} CASCADE`);
    }
    await db.query("DELETE FROM stack.broker");
    await db.query("INSERT INTO stack.broker (cluster_id) VALUES ($1)", [clusterId]);
    await db.query("COMMIT");
    return reset;
  } catch (err) {
    await db.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await db.end();
  }
}
