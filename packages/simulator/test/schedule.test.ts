import { describe, expect, it } from "vitest";
import { type DriveReport, loadProvince } from "../src/index.js";
import { addDays, mergeReports, planDays, releaseOffsets, releaseWindows } from "../src/schedule.js";

const province = loadProvince();

describe("a run of several simulated days", () => {
  it("plans each day from the seed, numbering dossiers across the run", () => {
    const scripts = planDays(province, { seed: 3, firstDate: "2026-09-14", days: 3, dossiersPerDay: 50 });
    expect(scripts).toHaveLength(150);
    expect(scripts.map((s) => s.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const days = new Set(
      scripts.filter((s) => s.fate !== "resolved-late").map((s) => s.submittedAt.slice(0, 10)),
    );
    expect(days).toEqual(new Set(["2026-09-14", "2026-09-15", "2026-09-16"]));
    expect(planDays(province, { seed: 3, firstDate: "2026-09-14", days: 3, dossiersPerDay: 50 })).toEqual(
      scripts,
    );
  });

  it("releases a day 1440 times faster in one minute, in the order of the day", () => {
    const scripts = planDays(province, { seed: 4, firstDate: "2026-09-15", days: 1, dossiersPerDay: 300 });
    const offsets = releaseOffsets(scripts, "2026-09-15", 1440);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(60_000);
    const eight = scripts.findIndex((s) => s.submittedAt.startsWith("2026-09-15T08:"));
    expect(offsets[eight]).toBeGreaterThanOrEqual(20_000); // 08:00 is a third of the way through the day
    expect(offsets[eight]).toBeLessThan(22_500);
    const windows = releaseWindows(scripts, offsets, 1_000);
    expect(windows.reduce((n, w) => n + w.scripts.length, 0)).toBe(300);
    expect(windows.map((w) => w.at)).toEqual([...windows.map((w) => w.at)].sort((a, b) => a - b));
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("merges the reports of several runs, unit by unit", () => {
    const unit = (online: number) => ({
      received: { online, direct: 1, postal: 0 },
      refusedAtReception: 0,
      resolved: 1,
      approved: 1,
      refused: 0,
      returned: 1,
      withdrawn: 0,
      open: 0,
      transfers: 0,
      supplements: 0,
      payments: 0,
      extensions: 0,
    });
    const a: DriveReport = {
      runId: "a",
      units: { "H44.100": unit(2) },
      dossiers: [],
      failures: [],
      retries: 1,
    };
    const b: DriveReport = {
      runId: "b",
      units: { "H44.100": unit(3), "H44.101": unit(1) },
      dossiers: [],
      failures: [],
      retries: 1,
    };
    const m = mergeReports("m", [a, b]);
    expect(m.units["H44.100"]?.received).toEqual({ online: 5, direct: 2, postal: 0 });
    expect(m.units["H44.100"]?.resolved).toBe(2);
    expect(m.units["H44.101"]?.received.online).toBe(1);
    expect(m.retries).toBe(2);
    expect(a.units["H44.100"]?.received.online).toBe(2); // inputs untouched
  });
});
