import { describe, expect, it } from "vitest";
import { CALENDAR_2026_V1, CALENDAR_2026_V2 } from "../src/calendar-data/index.js";
import { CalendarSet } from "../src/calendar-set.js";
import {
  type CatalogCalendar,
  calendarVersionsFromCatalog,
  unitSessionsFromCatalog,
} from "../src/catalog.js";
import { CalendarError } from "../src/errors.js";
import type { CalendarYearData } from "../src/holidays.js";
import { vn } from "./helpers.js";

/** A year's versions the way intake publishes them: the latest, the earlier ones beside it. */
function asRecord(latest: CalendarYearData, previous: CalendarYearData[] = []): CatalogCalendar {
  return {
    year: latest.year,
    version: latest.version,
    effectiveFrom: latest.effectiveFrom,
    source: latest.sources.map((s) => s.reference).join("; "),
    daysOff: latest.daysOff,
    workingDays: latest.makeUpWorkingDays,
    basis: latest.basis,
    cultureDay24Nov: latest.cultureDay24Nov,
    sources: latest.sources,
    previousVersions: previous,
  };
}

const withoutNote = ({ note: _note, ...rest }: CalendarYearData) => rest;

describe("a catalogue calendar record as calendar data", () => {
  it("gives back every version it carries, oldest first, as they were published", () => {
    const versions = calendarVersionsFromCatalog(asRecord(CALENDAR_2026_V2, [CALENDAR_2026_V1]));
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]).toEqual(CALENDAR_2026_V1);
    expect(versions[1]).toEqual(withoutNote(CALENDAR_2026_V2));
  });

  it("drops a 'previous' version that is not older than the record's own", () => {
    const versions = calendarVersionsFromCatalog(asRecord(CALENDAR_2026_V1, [CALENDAR_2026_V2]));
    expect(versions.map((v) => v.version)).toEqual([1]);
  });

  it("keeps 24 November as a day off when the record switches it on", () => {
    const record = asRecord({ ...CALENDAR_2026_V2, version: 3, cultureDay24Nov: true });
    const set = new CalendarSet({ years: calendarVersionsFromCatalog(record) });
    expect(set.latest().day("2026-11-24").working).toBe(false);
    expect(new CalendarSet({ years: [CALENDAR_2026_V2] }).latest().day("2026-11-24").working).toBe(true);
  });

  it("reads a bare record as decreed, with its source and plain day names", () => {
    const [only] = calendarVersionsFromCatalog({
      year: 2027,
      version: 1,
      effectiveFrom: "2026-12-01T00:00:00+07:00",
      source: "Công văn 1/VPCP (test)",
      daysOff: ["2027-01-01", { date: "2027-09-02", name: "Quốc khánh", kind: "holiday" }],
      workingDays: ["2027-01-09"],
    });
    expect(only).toMatchObject({
      basis: "decreed",
      cultureDay24Nov: false,
      sources: [{ reference: "Công văn 1/VPCP (test)" }],
      daysOff: [
        { date: "2027-01-01", name: "Ngày nghỉ" },
        { date: "2027-09-02", name: "Quốc khánh", kind: "holiday" },
      ],
      makeUpWorkingDays: [{ date: "2027-01-09", name: "Ngày làm bù" }],
    });
    expect(only?.daysOff[0]).not.toHaveProperty("kind");
  });

  it("refuses a version with a date outside its year", () => {
    const record = asRecord({ ...CALENDAR_2026_V2, daysOff: [{ date: "2025-12-31", name: "wrong year" }] });
    expect(() => calendarVersionsFromCatalog(record)).toThrow(CalendarError);
  });
});

describe("a catalogue unit as a calendar profile", () => {
  const calendarOf = (unit: Parameters<typeof unitSessionsFromCatalog>[0]) =>
    new CalendarSet({ units: [unitSessionsFromCatalog(unit)] }).latest(unit.code);

  it("takes the default sessions when the unit has none of its own", () => {
    const calendar = calendarOf({ code: "X.1", name: "Xã Một", workingSessions: null });
    expect(calendar.day("2026-03-02").sessions).toEqual([
      { start: "07:30", end: "11:30" },
      { start: "13:30", end: "17:00" },
    ]);
    expect(calendar.day("2026-03-07").working).toBe(false);
  });

  it("reads ISO weekdays (1 = Monday, 7 = Sunday) and orders each day's sessions", () => {
    const calendar = calendarOf({
      code: "X.2",
      name: "Xã Hai",
      workingSessions: {
        makeUpDaysAreWorking: true,
        sessions: [
          { weekdays: [1, 2, 3, 4, 5], from: "13:30", to: "17:00" },
          { weekdays: [1, 2, 3, 4, 5, 6], from: "07:30", to: "11:30" },
        ],
      },
    });
    expect(calendar.day("2026-03-02").sessions.map((s) => s.start)).toEqual(["07:30", "13:30"]);
    expect(calendar.day("2026-03-07").sessions).toEqual([{ start: "07:30", end: "11:30" }]);
    expect(calendar.day("2026-03-08").working).toBe(false);
    expect(calendar.isWorkingInstant(vn("2026-03-07 08:00"))).toBe(true);
  });

  it("carries whether the make-up Saturdays are worked", () => {
    const unit = (makeUpDaysAreWorking: boolean) => ({
      code: "X.3",
      name: "Xã Ba",
      workingSessions: {
        makeUpDaysAreWorking,
        sessions: [{ weekdays: [1, 2, 3, 4, 5], from: "07:30", to: "11:30" }],
      },
    });
    // Sat 10/01/2026 is the make-up working day of the 2026 calendar's version 2.
    expect(calendarOf(unit(true)).day("2026-01-10").working).toBe(true);
    expect(calendarOf(unit(false)).day("2026-01-10").working).toBe(false);
  });
});
