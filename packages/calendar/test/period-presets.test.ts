import { describe, expect, it } from "vitest";
import { monthsBefore, presetPeriod, presetPeriods, previousPeriod } from "../src/period-presets.js";

const at = (iso: string) => new Date(iso);

describe("the dashboard's periods, to date by the service's clock, Vietnam time", () => {
  it("Thu 20/08/2026 15:00: today, this month, this quarter, this year", () => {
    const now = at("2026-08-20T15:00:00+07:00");
    expect(presetPeriod("today", now)).toEqual({ from: "2026-08-20", to: "2026-08-20" });
    expect(presetPeriod("month", now)).toEqual({ from: "2026-08-01", to: "2026-08-20" });
    expect(presetPeriod("quarter", now)).toEqual({ from: "2026-07-01", to: "2026-08-20" });
    expect(presetPeriod("year", now)).toEqual({ from: "2026-01-01", to: "2026-08-20" });
  });

  it("00:30 on 01/10/2026 in Vietnam is still 30/09 in UTC: the fourth quarter has begun", () => {
    const now = at("2026-09-30T17:30:00Z");
    expect(presetPeriod("quarter", now)).toEqual({ from: "2026-10-01", to: "2026-10-01" });
    expect(presetPeriod("year", now)).toEqual({ from: "2026-01-01", to: "2026-10-01" });
  });

  it("each compared with the same stretch of the period before", () => {
    const periods = presetPeriods(at("2026-08-20T15:00:00+07:00"));
    expect(periods.map((p) => [p.preset, p.previous])).toEqual([
      ["today", { from: "2026-08-19", to: "2026-08-19" }],
      ["month", { from: "2026-07-01", to: "2026-07-20" }],
      ["quarter", { from: "2026-04-01", to: "2026-05-20" }],
      ["year", { from: "2025-01-01", to: "2025-08-20" }],
    ]);
  });

  it("today on 01/01/2027 is compared with 31/12/2026; the month and the quarter with December and the fourth quarter", () => {
    const periods = presetPeriods(at("2027-01-01T08:00:00+07:00"));
    expect(Object.fromEntries(periods.map((p) => [p.preset, p.previous]))).toEqual({
      today: { from: "2026-12-31", to: "2026-12-31" },
      month: { from: "2026-12-01", to: "2026-12-01" },
      quarter: { from: "2026-10-01", to: "2026-10-01" },
      year: { from: "2026-01-01", to: "2026-01-01" },
    });
  });
});

describe("a period steps back to the one it is compared with", () => {
  it("31 March is compared with 28 February, 29/02/2028 with 28/02/2027", () => {
    expect(monthsBefore("2027-03-31", 1)).toBe("2027-02-28");
    expect(monthsBefore("2027-03-30", 1)).toBe("2027-02-28");
    expect(monthsBefore("2028-02-29", 12)).toBe("2027-02-28");
    expect(monthsBefore("2026-02-15", 3)).toBe("2025-11-15");
  });

  it("a whole month with the whole month before, whatever their lengths", () => {
    expect(previousPeriod({ from: "2026-08-01", to: "2026-08-31" }, "month")).toEqual({
      from: "2026-07-01",
      to: "2026-07-31",
    });
    expect(previousPeriod({ from: "2026-03-01", to: "2026-03-31" }, "month")).toEqual({
      from: "2026-02-01",
      to: "2026-02-28",
    });
    expect(previousPeriod({ from: "2026-05-01", to: "2026-05-31" }, "month")).toEqual({
      from: "2026-04-01",
      to: "2026-04-30",
    });
    expect(previousPeriod({ from: "2026-02-01", to: "2026-02-28" }, "month")).toEqual({
      from: "2026-01-01",
      to: "2026-01-31",
    });
  });

  it("a whole quarter with the quarter before, a whole year with the year before", () => {
    expect(previousPeriod({ from: "2026-07-01", to: "2026-09-30" }, "quarter")).toEqual({
      from: "2026-04-01",
      to: "2026-06-30",
    });
    expect(previousPeriod({ from: "2026-01-01", to: "2026-12-31" }, "year")).toEqual({
      from: "2025-01-01",
      to: "2025-12-31",
    });
  });

  it("any other range with as many days right before it", () => {
    expect(previousPeriod({ from: "2026-08-10", to: "2026-08-16" }, "span")).toEqual({
      from: "2026-08-03",
      to: "2026-08-09",
    });
    expect(previousPeriod({ from: "2026-03-01", to: "2026-03-01" }, "span")).toEqual({
      from: "2026-02-28",
      to: "2026-02-28",
    });
    expect(previousPeriod({ from: "2026-08-20", to: "2026-08-20" }, "day")).toEqual({
      from: "2026-08-19",
      to: "2026-08-19",
    });
  });
});
