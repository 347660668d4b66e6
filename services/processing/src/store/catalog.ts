import { type CalendarSet, calendarSetFromCatalog } from "@tthc/calendar";
import type { Calendar, CatalogRecord, Procedure, Unit } from "@tthc/contracts";
import type { CatalogUnit } from "@tthc/reports";
import type { PoolClient } from "@tthc/service-kit";
import type { Db } from "./dossiers.js";

/** Keeps the newest revision of each procedure, unit and yearly calendar of the compacted catalog topic. */
export async function saveCatalogRecord(tx: PoolClient, record: CatalogRecord): Promise<void> {
  if (record.type === "calendar") {
    await tx.query(
      `INSERT INTO catalog_calendars (year, revision, data) VALUES ($1, $2, $3)
       ON CONFLICT (year) DO UPDATE SET revision = $2, data = $3 WHERE catalog_calendars.revision < $2`,
      [record.data.year, record.revision, JSON.stringify(record.data)],
    );
    return;
  }
  const table = record.type === "procedure" ? "catalog_procedures" : "catalog_units";
  await tx.query(
    `INSERT INTO ${table} (code, revision, data) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO UPDATE SET revision = $2, data = $3 WHERE ${table}.revision < $2`,
    [record.data.code, record.revision, JSON.stringify(record.data)],
  );
}

/**
 * Each unit's working calendar as the catalogue last described it, built by packages/calendar's one
 * builder (`calendarSetFromCatalog`: the shipped official data, every version of the catalogue's
 * calendars, the units' own sessions). Rebuilt only when the catalogue rows change (one small query
 * per use); a revision only grows, so the count and sum of revisions change with every new or
 * changed record.
 */
export class CatalogCalendars {
  private cached: { fingerprint: string; set: CalendarSet } | undefined;

  async current(db: Db): Promise<CalendarSet> {
    const { rows } = await db.query<{ fingerprint: string }>(
      `SELECT (SELECT count(*) || ':' || COALESCE(sum(revision), 0) FROM catalog_units) || '/' ||
              (SELECT count(*) || ':' || COALESCE(sum(revision), 0) FROM catalog_calendars) AS fingerprint`,
    );
    const fingerprint = rows[0]?.fingerprint ?? "";
    if (this.cached?.fingerprint === fingerprint) return this.cached.set;
    const [units, calendars] = await Promise.all([
      db.query<{ data: Unit; revision: number }>("SELECT data, revision FROM catalog_units"),
      db.query<{ data: Calendar }>("SELECT data FROM catalog_calendars ORDER BY year"),
    ]);
    const set = calendarSetFromCatalog({
      calendars: calendars.rows.map((r) => r.data),
      units: units.rows,
    });
    this.cached = { fingerprint, set };
    return set;
  }
}

export async function findProcedure(db: Db, code: string): Promise<Procedure | undefined> {
  const { rows } = await db.query<{ data: Procedure }>(
    "SELECT data FROM catalog_procedures WHERE code = $1",
    [code],
  );
  return rows[0]?.data;
}

/** Whether a unit is known: `undefined` while the catalogue has no unit at all (nothing to check against). */
export async function unitKnown(db: Db, code: string): Promise<boolean | undefined> {
  const { rows } = await db.query<{ known: boolean; any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM catalog_units WHERE code = $1 AND (data->>'active')::boolean) AS known,
            EXISTS (SELECT 1 FROM catalog_units) AS any`,
    [code],
  );
  const r = rows[0];
  return r?.any ? r.known : undefined;
}

/** Every unit of the catalogue copy with its place in the tree, for the heading of a report. */
export async function catalogUnits(db: Db): Promise<CatalogUnit[]> {
  const { rows } = await db.query<CatalogUnit>(
    `SELECT code, data->>'name' AS name, data->>'level' AS level, data->>'parentCode' AS "parentCode"
       FROM catalog_units`,
  );
  return rows;
}
