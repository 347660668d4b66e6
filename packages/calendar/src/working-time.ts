import { CalendarError } from "./errors.js";
import type { CalendarYearData, DayMark, DayOffKind, ResolvedYear } from "./holidays.js";
import type { DayMinutes, ResolvedUnitSessions, Session } from "./sessions.js";
import {
  DAY_MS,
  dayNumberFromCivil,
  dayStartMs,
  formatLocalDate,
  isoDate,
  localDayNumber,
  localYearOf,
  MINUTE_MS,
  parseIsoDate,
  weekdayOf,
} from "./time.js";

export const MIN_YEAR = 1901;
export const MAX_YEAR = 2199;
/** A calendar with no working time for this many years in a row is a data error, not a long wait. */
const MAX_EMPTY_YEARS = 5;

/** Working intervals of one local year with prefix sums, so that both directions are binary searches. */
interface YearTable {
  year: number;
  startMs: number;
  endMs: number;
  starts: Float64Array;
  ends: Float64Array;
  /** Working ms from the start of the year to the end of interval i. */
  cumEnd: Float64Array;
  total: number;
}

export type DayStatus = "working" | "weekly-rest" | "make-up" | "unit-override" | DayOffKind;

/** What a calendar says about one local date. */
export interface DayInfo {
  date: string;
  /** "Tue 03/03/2026" */
  label: string;
  status: DayStatus;
  working: boolean;
  sessions: Session[];
  name?: string;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const minutesToClock = (m: number): string => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;

/**
 * The working time of one unit under one version of the yearly calendars. All instants are epoch
 * milliseconds and all durations working minutes (fractions only when instants carry seconds or a budget is a
 * fraction of a day). Year tables are built on first use and kept.
 */
export class WorkingCalendar {
  readonly unitCode: string;
  /** Minutes of one statutory working day at this unit (450 with the default sessions). */
  readonly workingDayMinutes: number;
  private readonly unit: ResolvedUnitSessions;
  private readonly yearSource: (year: number) => ResolvedYear;
  private readonly years: (ResolvedYear | undefined)[] = [];
  private readonly tables: (YearTable | undefined)[] = [];
  private last: YearTable | undefined;

  constructor(unit: ResolvedUnitSessions, yearSource: (year: number) => ResolvedYear) {
    this.unit = unit;
    this.unitCode = unit.unitCode;
    this.workingDayMinutes = unit.workingDayMinutes;
    this.yearSource = yearSource;
  }

  /** The yearly record this calendar uses for `year` (version, sources), decreed or computed from the rules. */
  yearRecord(year: number): CalendarYearData {
    return this.resolved(year).record;
  }

  /** The instant `minutes` of working time after `from`; from a non-working instant, counting starts at the next session. */
  addWorkingMinutes(from: number, minutes: number): number {
    return this.addWorkingMs(from, Math.round(minutes * MINUTE_MS));
  }

  addWorkingMs(from: number, ms: number): number {
    if (ms === 0) return from;
    if (!(ms > 0) || !Number.isFinite(ms)) {
      throw new CalendarError("CALENDAR_INVALID_AMOUNT", `Working time to add must be positive: ${ms} ms`, {
        ms,
      });
    }
    let table = this.tableAt(from);
    let target = position(table, from) + ms;
    let emptyYears = 0;
    while (target > table.total) {
      target -= table.total;
      emptyYears = table.total === 0 ? emptyYears + 1 : 0;
      if (emptyYears > MAX_EMPTY_YEARS) this.noWorkingTime(table.year);
      table = this.table(table.year + 1);
    }
    return instantAt(table, target);
  }

  /** Working minutes in [a, b); negative when b is before a. */
  workingMinutesBetween(a: number, b: number): number {
    return this.workingMsBetween(a, b) / MINUTE_MS;
  }

  workingMsBetween(a: number, b: number): number {
    if (b < a) return -this.workingMsBetween(b, a);
    const ta = this.tableAt(a);
    const tb = this.tableAt(b);
    if (ta === tb) return position(tb, b) - position(ta, a);
    let sum = ta.total - position(ta, a);
    for (let y = ta.year + 1; y < tb.year; y++) sum += this.table(y).total;
    return sum + position(tb, b);
  }

  isWorkingInstant(t: number): boolean {
    const table = this.tableAt(t);
    const i = lastStartAtOrBefore(table, t);
    return i >= 0 && t < (table.ends[i] as number);
  }

  /** `t` itself if it is inside a session, else the start of the next session. */
  nextWorkingInstant(t: number): number {
    let table = this.tableAt(t);
    const i = lastStartAtOrBefore(table, t);
    if (i >= 0 && t < (table.ends[i] as number)) return t;
    if (i + 1 < table.starts.length) return table.starts[i + 1] as number;
    for (let n = 0; n <= MAX_EMPTY_YEARS; n++) {
      table = this.table(table.year + 1);
      if (table.starts.length > 0) return table.starts[0] as number;
    }
    return this.noWorkingTime(table.year);
  }

  /** Opening of the first working day after the local date of `t` (the cut-off rule). */
  nextWorkingDayStart(t: number): number {
    return this.nextWorkingInstant(dayStartMs(localDayNumber(t) + 1));
  }

  /** End of the last session on the local date of `t`, or null on a day without sessions. */
  endOfWorkingDay(t: number): number | null {
    const dayNumber = localDayNumber(t);
    const minutes = this.dayMinutes(dayNumber);
    if (minutes.length === 0) return null;
    return dayStartMs(dayNumber) + (minutes[minutes.length - 1] as number) * MINUTE_MS;
  }

  /** What the calendar says about a local date, given as YYYY-MM-DD or a day number. */
  day(date: string | number): DayInfo {
    const dayNumber = typeof date === "string" ? parseIsoDate(date) : date;
    const minutes = this.dayMinutes(dayNumber);
    const sessions: Session[] = [];
    for (let i = 0; i + 1 < minutes.length; i += 2) {
      sessions.push({
        start: minutesToClock(minutes[i] as number),
        end: minutesToClock(minutes[i + 1] as number),
      });
    }
    const base = {
      date: isoDate(dayNumber),
      label: formatLocalDate(dayNumber),
      working: sessions.length > 0,
      sessions,
    };
    const override = this.unit.overrides.get(dayNumber);
    if (override) return { ...base, status: "unit-override", name: override.note };
    const mark = this.mark(dayNumber);
    if (mark) return { ...base, status: mark.status === "off" ? mark.kind : "make-up", name: mark.name };
    return { ...base, status: sessions.length > 0 ? "working" : "weekly-rest" };
  }

  /** Days in [from, to] (local dates) that are off for a reason other than the weekly rest. */
  specialDaysOff(from: number, to: number): DayInfo[] {
    const out: DayInfo[] = [];
    for (let d = localDayNumber(from); d <= localDayNumber(to); d++) {
      const info = this.day(d);
      if (!info.working && info.status !== "weekly-rest") out.push(info);
    }
    return out;
  }

  private noWorkingTime(year: number): never {
    throw new CalendarError(
      "CALENDAR_NO_WORKING_TIME",
      `Unit ${this.unitCode} has no working time for ${MAX_EMPTY_YEARS} years after ${year}`,
      { unitCode: this.unitCode, year },
    );
  }

  private resolved(year: number): ResolvedYear {
    checkYear(year);
    let r = this.years[year - MIN_YEAR];
    if (!r) {
      r = this.yearSource(year);
      this.years[year - MIN_YEAR] = r;
    }
    return r;
  }

  private mark(dayNumber: number): DayMark | undefined {
    return this.resolved(localYearOf(dayStartMs(dayNumber))).marks.get(dayNumber);
  }

  private dayMinutes(dayNumber: number): DayMinutes {
    const override = this.unit.overrides.get(dayNumber);
    if (override) return override.minutes;
    const mark = this.mark(dayNumber);
    const weekly = this.unit.weekly[weekdayOf(dayNumber)] as DayMinutes;
    if (!mark) return weekly;
    if (mark.status === "off") return [];
    return this.unit.observeMakeUpDays ? this.unit.makeUpDay : weekly;
  }

  private tableAt(t: number): YearTable {
    const last = this.last;
    if (last !== undefined && t >= last.startMs && t < last.endMs) return last;
    const table = this.table(localYearOf(t));
    this.last = table;
    return table;
  }

  private table(year: number): YearTable {
    checkYear(year);
    const cached = this.tables[year - MIN_YEAR];
    if (cached) return cached;
    const first = dayNumberFromCivil(year, 1, 1);
    const end = dayNumberFromCivil(year + 1, 1, 1);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let d = first; d < end; d++) {
      const minutes = this.dayMinutes(d);
      const base = dayStartMs(d);
      for (let i = 0; i + 1 < minutes.length; i += 2) {
        const s = base + (minutes[i] as number) * MINUTE_MS;
        const e = base + (minutes[i + 1] as number) * MINUTE_MS;
        if (ends.length > 0 && ends[ends.length - 1] === s) ends[ends.length - 1] = e;
        else {
          starts.push(s);
          ends.push(e);
        }
      }
    }
    const cumEnd = new Float64Array(starts.length);
    let total = 0;
    for (let i = 0; i < starts.length; i++) {
      total += (ends[i] as number) - (starts[i] as number);
      cumEnd[i] = total;
    }
    const table: YearTable = {
      year,
      startMs: dayStartMs(first),
      endMs: dayStartMs(first) + (end - first) * DAY_MS,
      starts: Float64Array.from(starts),
      ends: Float64Array.from(ends),
      cumEnd,
      total,
    };
    this.tables[year - MIN_YEAR] = table;
    return table;
  }
}

function checkYear(year: number): void {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarError("CALENDAR_YEAR_OUT_OF_RANGE", `Year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`, {
      year,
    });
  }
}

function lastStartAtOrBefore(table: YearTable, t: number): number {
  const starts = table.starts;
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Working ms from the start of the table's year to `t`. */
function position(table: YearTable, t: number): number {
  const i = lastStartAtOrBefore(table, t);
  if (i < 0) return 0;
  const end = table.ends[i] as number;
  const cum = table.cumEnd[i] as number;
  return t < end ? cum - (end - t) : cum;
}

/** The instant at which the year's working time reaches `p` (0 < p ≤ total): a session end, never the next start. */
function instantAt(table: YearTable, p: number): number {
  const cumEnd = table.cumEnd;
  let lo = 0;
  let hi = cumEnd.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumEnd[mid] as number) >= p) hi = mid;
    else lo = mid + 1;
  }
  return (table.ends[lo] as number) - ((cumEnd[lo] as number) - p);
}
