import type { CatalogRecord } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import type { Tables } from "./tables.js";

/** Keeps the latest revision of each unit and procedure (older revisions change nothing). */
export async function applyCatalog(tx: PoolClient, t: Tables, record: CatalogRecord): Promise<void> {
  if (record.type === "unit") {
    const u = record.data;
    await tx.query(
      `INSERT INTO ${t.units} AS u (code, name, level, parent_code, active, revision) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
         parent_code = EXCLUDED.parent_code, active = EXCLUDED.active, revision = EXCLUDED.revision
       WHERE u.revision < EXCLUDED.revision`,
      [u.code, u.name, u.level, u.parentCode, u.active, record.revision],
    );
  } else if (record.type === "procedure") {
    const p = record.data;
    await tx.query(
      `INSERT INTO ${t.procedures} AS p (code, name, field, revision) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field = EXCLUDED.field, revision = EXCLUDED.revision
       WHERE p.revision < EXCLUDED.revision`,
      [p.code, p.name, p.field, record.revision],
    );
  }
}
