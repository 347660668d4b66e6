import { CalendarError } from "./errors.js";
import { hungKingsDayNumber, tetDayNumber } from "./lunar.js";
import { dayNumberFromCivil, formatLocalDate, isoDate, parseIsoDate, toEpochMs, weekdayOf } from "./time.js";

export type DayOffKind = "holiday" | "compensatory" | "swapped" | "other";

/** One dated entry of a yearly calendar. */
export interface CalendarDay {
  /** YYYY-MM-DD, Asia/Ho_Chi_Minh. */
  date: string;
  name: string;
  /** For days off: a public holiday, a compensatory day (nghỉ bù), a swapped working day (hoán đổi)... */
  kind?: DayOffKind;
}

/** The document a yearly calendar rests on. */
export interface CalendarSource {
  reference: string;
  subject: string;
  /** YYYY-MM-DD, where it could be confirmed. */
  issuedOn?: string;
}

/**
 * The civil servants' calendar of one year, as decreed at one point in time. JSON-serialisable; one record per
 * (year, version). Records are never edited: a new decision is a new version with a later `effectiveFrom`.
 */
export interface CalendarYearData {
  year: number;
  version: number;
  /** ISO 8601 instant from which this version is the one in force (when it was decided). */
  effectiveFrom: string;
  /**
   * "decreed": `daysOff` is the complete list of days off beyond the weekly rest days.
   * "rules": start from Article 112 / Article 111 computed with lunar dates, then add `daysOff` and
   * `makeUpWorkingDays`.
   */
  basis: "decreed" | "rules";
  daysOff: CalendarDay[];
  /** Weekly rest days worked to make up for a swapped day (ngày làm bù). */
  makeUpWorkingDays: CalendarDay[];
  /** Ngày Văn hóa Việt Nam (24 November) as a day off; not confirmed as law, so off unless data says so. */
  cultureDay24Nov: boolean;
  sources: CalendarSource[];
  note?: string;
}

export interface DayMark {
  status: "off" | "make-up";
  name: string;
  kind: DayOffKind | "make-up";
}

/** A year's marks keyed by local day number, and the record they come from. */
export interface ResolvedYear {
  record: CalendarYearData;
  marks: ReadonlyMap<number, DayMark>;
}

export const RULES_SOURCE: CalendarSource = {
  reference: "Bộ luật Lao động 2019, Điều 111–112",
  subject: "Public holidays and compensatory days computed from the law (lunar dates at UTC+7)",
};

/** The fallback record of a year the Government has not (yet) decreed in the data. */
export function rulesOnlyYear(year: number): CalendarYearData {
  return {
    year,
    version: 0,
    effectiveFrom: "1900-01-01T00:00:00+07:00",
    basis: "rules",
    daysOff: [],
    makeUpWorkingDays: [],
    cultureDay24Nov: false,
    sources: [RULES_SOURCE],
    note: "No decree in the data for this year: Article 112 holidays with Article 111 compensatory days.",
  };
}

const isWeeklyRest = (dayNumber: number): boolean => {
  const wd = weekdayOf(dayNumber);
  return wd === 0 || wd === 6;
};

/** The day next to 2 September that Article 112 adds: the one that joins the holiday to a weekend. */
function nationalDayNeighbour(sep2: number): number {
  switch (weekdayOf(sep2)) {
    case 1: // Monday → Tuesday 3/9 (as in 2024)
    case 4: // Thursday → Friday 3/9
    case 0: // Sunday → Monday 3/9
      return sep2 + 1;
    default: // Tuesday, Wednesday, Friday, Saturday → 1/9
      return sep2 - 1;
  }
}

/**
 * Days off by the Labour Code alone: Article 112 holidays (Tết = the last day of the lunar year and the first
 * four of the new one) and, per Article 111, a compensatory day on the next working day for each holiday that
 * falls on a Saturday or Sunday.
 */
export function ruleDaysOff(year: number, cultureDay24Nov = false): CalendarDay[] {
  const holidays: { day: number; name: string }[] = [];
  const add = (day: number, name: string) => holidays.push({ day, name });
  add(dayNumberFromCivil(year, 1, 1), "Tết Dương lịch");
  const tet = tetDayNumber(year);
  add(tet - 1, "Tết Nguyên đán (last day of the lunar year)");
  for (let i = 0; i < 4; i++) add(tet + i, `Tết Nguyên đán (day ${i + 1} of the lunar year)`);
  add(hungKingsDayNumber(year), "Giỗ Tổ Hùng Vương (10/3 lunar)");
  add(dayNumberFromCivil(year, 4, 30), "Ngày Chiến thắng (30/4)");
  add(dayNumberFromCivil(year, 5, 1), "Ngày Quốc tế Lao động (1/5)");
  const sep2 = dayNumberFromCivil(year, 9, 2);
  add(sep2, "Quốc khánh (2/9)");
  add(nationalDayNeighbour(sep2), "Quốc khánh (day adjacent to 2/9)");
  if (cultureDay24Nov) add(dayNumberFromCivil(year, 11, 24), "Ngày Văn hóa Việt Nam (24/11)");
  holidays.sort((a, b) => a.day - b.day);

  const taken = new Set(holidays.map((h) => h.day));
  const out: CalendarDay[] = holidays.map((h) => ({ date: isoDate(h.day), name: h.name, kind: "holiday" }));
  for (const h of holidays) {
    if (!isWeeklyRest(h.day)) continue;
    let d = h.day + 1;
    while (isWeeklyRest(d) || taken.has(d)) d++;
    taken.add(d);
    out.push({
      date: isoDate(d),
      name: `Compensatory day for ${h.name}, ${formatLocalDate(h.day)}`,
      kind: "compensatory",
    });
  }
  return out;
}

function yearOfDay(date: string): number {
  return Number(date.slice(0, 4));
}

export function validateYearData(record: CalendarYearData): void {
  const fail = (why: string): never => {
    throw new CalendarError("CALENDAR_INVALID_DATA", `Calendar ${record.year} v${record.version}: ${why}`, {
      year: record.year,
      version: record.version,
    });
  };
  if (!Number.isInteger(record.year) || record.year < 1901 || record.year > 2199) fail("year out of range");
  if (!Number.isInteger(record.version) || record.version < 0) fail("version must be a non-negative integer");
  toEpochMs(record.effectiveFrom);
  for (const d of [...record.daysOff, ...record.makeUpWorkingDays]) {
    parseIsoDate(d.date);
    if (yearOfDay(d.date) !== record.year) fail(`${d.date} is not in ${record.year}`);
  }
  const off = new Set(record.daysOff.map((d) => d.date));
  for (const d of record.makeUpWorkingDays) if (off.has(d.date)) fail(`${d.date} is both off and worked`);
}

/** Turns a record into per-day marks: what the rules or the decree say about each special day. */
export function resolveYear(record: CalendarYearData): ResolvedYear {
  const marks = new Map<number, DayMark>();
  const base = record.basis === "rules" ? ruleDaysOff(record.year, record.cultureDay24Nov) : [];
  for (const d of [...base, ...record.daysOff]) {
    marks.set(parseIsoDate(d.date), { status: "off", name: d.name, kind: d.kind ?? "holiday" });
  }
  if (record.basis === "decreed" && record.cultureDay24Nov) {
    const nov24 = dayNumberFromCivil(record.year, 11, 24);
    if (!marks.has(nov24))
      marks.set(nov24, { status: "off", name: "Ngày Văn hóa Việt Nam (24/11)", kind: "holiday" });
  }
  for (const d of record.makeUpWorkingDays) {
    marks.set(parseIsoDate(d.date), { status: "make-up", name: d.name, kind: "make-up" });
  }
  return { record, marks };
}
