import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createPool, migrate, withTransaction } from "@tthc/service-kit";
import pg from "pg";
import { ROOT } from "./paths.js";
import { run, say, waitFor } from "./proc.js";
import { databaseUrl, rolePassword, services, settings } from "./settings.js";

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
      const { password, configured } = rolePassword(s.role);
      const literal = admin.escapeLiteral(password);
      if (!rowCount) await admin.query(`CREATE ROLE ${ident(s.role)} LOGIN PASSWORD ${literal}`);
      // A password set in the environment (compose's .env) is the role's, also after a change.
      else if (configured) await admin.query(`ALTER ROLE ${ident(s.role)} PASSWORD ${literal}`);
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
 * Which local broker the services' state in `tthc` belongs to. Their rows refer to events on one
 * broker; beside another (a fresh clone, a deleted `.run/`, another clone's stack on the same
 * machine) they would count dossiers no topic holds, or miss ones it does.
 */
export type DatabaseBinding = "bound" | "unused" | "other";

async function onStackDatabase<T>(fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const url = new URL(settings.postgresAdminUrl);
  url.pathname = `/${settings.database}`;
  const db = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    return await withTransaction(db, async (tx) => {
      await tx.query("CREATE SCHEMA IF NOT EXISTS stack");
      await tx.query("CREATE TABLE IF NOT EXISTS stack.broker (cluster_id text NOT NULL)");
      return fn(tx);
    });
  } finally {
    await db.end();
  }
}

/** Records `clusterId` as the broker of the database unless its state belongs to another one. */
export async function bindDatabaseToBroker(clusterId: string): Promise<DatabaseBinding> {
  return onStackDatabase(async (tx) => {
    const { rows } = await tx.query<{ cluster_id: string }>("SELECT cluster_id FROM stack.broker");
    if (rows[0]?.cluster_id === clusterId) return "bound";
    const { rows: used } = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = ANY($1)",
      [services.map((s) => s.schema)],
    );
    if ((used[0]?.n ?? 0) > 0) return "other";
    await tx.query("DELETE FROM stack.broker");
    await tx.query("INSERT INTO stack.broker (cluster_id) VALUES ($1)", [clusterId]);
    return "unused";
  });
}

/** Drops the services' schemas in `tthc` (setupDatabases makes them again) and its broker record. */
export async function dropServiceSchemas(): Promise<void> {
  await onStackDatabase(async (tx) => {
    for (const s of services) await tx.query(`DROP SCHEMA IF EXISTS ${ident(s.schema)} CASCADE`);
    await tx.query("DELETE FROM stack.broker");
  });
}
