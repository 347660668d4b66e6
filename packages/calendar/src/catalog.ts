import { OFFICIAL_CALENDAR_DATA } from "./calendar-data/index.js";
import { CalendarSet } from "./calendar-set.js";
import {
  type CalendarDay,
  type CalendarSource,
  type CalendarYearData,
  type DayOffKind,
  validateYearData,
} from "./holidays.js";
import type { Session, UnitSessions, Weekday } from "./sessions.js";

/**
 * How the catalogue's records (the `catalog` topic, see @tthc/contracts) become calendar data. The
 * shapes are written out structurally so that this package stays free of the contracts; every
 * service that reads the catalogue converts through here, so that all of them judge with the same
 * calendar.
 */

/** A day of a catalogue calendar: a date, or a date with its details. */
export type CatalogDay = string | { date: string; name?: string | undefined; kind?: unknown };

/** A catalogue calendar record's data: the latest version, earlier ones in `previousVersions`. */
export interface CatalogCalendar {
  year: number;
  version: number;
  effectiveFrom: string;
  source: string;
  daysOff: readonly CatalogDay[];
  workingDays: readonly CatalogDay[];
  [field: string]: unknown;
}

/** A catalogue unit, as far as its working sessions go. Weekdays are ISO numbers, 1 = Monday. */
export interface CatalogUnit {
  code: string;
  name: string;
  workingSessions: {
    sessions: readonly { weekdays: readonly number[]; from: string; to: string }[];
    makeUpDaysAreWorking: boolean;
  } | null;
}

const ISO_WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_KINDS: readonly string[] = ["holiday", "compensatory", "swapped", "other"];

/** A unit's sessions as a calendar profile; a unit without its own sessions gets the default ones. */
export function unitSessionsFromCatalog(unit: CatalogUnit): UnitSessions {
  if (unit.workingSessions === null) return { unitCode: unit.code, name: unit.name };
  const weekly: Record<Weekday, Session[]> = {
    mon: [],
    tue: [],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  };
  for (const s of unit.workingSessions.sessions) {
    for (const d of s.weekdays) {
      const day = ISO_WEEKDAYS[d - 1];
      if (day) weekly[day].push({ start: s.from, end: s.to });
    }
  }
  for (const day of Object.values(weekly)) day.sort((a, b) => a.start.localeCompare(b.start));
  return {
    unitCode: unit.code,
    name: unit.name,
    weekly,
    observeMakeUpDays: unit.workingSessions.makeUpDaysAreWorking,
  };
}

/**
 * Every version a catalogue calendar record holds, oldest first, the record's own version last.
 * Fields the record leaves out take the decreed reading: `basis` "decreed" (the days off are the
 * complete list) and 24 November a working day. Throws the package's CalendarError when a version
 * is not valid (a date outside its year, say).
 */
export function calendarVersionsFromCatalog(data: CatalogCalendar): CalendarYearData[] {
  const current: CalendarYearData = {
    year: data.year,
    version: data.version,
    effectiveFrom: data.effectiveFrom,
    basis: data.basis === "rules" ? "rules" : "decreed",
    daysOff: data.daysOff.map((d) => toDay(d, "Ngày nghỉ")),
    makeUpWorkingDays: data.workingDays.map((d) => toDay(d, "Ngày làm bù")),
    cultureDay24Nov: data.cultureDay24Nov === true,
    sources: toSources(data),
  };
  const previous = Array.isArray(data.previousVersions)
    ? (data.previousVersions as CalendarYearData[]).filter((p) => p.version < data.version)
    : [];
  const all = [...previous, current];
  for (const y of all) validateYearData(y);
  return all;
}

function toDay(day: CatalogDay, fallbackName: string): CalendarDay {
  if (typeof day === "string") return { date: day, name: fallbackName };
  const { kind } = day;
  return {
    date: day.date,
    name: day.name ?? fallbackName,
    ...(typeof kind === "string" && DAY_KINDS.includes(kind) ? { kind: kind as DayOffKind } : {}),
  };
}

function toSources(data: CatalogCalendar): CalendarSource[] {
  if (Array.isArray(data.sources)) {
    const ok = data.sources.filter(
      (s): s is CalendarSource =>
        typeof s === "object" &&
        s !== null &&
        typeof (s as CalendarSource).reference === "string" &&
        typeof (s as CalendarSource).subject === "string",
    );
    if (ok.length > 0) return ok;
  }
  return [{ reference: data.source, subject: data.source }];
}

/**
 * The calendars of a catalogue: the shipped official years plus every version of every calendar
 * record, and the units' own working sessions (a unit's revision versions its profile). The one
 * builder every service uses, so that all of them count the same working time.
 */
export function calendarSetFromCatalog(catalog: {
  calendars: readonly CatalogCalendar[];
  units: readonly { data: CatalogUnit; revision: number }[];
}): CalendarSet {
  const years: CalendarYearData[] = [...OFFICIAL_CALENDAR_DATA];
  for (const c of catalog.calendars) years.push(...calendarVersionsFromCatalog(c));
  const units = catalog.units
    .filter((u) => u.data.workingSessions !== null)
    .map((u) => ({ ...unitSessionsFromCatalog(u.data), version: u.revision }));
  return new CalendarSet({ years, units });
}
