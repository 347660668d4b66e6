import type { PoolClient } from "@tthc/service-kit";

/** The tables a consumer writes: the live ones, or fresh ones while a rebuild fills them. */
export interface Tables {
  dossiers: string;
  daily: string;
  /** Sums per attribution, unit and day (received by channel, finished, verdicts, late steps). */
  unitDaily: string;
  /** The step runs of each dossier's latest sla event. */
  runs: string;
  /** Online submissions and their acceptance deadline. */
  submissions: string;
  units: string;
  procedures: string;
}

export const liveTables: Tables = {
  dossiers: "stat_dossiers",
  daily: "stat_daily",
  unitDaily: "stat_unit_daily",
  runs: "stat_step_runs",
  submissions: "stat_submissions",
  units: "stat_units",
  procedures: "stat_procedures",
};

export const rebuildTables: Tables = {
  dossiers: "rebuild_dossiers",
  daily: "rebuild_daily",
  unitDaily: "rebuild_unit_daily",
  runs: "rebuild_step_runs",
  submissions: "rebuild_submissions",
  units: "rebuild_units",
  procedures: "rebuild_procedures",
};

const kinds = ["dossiers", "daily", "unitDaily", "runs", "submissions", "units", "procedures"] as const;

/** The tables a rebuild writes row by row: their secondary indexes are built once it has caught up. */
const indexedLater = ["dossiers", "runs", "submissions"] as const;

interface IndexDef {
  name: string;
  /** `CREATE INDEX <name> ON <table> ...` as PostgreSQL prints it. */
  def: string;
  /** The constraint it backs (a primary key), if any. */
  constraint: string | null;
}

async function indexesOf(tx: PoolClient, table: string): Promise<IndexDef[]> {
  const { rows } = await tx.query<IndexDef>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, k.conname AS constraint
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
      WHERE i.indrelid = $1::regclass
      ORDER BY c.relname`,
    [table],
  );
  return rows;
}

const definition = /^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (.*)$/s;

/** An index's definition without its name and table: the same index on another table. */
function shape(def: string): string {
  const m = definition.exec(def);
  if (!m) throw new Error(`unexpected index definition: ${def}`);
  return `${m[1] ?? ""}${m[2]}`;
}

/**
 * Fresh, empty tables shaped like the live ones. The tables the rebuild writes row by row get only
 * their primary keys: maintaining every index for each of millions of writes costs more than
 * building them once (`indexRebuildTables`).
 */
export async function createRebuildTables(tx: PoolClient): Promise<void> {
  for (const k of kinds) {
    await tx.query(`DROP TABLE IF EXISTS ${rebuildTables[k]}`);
    await tx.query(`CREATE TABLE ${rebuildTables[k]} (LIKE ${liveTables[k]} INCLUDING ALL)`);
  }
  for (const k of indexedLater) {
    for (const { name, constraint } of await indexesOf(tx, rebuildTables[k]))
      if (!constraint) await tx.query(`DROP INDEX ${name}`);
  }
}

/** Builds the live tables' indexes that the rebuilt ones lack (once the rebuild has caught up). */
export async function indexRebuildTables(tx: PoolClient): Promise<void> {
  for (const k of indexedLater) {
    const have = new Set((await indexesOf(tx, rebuildTables[k])).map((i) => shape(i.def)));
    for (const { def } of await indexesOf(tx, liveTables[k])) {
      if (have.has(shape(def))) continue;
      const m = definition.exec(def) as RegExpExecArray;
      await tx.query(`CREATE ${m[1] ?? ""}INDEX ON ${rebuildTables[k]} ${m[2]}`);
    }
  }
}

/**
 * Drops the live tables and puts the rebuilt ones in their place (call inside a transaction). Each
 * live index comes back under its own name: the rebuilt table's copy is renamed, or, missing, built
 * here.
 */
export async function swapRebuildTables(tx: PoolClient): Promise<void> {
  for (const k of kinds) {
    const live = await indexesOf(tx, liveTables[k]);
    const rebuilt = await indexesOf(tx, rebuildTables[k]);
    await tx.query(`DROP TABLE ${liveTables[k]}`);
    await tx.query(`ALTER TABLE ${rebuildTables[k]} RENAME TO ${liveTables[k]}`);
    for (const l of live) {
      const i = rebuilt.findIndex((r) => shape(r.def) === shape(l.def));
      const r = i < 0 ? undefined : rebuilt.splice(i, 1)[0];
      // The live definition names the live table, which the rebuilt one now is.
      if (!r) await tx.query(l.def);
      else if (r.name === l.name) continue;
      else if (r.constraint)
        await tx.query(
          `ALTER TABLE ${liveTables[k]} RENAME CONSTRAINT ${r.constraint} TO ${l.constraint ?? l.name}`,
        );
      else await tx.query(`ALTER INDEX ${r.name} RENAME TO ${l.name}`);
    }
  }
}

export async function readGeneration(tx: { query: PoolClient["query"] }): Promise<number> {
  const { rows } = await tx.query<{ value: string }>("SELECT value FROM stat_meta WHERE key = 'generation'");
  return Number(rows[0]?.value ?? 1);
}

export async function writeGeneration(tx: PoolClient, generation: number): Promise<void> {
  await tx.query("UPDATE stat_meta SET value = $1 WHERE key = 'generation'", [String(generation)]);
}

/** The migration whose rows need a rebuild from the topics (stat_meta `upgrade`), if any. */
export async function readUpgrade(tx: { query: PoolClient["query"] }): Promise<string | null> {
  const { rows } = await tx.query<{ value: string }>("SELECT value FROM stat_meta WHERE key = 'upgrade'");
  return rows[0]?.value ?? null;
}

export async function clearUpgrade(tx: PoolClient): Promise<void> {
  await tx.query("DELETE FROM stat_meta WHERE key = 'upgrade'");
}
