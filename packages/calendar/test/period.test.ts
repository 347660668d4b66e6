import { describe, expect, it } from "vitest";
import { buckets, localDay, periodEnd, periodRef, periodStart } from "../src/period.js";

describe("periods are whole days in Asia/Ho_Chi_Minh", () => {
  it("23:30 UTC on 31/07 is already 01/08 in Vietnam", () => {
    expect(localDay(new Date("2026-07-31T23:30:00Z"))).toBe("2026-08-01");
    expect(localDay(new Date("2026-07-31T16:59:59Z"))).toBe("2026-07-31");
  });

  it("August 2026 runs from 01/08 00:00 +07 to 01/09 00:00 +07", () => {
    const p = { from: "2026-08-01", to: "2026-08-31" };
    expect(periodStart(p).toISOString()).toBe("2026-07-31T17:00:00.000Z");
    expect(periodEnd(p).toISOString()).toBe("2026-08-31T17:00:00.000Z");
    expect(periodRef(p, new Date("2026-08-10T00:00:00Z")).toISOString()).toBe("2026-08-10T00:00:00.000Z");
    expect(periodRef(p, new Date("2026-11-01T00:00:00Z")).toISOString()).toBe("2026-08-31T17:00:00.000Z");
  });

  it("cuts a range into days or clipped months (a quarter, a year, any range)", () => {
    expect(buckets({ from: "2026-02-27", to: "2026-03-02" }, "day").map((b) => b.label)).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    expect(
      buckets({ from: "2026-07-15", to: "2026-09-10" }, "month").map((b) => [b.label, b.from, b.to]),
    ).toEqual([
      ["2026-07", "2026-07-15", "2026-07-31"],
      ["2026-08", "2026-08-01", "2026-08-31"],
      ["2026-09", "2026-09-01", "2026-09-10"],
    ]);
    expect(buckets({ from: "2026-01-01", to: "2026-12-31" }, "month")).toHaveLength(12);
  });
});
