import {
  calendarVersionsFromCatalog,
  createCalendarSet,
  OFFICIAL_CALENDAR_DATA,
  unitSessionsFromCatalog,
} from "@tthc/calendar";
import type { Calendar, CatalogRecord, Procedure, Unit } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { type UnitCalendars, unitCalendarsOf } from "../domain/working-time.js";
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

let cached: { fingerprint: string; calendars: UnitCalendars } | undefined;

/**
 * Each unit's working calendar as the catalogue last described it: the shipped official data, the
 * catalogue's calendars (every version) and the units' own sessions; a unit without its own gets
 * the default. Rebuilt only when the catalogue rows change (one small query per call); a revision
 * only grows, so the count and sum of revisions change with every new or changed record.
 */
export async function unitCalendars(db: Db): Promise<UnitCalendars> {
  const { rows } = await db.query<{ fingerprint: string }>(
    `SELECT current_database() || '.' || current_schema() || '/' ||
            (SELECT count(*) || ':' || COALESCE(sum(revision), 0) FROM catalog_units) || '/' ||
            (SELECT count(*) || ':' || COALESCE(sum(revision), 0) FROM catalog_calendars) AS fingerprint`,
  );
  const fingerprint = rows[0]?.fingerprint ?? "";
  if (cached?.fingerprint === fingerprint) return cached.calendars;
  const [units, years] = await Promise.all([
    db.query<{ data: Unit }>("SELECT data FROM catalog_units WHERE data->'workingSessions' <> 'null'::jsonb"),
    db.query<{ data: Calendar }>("SELECT data FROM catalog_calendars ORDER BY year"),
  ]);
  const set = createCalendarSet({
    years: [...OFFICIAL_CALENDAR_DATA, ...years.rows.flatMap((r) => calendarVersionsFromCatalog(r.data))],
    units: units.rows.map((r) => unitSessionsFromCatalog(r.data)),
  });
  cached = { fingerprint, calendars: unitCalendarsOf(set) };
  return cached.calendars;
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
