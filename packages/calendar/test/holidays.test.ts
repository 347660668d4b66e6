import { describe, expect, it } from "vitest";
import { OFFICIAL_CALENDAR_DATA } from "../src/calendar-data/index.js";
import { CalendarError } from "../src/errors.js";
import {
  type CalendarYearData,
  resolveYear,
  ruleDaysOff,
  rulesOnlyYear,
  validateYearData,
} from "../src/holidays.js";

const datesOf = (year: number, kind?: string, culture = false): string[] =>
  ruleDaysOff(year, culture)
    .filter((d) => kind === undefined || d.kind === kind)
    .map((d) => d.date)
    .sort();

describe("Article 112 holidays with Article 111 compensatory days (years without a decree)", () => {
  it("2027: 01/01, Tết Fri 05/02–Tue 09/02, Giỗ Tổ Fri 16/04, 30/04, 01/05, 02/09 and Fri 03/09", () => {
    expect(datesOf(2027, "holiday")).toEqual([
      "2027-01-01",
      "2027-02-05",
      "2027-02-06",
      "2027-02-07",
      "2027-02-08",
      "2027-02-09",
      "2027-04-16",
      "2027-04-30",
      "2027-05-01",
      "2027-09-02",
      "2027-09-03",
    ]);
  });

  it("2027: Tết on Sat 06/02 and Sun 07/02 gives Wed 10/02 and Thu 11/02; Sat 01/05 gives Mon 03/05", () => {
    expect(datesOf(2027, "compensatory")).toEqual(["2027-02-10", "2027-02-11", "2027-05-03"]);
  });

  it("2026: Giỗ Tổ on Sun 26/04 gives the compensatory Mon 27/04 that the 2026 schedule shows", () => {
    expect(datesOf(2026, "compensatory")).toContain("2026-04-27");
  });

  it("2 September takes the neighbour that joins a weekend: Tue 01/09/2025, Tue 01/09/2026 (Wed 2/9), Tue 03/09/2024", () => {
    expect(datesOf(2025, "holiday")).toContain("2025-09-01");
    expect(datesOf(2026, "holiday")).toContain("2026-09-01");
    expect(datesOf(2024, "holiday")).toContain("2024-09-03");
  });

  it("24 November is a day off only when switched on; Sat 24/11/2029 then gives Mon 26/11/2029", () => {
    expect(datesOf(2029)).not.toContain("2029-11-24");
    expect(datesOf(2029, "holiday", true)).toContain("2029-11-24");
    expect(datesOf(2029, "compensatory", true)).toContain("2029-11-26");
  });

  it("a year without data resolves to the rules, named as such", () => {
    const r = resolveYear(rulesOnlyYear(2027));
    expect(r.record.sources[0]?.reference).toMatch(/Điều 111–112/);
    expect(r.marks.size).toBe(14);
  });
});

describe("shipped official data", () => {
  it("every record is valid, names its sources and covers 2025 and 2026", () => {
    for (const record of OFFICIAL_CALENDAR_DATA) {
      expect(() => validateYearData(record)).not.toThrow();
      expect(record.sources.length).toBeGreaterThan(0);
    }
    expect(OFFICIAL_CALENDAR_DATA.map((r) => `${r.year}v${r.version}`)).toEqual([
      "2025v1",
      "2026v1",
      "2026v2",
    ]);
  });

  it("is plain JSON: a round trip through JSON.stringify changes nothing", () => {
    expect(JSON.parse(JSON.stringify(OFFICIAL_CALENDAR_DATA))).toEqual(OFFICIAL_CALENDAR_DATA);
  });

  it("refuses a record with a date outside its year or a date both off and worked", () => {
    const bad: CalendarYearData = { ...rulesOnlyYear(2027), daysOff: [{ date: "2028-01-03", name: "x" }] };
    expect(() => validateYearData(bad)).toThrow(CalendarError);
    const both: CalendarYearData = {
      ...rulesOnlyYear(2027),
      daysOff: [{ date: "2027-01-09", name: "x" }],
      makeUpWorkingDays: [{ date: "2027-01-09", name: "x" }],
    };
    expect(() => validateYearData(both)).toThrow(/both off and worked/);
  });
});
