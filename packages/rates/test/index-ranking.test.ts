import { describe, expect, it } from "vitest";
import { emptyIndexCounts, type IndexCounts } from "../src/index-counts.js";
import type { UnitLevel } from "../src/index-criteria.js";
import { rankByIndex } from "../src/index-ranking.js";
import { unitIndex } from "../src/unit-index.js";

const unit = (unitCode: string, counts: Partial<IndexCounts>, level: UnitLevel = "department") => ({
  unitCode,
  index: unitIndex({ ...emptyIndexCounts(), ...counts }, level),
});

/** Progress points = 20 × on time / handled; satisfaction points = 6, or 6 × rate / 0.9 below 90%. */
const units = [
  // 20 × 90 / 100 = 18; satisfaction 100 − 10 − 0 = 90% → 6; total 24
  unit("H44.09", { handled: 100, onTime766: 90, resolved: 100, resolvedLate: 10 }),
  // 20 × 60 / 100 = 12; satisfaction 50% → 6 × 0.5 / 0.9 = 3.33; total 15.33
  unit("H44.07", {
    handled: 100,
    onTime766: 60,
    resolved: 100,
    resolvedLate: 40,
    resolvedComplainedOrDissatisfied: 10,
  }),
  // 20 × 180 / 200 = 18; satisfaction 180 / 200 = 90% → 6; total 24, tied with H44.09
  unit("H44.08", { handled: 200, onTime766: 180, resolved: 200, resolvedLate: 20 }),
  // 20 × 3 / 4 = 15; nothing resolved: satisfaction no data; total 15
  unit("H44.10", { handled: 4, onTime766: 3 }),
  // nothing at all: listed apart
  unit("H44.06", {}),
];

describe("the ranking on the whole index", () => {
  it("ranks by measured total; ties share a rank and are listed by unit code; the next rank skips", () => {
    const r = rankByIndex(units);
    expect(r.ranked.map((x) => [x.rank, x.item.unitCode, x.points, x.measuredMax])).toEqual([
      [1, "H44.08", 24, 49],
      [1, "H44.09", 24, 49],
      [3, "H44.07", 15.33, 49],
      [4, "H44.10", 15, 20],
    ]);
  });

  it("a unit with nothing measured is listed apart, not ranked at 0", () => {
    const r = rankByIndex(units);
    expect(r.unranked.map((x) => x.unitCode)).toEqual(["H44.06"]);
    expect(r.ranked.some((x) => x.item.unitCode === "H44.06")).toBe(false);
  });

  it("the order does not depend on the order the units come in", () => {
    const forward = rankByIndex(units).ranked.map((x) => x.item.unitCode);
    const backward = rankByIndex([...units].reverse()).ranked.map((x) => x.item.unitCode);
    expect(backward).toEqual(forward);
  });

  it("a commune with nothing handled is not ranked on the full marks it is given", () => {
    const r = rankByIndex([
      unit("H44.100", {}, "commune"),
      unit("H44.108", { handled: 10, onTime766: 10 }, "commune"),
    ]);
    // H44.108: 20 + 9 given = 29
    expect(r.ranked.map((x) => [x.rank, x.item.unitCode, x.points])).toEqual([[1, "H44.108", 29]]);
    expect(r.unranked.map((x) => x.unitCode)).toEqual(["H44.100"]);
  });
});

describe("the ranking on one group", () => {
  it("satisfaction: H44.08 and H44.09 tie at 6, H44.07 third; H44.10 (nothing resolved) apart", () => {
    const r = rankByIndex(units, "satisfaction");
    expect(r.ranked.map((x) => [x.rank, x.item.unitCode, x.points])).toEqual([
      [1, "H44.08", 6],
      [1, "H44.09", 6],
      [3, "H44.07", 3.33],
    ]);
    expect(r.unranked.map((x) => x.unitCode)).toEqual(["H44.06", "H44.10"]);
  });

  it("progress: 18, 18, 15, 12", () => {
    const r = rankByIndex(units, "progress");
    expect(r.ranked.map((x) => [x.rank, x.item.unitCode, x.points])).toEqual([
      [1, "H44.08", 18],
      [1, "H44.09", 18],
      [3, "H44.10", 15],
      [4, "H44.07", 12],
    ]);
  });

  it("a group not measured here ranks nobody, communes' full marks included", () => {
    const r = rankByIndex(
      [...units, unit("H44.100", { handled: 1, onTime766: 1 }, "commune")],
      "transparency",
    );
    expect(r.ranked).toEqual([]);
    expect(r.unranked).toHaveLength(6);
  });
});
