import { describe, expect, it } from "vitest";
import { emptyCounts } from "../src/counts.js";
import { figuresOf } from "../src/formulas.js";
import {
  addIndexCounts,
  emptyIndexCounts,
  INDEX_COUNT_KEYS,
  type IndexCounts,
  indexCountsOf,
} from "../src/index-counts.js";
import { INDEX_CRITERIA, indexCriterion, UNIT_LEVELS } from "../src/index-criteria.js";
import { INDEX_GROUPS } from "../src/index-weights.js";
import { unitIndex } from "../src/unit-index.js";

/**
 * One unit's period, every observed criterion with data (the fixtures of index-groups.test.ts):
 * progress 144,625 / 184,513 → 15.68 of 20; online provision 135 / 200 → 8.1 of 12; digitisation
 * 160 / 200 → 5.5, 799 / 1,000 → 5.49, 100 / 200 → 3.44, i.e. 14.43 of the 16.5 measured (the
 * 5.5 of data reuse not measured); satisfaction 184 / 200 = 92% → 6 of the 6 measured.
 * Total 15.68 + 8.1 + 14.43 + 6 = 44.21, measured maximum 20 + 12 + 16.5 + 6 = 54.5.
 */
const period: IndexCounts = {
  handled: 184_513,
  onTime766: 144_625,
  received: 1_000,
  receivedOnline: 800,
  receivedDigitised: 799,
  resolved: 200,
  resolvedOnline: 150,
  resolvedOnlinePaperResult: 60,
  resolvedOnlinePaperResultElectronic: 45,
  resolvedElectronicResult: 160,
  resolvedResultDigitised: 100,
  resolvedLate: 10,
  resolvedComplainedOrDissatisfied: 6,
};

const group = (index: ReturnType<typeof unitIndex>, key: string) => {
  const g = index.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key}`);
  return g;
};

describe("a unit's whole index over a period, group by group", () => {
  it("a department: 44.21 measured of 54.5 measurable; transparency and online payment not measured here", () => {
    const index = unitIndex(period, "department");
    expect(index.groups.map((g) => [g.key, g.status, g.points, g.measuredMax, g.outOf])).toEqual([
      ["transparency", "notMeasured", null, 0, 18],
      ["progress", "measured", 15.68, 20, 20],
      ["onlineProvision", "measured", 8.1, 12, 12],
      ["onlinePayment", "notMeasured", null, 0, 10],
      ["digitisation", "measured", 14.43, 16.5, 22],
      ["satisfaction", "measured", 6, 6, 18],
    ]);
    expect(index.total).toBe(44.21);
    expect(index.measuredMax).toBe(54.5);
    expect(index.outOf).toBe(100);
    expect(index.notMeasuredGroups).toEqual(["transparency", "onlinePayment"]);
    expect(index.notMeasuredCriteria).toEqual([
      "transparency.publication",
      "transparency.portalSync",
      "onlinePayment.nationalGateway",
      "digitisation.nationalDataReuse",
      "satisfaction.complaintsOnTime",
      "satisfaction.complaintHandling",
    ]);
    expect(index.noDataCriteria).toEqual([]);
  });

  it("a commune gets the full 9 points of the publication of procedures, which it does not publish", () => {
    // the same counts: 44.21 + 9 = 53.21, of 54.5 + 9 = 63.5
    const index = unitIndex(period, "commune");
    const transparency = group(index, "transparency");
    expect(transparency.criteria.map((c) => [c.key, c.status, c.points])).toEqual([
      ["transparency.publication", "fullMarks", 9],
      ["transparency.portalSync", "notMeasured", null],
    ]);
    expect([transparency.status, transparency.points, transparency.measuredMax]).toEqual([
      "fullMarksOnly",
      9,
      9,
    ]);
    expect(index.total).toBe(53.21);
    expect(index.measuredMax).toBe(63.5);
    expect(index.notMeasuredGroups).toEqual(["onlinePayment"]);
  });

  it("the province is scored like a department: no full marks given", () => {
    expect(unitIndex(period, "province").total).toBe(44.21);
  });

  it("nothing handled: no total, every observed criterion 'no data', no NaN anywhere", () => {
    const index = unitIndex(emptyIndexCounts(), "province");
    expect(index.total).toBeNull();
    expect(index.measuredMax).toBe(0);
    expect(index.noDataCriteria).toEqual([
      "progress.onTime766",
      "onlineProvision.onlineDossiers",
      "digitisation.electronicResults",
      "digitisation.digitisedDossiers",
      "digitisation.digitisedResults",
      "satisfaction.dossiers",
    ]);
    expect(index.groups.map((g) => g.status)).toEqual([
      "notMeasured",
      "noData",
      "noData",
      "notMeasured",
      "noData",
      "noData",
    ]);
    expect(JSON.stringify(index)).not.toMatch(/NaN|Infinity/);
    const numbers = index.groups.flatMap((g) => g.criteria.flatMap((c) => [c.rate, c.points]));
    expect(numbers.every((x) => x === null)).toBe(true);
  });

  it("a commune with nothing handled still has no total: full marks alone are not a measurement", () => {
    const index = unitIndex(emptyIndexCounts(), "commune");
    expect(index.total).toBeNull();
    expect(group(index, "transparency").points).toBe(9);
  });

  it("a criterion with no data is left out of the total and of the maximum, not counted as 0", () => {
    // progress only: 15.68 of 20
    const index = unitIndex({ ...emptyIndexCounts(), handled: 184_513, onTime766: 144_625 }, "department");
    expect([index.total, index.measuredMax]).toEqual([15.68, 20]);
  });

  it("counts add up: the index of two halves' summed counts is the whole period's", () => {
    const half = emptyIndexCounts();
    const rest = emptyIndexCounts();
    for (const k of INDEX_COUNT_KEYS) {
      half[k] = Math.floor(period[k] / 2);
      rest[k] = period[k] - half[k];
    }
    expect(unitIndex(half, "department").total).not.toBe(44.21);
    expect(unitIndex(addIndexCounts(half, rest), "department")).toEqual(unitIndex(period, "department"));
  });
});

describe("the criteria are data with their source", () => {
  it("each group's criteria add up to the group's points", () => {
    for (const g of INDEX_GROUPS) {
      const sum = INDEX_CRITERIA.filter((c) => c.group === g.key).reduce((s, c) => s + c.points, 0);
      expect([g.key, sum]).toEqual([g.key, g.points]);
    }
  });

  it("the thresholds: digitisation full at 80%, dossier satisfaction full at 90%", () => {
    expect(indexCriterion("digitisation.electronicResults").scoring).toEqual({
      kind: "fullAt",
      threshold: 0.8,
    });
    expect(indexCriterion("satisfaction.dossiers").scoring).toEqual({ kind: "fullAt", threshold: 0.9 });
    expect(indexCriterion("progress.onTime766").scoring).toEqual({ kind: "proportional" });
  });

  it("only the publication of procedures does not apply at commune level", () => {
    const notAtCommune = INDEX_CRITERIA.filter((c) => !c.appliesAt.includes("commune")).map((c) => c.key);
    expect(notAtCommune).toEqual(["transparency.publication"]);
    expect(UNIT_LEVELS).toEqual(["province", "department", "commune"]);
  });
});

describe("the progress group is the 766 on-time rate of the statistics' figures", () => {
  it("Phường Việt Trì, August 2026, from its RawCounts: 2,348 of 2,971 → 15.81, the points progressScore gives", () => {
    // the breakdown of formulas.test.ts: 700 direct + 2,171 online + 100 carried over = 2,971 handled;
    // 1,500 early + 800 on time + 48 open within the deadline = 2,348
    const raw = {
      ...emptyCounts(),
      receivedDirect: 700,
      receivedOnline: 2_171,
      carriedOver: 100,
      early: 1_500,
      onTime: 800,
      late: 600,
      resolved: 2_800,
      resolvedEarly: 1_480,
      resolvedOnTime: 760,
      resolvedLate: 560,
      openWithin: 48,
      openOverdue: 23,
    };
    const counts = indexCountsOf(raw, { ...emptyIndexCounts() });
    expect([counts.handled, counts.onTime766, counts.received, counts.receivedOnline]).toEqual([
      2_971, 2_348, 2_871, 2_171,
    ]);
    const progress = group(unitIndex(counts, "commune"), "progress");
    expect(progress.points).toBe(15.81);
    expect(progress.points).toBe(figuresOf(raw).progressScore);
    // satisfaction from the same counts: 2,800 resolved, 560 late, no complaint → 80% → 6 × 0.8 / 0.9 = 5.33
    expect(group(unitIndex(counts, "commune"), "satisfaction").points).toBe(5.33);
  });
});
