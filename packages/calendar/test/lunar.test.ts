import { describe, expect, it } from "vitest";
import { hungKingsDayNumber, lunarFromDayNumber, lunarToDayNumber, tetDayNumber } from "../src/lunar.js";
import { isoDate, parseIsoDate } from "../src/time.js";

describe("Vietnamese lunar calendar (UTC+7)", () => {
  it.each([
    [2025, "2025-01-29"],
    [2026, "2026-02-17"],
    [2027, "2027-02-06"],
    [2020, "2020-01-25"],
    [2021, "2021-02-12"],
    [2022, "2022-02-01"],
    [2023, "2023-01-22"],
    [2024, "2024-02-10"],
    [2028, "2028-01-26"],
  ])("Tết Nguyên đán %i falls on %s", (year, date) => {
    expect(isoDate(tetDayNumber(year))).toBe(date);
  });

  it.each([
    [2025, "2025-04-07"],
    [2026, "2026-04-26"],
    [2027, "2027-04-16"],
    [2021, "2021-04-21"],
    [2022, "2022-04-10"],
    [2023, "2023-04-29"],
    [2024, "2024-04-18"],
  ])("Giỗ Tổ Hùng Vương (10/3 lunar) %i falls on %s", (year, date) => {
    expect(isoDate(hungKingsDayNumber(year))).toBe(date);
  });

  // Years where reckoning at UTC+7 instead of UTC+8 moves the new year: the Vietnamese date, then the Chinese.
  it.each([
    [1968, "1968-01-29", "1968-01-30"],
    [1985, "1985-01-21", "1985-02-20"],
    [2007, "2007-02-17", "2007-02-18"],
    [2030, "2030-02-02", "2030-02-03"],
  ])("Tết %i is %s in Vietnam but %s at UTC+8 (China)", (year, vietnam, china) => {
    expect(isoDate(tetDayNumber(year))).toBe(vietnam);
    expect(isoDate(tetDayNumber(year, 8))).toBe(china);
  });

  it("Mon 16/02/2026 is 29 Tết (the 29th of the 12th month of Ất Tỵ): the last day of the lunar year 2025", () => {
    expect(lunarFromDayNumber(parseIsoDate("2026-02-16"))).toEqual({
      year: 2025,
      month: 12,
      day: 29,
      leap: false,
    });
  });

  it("2025 has a leap 6th month starting Fri 25/07/2025, and the 7th month starts Sat 23/08/2025", () => {
    expect(lunarFromDayNumber(parseIsoDate("2025-07-25"))).toEqual({
      year: 2025,
      month: 6,
      day: 1,
      leap: true,
    });
    expect(lunarFromDayNumber(parseIsoDate("2025-08-23"))).toEqual({
      year: 2025,
      month: 7,
      day: 1,
      leap: false,
    });
  });

  it("a leap month that a year does not have converts to null", () => {
    expect(lunarToDayNumber({ year: 2026, month: 6, day: 1, leap: true })).toBeNull();
  });

  it("solar → lunar → solar gives back every day of 2024–2028", () => {
    for (let d = parseIsoDate("2024-01-01"); d <= parseIsoDate("2028-12-31"); d++) {
      expect(lunarToDayNumber(lunarFromDayNumber(d))).toBe(d);
    }
  });
});
