import { describe, expect, it } from "vitest";
import { CalendarError } from "../src/errors.js";
import {
  formatIsoLocal,
  formatLocal,
  localDayNumber,
  parseClockTime,
  parseIsoDate,
  toEpochMs,
  weekdayOf,
} from "../src/time.js";

describe("civil time in Asia/Ho_Chi_Minh (fixed UTC+7)", () => {
  it("00:30 on Wed 01/01/2025 in Vietnam is still 31/12/2024 in UTC but day 01/01 locally", () => {
    const t = toEpochMs("2025-01-01T00:30:00+07:00");
    expect(new Date(t).toISOString()).toBe("2024-12-31T17:30:00.000Z");
    expect(localDayNumber(t)).toBe(parseIsoDate("2025-01-01"));
    expect(weekdayOf(localDayNumber(t))).toBe(3);
  });

  it("formats instants with the +07:00 offset whatever offset they came with", () => {
    expect(formatIsoLocal(toEpochMs("2026-03-03T02:00:00Z"))).toBe("2026-03-03T09:00:00+07:00");
    expect(formatLocal(toEpochMs("2026-03-03T02:00:30Z"))).toBe("Tue 03/03/2026 09:00:30");
  });

  it("refuses instants without an offset, impossible dates and bad times of day", () => {
    expect(() => toEpochMs("2026-03-03T09:00:00")).toThrow(CalendarError);
    expect(() => toEpochMs("not a date")).toThrow(CalendarError);
    expect(() => parseIsoDate("2026-02-30")).toThrow(CalendarError);
    expect(() => parseClockTime("7:30")).toThrow(CalendarError);
    expect(() => parseClockTime("12:60")).toThrow(CalendarError);
    expect(parseClockTime("13:30")).toBe(810);
  });
});
