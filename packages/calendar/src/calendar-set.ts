import { OFFICIAL_CALENDAR_DATA } from "./calendar-data/index.js";
import { CalendarError } from "./errors.js";
import {
  type CalendarYearData,
  type ResolvedYear,
  resolveYear,
  rulesOnlyYear,
  validateYearData,
} from "./holidays.js";
import {
  DEFAULT_UNIT_CODE,
  DEFAULT_UNIT_SESSIONS,
  resolveUnitSessions,
  type UnitSessions,
} from "./sessions.js";
import { type Instant, toEpochMs } from "./time.js";
import { WorkingCalendar } from "./working-time.js";

export interface CalendarSetOptions {
  /** Every version of every yearly record; default: the shipped official data (2025, 2026). */
  years?: readonly CalendarYearData[];
  /** Unit profiles by code; a unit not listed here is refused, `default` always exists. */
  units?: readonly UnitSessions[];
}

interface VersionedRecord {
  record: CalendarYearData;
  effectiveFromMs: number;
}

/**
 * All calendar data and unit profiles known to a service, answering "the working calendar of unit U as it was
 * in force at instant T". Calendars are cached per unit profile and per set of records in force.
 */
export class CalendarSet {
  private readonly byYear = new Map<number, VersionedRecord[]>();
  /** Sorted effectiveFrom instants: the records in force change only at these. */
  private readonly changes: number[];
  private readonly units = new Map<string, UnitSessions>();
  private readonly cache = new Map<string, WorkingCalendar>();
  private readonly resolvedUnits = new Map<string, ReturnType<typeof resolveUnitSessions>>();

  constructor(options: CalendarSetOptions = {}) {
    for (const record of options.years ?? OFFICIAL_CALENDAR_DATA) {
      validateYearData(record);
      const list = this.byYear.get(record.year) ?? [];
      list.push({ record, effectiveFromMs: toEpochMs(record.effectiveFrom) });
      this.byYear.set(record.year, list);
    }
    for (const list of this.byYear.values()) {
      list.sort((a, b) => a.effectiveFromMs - b.effectiveFromMs || a.record.version - b.record.version);
    }
    this.changes = [...this.byYear.values()].flat().map((v) => v.effectiveFromMs);
    this.changes.sort((a, b) => a - b);
    this.units.set(DEFAULT_UNIT_CODE, DEFAULT_UNIT_SESSIONS);
    for (const unit of options.units ?? []) this.units.set(unit.unitCode, unit);
  }

  /** The calendar in force at `asOf` for a unit (default sessions when omitted); an unknown unit is refused. */
  asOf(asOf: Instant, unitCode: string = DEFAULT_UNIT_CODE): WorkingCalendar {
    return this.calendarAt(toEpochMs(asOf), unitCode);
  }

  /**
   * The calendar of a unit in force at `asOf`: the unit's own profile, or the default sessions for a
   * unit that has none. What every service uses to count a unit's working time.
   */
  calendarFor(unitCode: string, asOf: Instant): WorkingCalendar {
    return this.calendarAt(toEpochMs(asOf), this.units.has(unitCode) ? unitCode : DEFAULT_UNIT_CODE);
  }

  /** The calendar with every known record applied, whatever its date. */
  latest(unitCode: string = DEFAULT_UNIT_CODE): WorkingCalendar {
    return this.calendarAt(Number.POSITIVE_INFINITY, unitCode);
  }

  /** The record of `year` in force at `asOf`, or the rules-only fallback. */
  recordInForce(year: number, asOf: Instant | null = null): CalendarYearData {
    return this.recordAt(year, asOf === null ? Number.POSITIVE_INFINITY : toEpochMs(asOf));
  }

  unitCodes(): string[] {
    return [...this.units.keys()];
  }

  unit(unitCode: string): UnitSessions | undefined {
    return this.units.get(unitCode);
  }

  private calendarAt(asOfMs: number, unitCode: string): WorkingCalendar {
    const unit = this.units.get(unitCode);
    if (!unit) {
      throw new CalendarError("CALENDAR_UNKNOWN_UNIT", `Unknown unit code: ${unitCode}`, {
        unitCode,
        known: this.unitCodes(),
      });
    }
    let resolvedUnit = this.resolvedUnits.get(unitCode);
    if (!resolvedUnit) {
      resolvedUnit = resolveUnitSessions(unit);
      this.resolvedUnits.set(unitCode, resolvedUnit);
    }
    const epoch = upperBound(this.changes, asOfMs);
    const key = `${epoch}|${resolvedUnit.cacheKey}`;
    let calendar = this.cache.get(key);
    if (!calendar) {
      const yearCache = new Map<number, ResolvedYear>();
      calendar = new WorkingCalendar(resolvedUnit, (year) => {
        let r = yearCache.get(year);
        if (!r) {
          r = resolveYear(this.recordAt(year, asOfMs));
          yearCache.set(year, r);
        }
        return r;
      });
      this.cache.set(key, calendar);
    }
    return calendar;
  }

  private recordAt(year: number, asOfMs: number): CalendarYearData {
    const list = this.byYear.get(year) ?? [];
    let found: CalendarYearData | undefined;
    for (const v of list) if (v.effectiveFromMs <= asOfMs) found = v.record;
    return found ?? rulesOnlyYear(year);
  }
}

/** Number of entries ≤ x in a sorted array. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createCalendarSet(options: CalendarSetOptions = {}): CalendarSet {
  return new CalendarSet(options);
}

/** The default sessions under the latest shipped data: what most callers and tests want. */
export function defaultCalendar(): WorkingCalendar {
  defaultSet ??= new CalendarSet();
  return defaultSet.latest();
}

let defaultSet: CalendarSet | undefined;
