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

/** Fresh, empty tables shaped like the live ones (indexes included). */
export async function createRebuildTables(tx: PoolClient): Promise<void> {
  for (const k of kinds) {
    await tx.query(`DROP TABLE IF EXISTS ${rebuildTables[k]}`);
    await tx.query(`CREATE TABLE ${rebuildTables[k]} (LIKE ${liveTables[k]} INCLUDING ALL)`);
  }
}

/** Drops the live tables and puts the rebuilt ones in their place (call inside a transaction). */
export async function swapRebuildTables(tx: PoolClient): Promise<void> {
  for (const k of kinds) {
    await tx.query(`DROP TABLE ${liveTables[k]}`);
    await tx.query(`ALTER TABLE ${rebuildTables[k]} RENAME TO ${liveTables[k]}`);
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
