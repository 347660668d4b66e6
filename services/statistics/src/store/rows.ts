import type { PoolClient } from "@tthc/service-kit";
import type { Row } from "../domain/row-fold.js";

/**
 * Whole rows of a table keyed by `dossier_id`, read and written set-based: one statement reads the
 * rows a run touches (locking them), one updates those it changed, one inserts the new ones. Rows
 * travel as JSON and take the table's own row type (`jsonb_populate_recordset`), so no column type
 * is written twice.
 */

const columns = new Map<string, Promise<string[]>>();

/** The table's columns, in order (read once per table name: the rebuild's tables are alike). */
function columnsOf(tx: PoolClient, table: string): Promise<string[]> {
  let cols = columns.get(table);
  if (!cols) {
    cols = tx
      .query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [table],
      )
      .then((r) => r.rows.map((c) => c.name));
    cols.catch(() => columns.delete(table));
    columns.set(table, cols);
  }
  return cols;
}

/**
 * The rows of some dossiers; with `lock`, locked until the transaction ends (in id order, so two
 * runs never wait on each other in a circle): a run that reads a row is the only one changing it.
 */
export async function readRows(
  tx: PoolClient,
  table: string,
  ids: string[],
  lock: boolean,
): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  if (ids.length === 0) return rows;
  const { rows: found } = await tx.query<{ row: Row }>(
    `SELECT to_jsonb(d) AS row FROM ${table} d WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id${lock ? " FOR UPDATE" : ""}`,
    [ids],
  );
  for (const { row } of found) rows.set(String(row.dossier_id), row);
  return rows;
}

/**
 * Writes whole rows: `changed` over rows read by `lockRows`, `created` as new rows. Returns the ids of
 * created rows that another transaction inserted first (it committed while this one was folding):
 * the caller folds those again over the rows as they now are.
 */
export async function writeRows(
  tx: PoolClient,
  table: string,
  changed: Row[],
  created: Row[],
): Promise<string[]> {
  const cols = (await columnsOf(tx, table)).filter((c) => c !== "dossier_id");
  if (changed.length > 0) {
    // An upsert that always meets its row: each row found through the key's index, whatever the
    // planner guesses of the JSON's length.
    await tx.query(
      `INSERT INTO ${table} AS d SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ORDER BY dossier_id
       ON CONFLICT (dossier_id) DO UPDATE SET (${cols.join(", ")}) = ROW(${cols.map((c) => `EXCLUDED.${c}`).join(", ")})`,
      [JSON.stringify(changed)],
    );
  }
  if (created.length === 0) return [];
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) ORDER BY dossier_id
     ON CONFLICT (dossier_id) DO NOTHING RETURNING dossier_id::text AS id`,
    [JSON.stringify(created)],
  );
  const inserted = new Set(rows.map((r) => r.id));
  return created.map((r) => String(r.dossier_id)).filter((id) => !inserted.has(id));
}
