import { createHash } from "node:crypto";
import type { CalendarYearData } from "@tthc/calendar";
import { Calendar, type CatalogRecord, catalogKey, Procedure, Unit } from "@tthc/contracts";

/**
 * The catalogue's pure rules: how the seed files become records, how a year's calendar travels on
 * the `catalog` topic (the latest version, with the earlier ones beside it so that a recomputation
 * can use the version in force at the time). Reading them back into calendar data is
 * @tthc/calendar's `calendarVersionsFromCatalog` and `unitSessionsFromCatalog`.
 */

export type CatalogType = CatalogRecord["type"];
export type CatalogData = CatalogRecord["data"];

export interface CatalogEntry {
  type: CatalogType;
  key: string;
  data: CatalogData;
}

export function entryKey(type: CatalogType, data: CatalogData): string {
  return catalogKey({ type, data } as CatalogRecord);
}

/** Canonical JSON (sorted keys): equal content gives equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** The seed files' records, parsed with the contract schemas (extra fields such as `sources` dropped). */
export function seedEntries(
  unitsDoc: { units: unknown[] },
  proceduresDoc: { procedures: unknown[] },
  calendarYears: readonly CalendarYearData[],
): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const raw of unitsDoc.units) {
    const data = Unit.parse(raw);
    entries.push({ type: "unit", key: entryKey("unit", data), data });
  }
  for (const raw of proceduresDoc.procedures) {
    const data = Procedure.parse(raw);
    entries.push({ type: "procedure", key: entryKey("procedure", data), data });
  }
  const byYear = new Map<number, CalendarYearData[]>();
  for (const y of calendarYears) byYear.set(y.year, [...(byYear.get(y.year) ?? []), y]);
  for (const versions of byYear.values()) {
    const data = calendarRecordData(versions);
    entries.push({ type: "calendar", key: entryKey("calendar", data), data });
  }
  return entries;
}

/** A year's versions as one catalogue record: the latest, with the earlier ones in `previousVersions`. */
export function calendarRecordData(versions: readonly CalendarYearData[]): Calendar {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const latest = sorted[sorted.length - 1];
  if (!latest) throw new Error("a calendar needs at least one version");
  return Calendar.parse({
    ...latestFields(latest),
    previousVersions: sorted.slice(0, -1),
  });
}

function latestFields(y: CalendarYearData): Record<string, unknown> {
  return {
    year: y.year,
    version: y.version,
    effectiveFrom: y.effectiveFrom,
    source: y.sources.map((s) => s.reference).join("; ") || "Bộ luật Lao động 2019",
    daysOff: y.daysOff,
    workingDays: y.makeUpWorkingDays,
    basis: y.basis,
    cultureDay24Nov: y.cultureDay24Nov,
    sources: y.sources,
    ...(y.note === undefined ? {} : { note: y.note }),
  };
}

/** Levels at which a one-stop centre receives dossiers since 1 July 2025. */
export const RECEIVING_LEVELS: readonly Unit["level"][] = ["provincial-centre", "commune", "ward"];
