import type { CatalogRecord } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import type { Tables } from "./tables.js";

type UnitRecord = Extract<CatalogRecord, { type: "unit" }>;
type ProcedureRecord = Extract<CatalogRecord, { type: "procedure" }>;

/** The highest revision of each code in a run; the first of equal revisions, as one by one. */
function latest<R extends CatalogRecord>(records: R[], codeOf: (r: R) => string): R[] {
  const byCode = new Map<string, R>();
  for (const r of records) {
    const seen = byCode.get(codeOf(r));
    if (!seen || r.revision > seen.revision) byCode.set(codeOf(r), r);
  }
  return [...byCode.values()];
}

/**
 * Keeps the latest revision of each unit and procedure, one statement per kind for a whole run: a
 * revision no higher than the row's (an older record, or the same one delivered again) changes
 * nothing.
 */
export async function applyCatalog(tx: PoolClient, t: Tables, records: CatalogRecord[]): Promise<void> {
  const units = latest(
    records.filter((r): r is UnitRecord => r.type === "unit"),
    (r) => r.data.code,
  );
  if (units.length > 0) {
    const rows = units.map((r) => ({
      code: r.data.code,
      name: r.data.name,
      level: r.data.level,
      parent_code: r.data.parentCode,
      active: r.data.active,
      revision: r.revision,
    }));
    await tx.query(
      `INSERT INTO ${t.units} AS u (code, name, level, parent_code, active, revision)
       SELECT code, name, level, parent_code, active, revision
         FROM jsonb_populate_recordset(NULL::${t.units}, $1::jsonb) ORDER BY code
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
         parent_code = EXCLUDED.parent_code, active = EXCLUDED.active, revision = EXCLUDED.revision
       WHERE u.revision < EXCLUDED.revision`,
      [JSON.stringify(rows)],
    );
  }
  const procedures = latest(
    records.filter((r): r is ProcedureRecord => r.type === "procedure"),
    (r) => r.data.code,
  );
  if (procedures.length > 0) {
    const rows = procedures.map((r) => ({
      code: r.data.code,
      name: r.data.name,
      field: r.data.field,
      revision: r.revision,
    }));
    await tx.query(
      `INSERT INTO ${t.procedures} AS p (code, name, field, revision)
       SELECT code, name, field, revision FROM jsonb_populate_recordset(NULL::${t.procedures}, $1::jsonb) ORDER BY code
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field = EXCLUDED.field, revision = EXCLUDED.revision
       WHERE p.revision < EXCLUDED.revision`,
      [JSON.stringify(rows)],
    );
  }
}
