import { describe, expect, it } from "vitest";
import { emptyIndexCounts, type IndexCounts } from "../src/index-counts.js";
import type { CriterionKey, UnitLevel } from "../src/index-criteria.js";
import { pointsOf } from "../src/index-scoring.js";
import { type CriterionResult, unitIndex } from "../src/unit-index.js";

const criterion = (counts: Partial<IndexCounts>, key: CriterionKey, level: UnitLevel = "province") => {
  const found = unitIndex({ ...emptyIndexCounts(), ...counts }, level)
    .groups.flatMap((g) => g.criteria)
    .find((c) => c.key === key);
  if (!found) throw new Error(`no criterion ${key}`);
  return found;
};
const figures = (c: CriterionResult) => [c.status, c.numerator, c.denominator, c.rate, c.points, c.maxPoints];

describe("progress (20 points = 20 × the 766 on-time rate)", () => {
  it("Phú Thọ, August 2026: 144,625 of 184,513 handled on time → 78.38%, 15.68 points", () => {
    // 20 × 144,625 / 184,513 = 20 × 0.78382 = 15.676 → 15.68
    const c = criterion({ handled: 184_513, onTime766: 144_625 }, "progress.onTime766");
    expect(figures(c)).toEqual(["scored", 144_625, 184_513, 78.38, 15.68, 20]);
  });

  it("Phường Việt Trì (a ward), August 2026: 2,348 of 2,971 → 79.03%, 15.81 points", () => {
    // 20 × 2,348 / 2,971 = 20 × 0.79031 = 15.806 → 15.81
    const c = criterion({ handled: 2_971, onTime766: 2_348 }, "progress.onTime766", "commune");
    expect(figures(c)).toEqual(["scored", 2_348, 2_971, 79.03, 15.81, 20]);
  });

  it("nothing handled: no data, no rate, no points (never 0 or NaN)", () => {
    expect(figures(criterion({}, "progress.onTime766"))).toEqual(["noData", 0, 0, null, null, 20]);
  });
});

describe("online provision (12 points × the stricter online rate; the online rate reported beside it)", () => {
  // 250 received, 200 online. 200 resolved, 150 of them online; 60 of those for a procedure whose
  // result is a paper, 45 of which got an electronic result: the 15 without one do not count.
  const counts = {
    received: 250,
    receivedOnline: 200,
    resolved: 200,
    resolvedOnline: 150,
    resolvedOnlinePaperResult: 60,
    resolvedOnlinePaperResultElectronic: 45,
  };

  it("scores the stricter rate: (150 − 60 + 45) / 200 = 135 / 200 = 67.5% → 12 × 0.675 = 8.1 points", () => {
    const c = criterion(counts, "onlineProvision.onlineDossiers");
    expect(figures(c)).toEqual(["scored", 135, 200, 67.5, 8.1, 12]);
  });

  it("reports both rates with their counts: online 200 / 250 = 80%, stricter 135 / 200 = 67.5%", () => {
    const c = criterion(counts, "onlineProvision.onlineDossiers");
    expect(c.reported.map((r) => [r.numerator, r.denominator, r.rate])).toEqual([
      [200, 250, 80],
      [135, 200, 67.5],
    ]);
  });

  it("Phú Thọ, August 2026: the online rate 150,956 / 152,595 = 98.93% is reported even with nothing resolved", () => {
    const c = criterion({ received: 152_595, receivedOnline: 150_956 }, "onlineProvision.onlineDossiers");
    expect(c.reported[0]?.rate).toBe(98.93);
    // the stricter rate, the one that scores, has no resolved dossier to judge: no data
    expect(figures(c)).toEqual(["noData", 0, 0, null, null, 12]);
  });

  it("an online dossier of a procedure whose result is not a paper counts without an electronic result", () => {
    // 10 resolved, all online, none for a paper-result procedure: 10 / 10 → 12 points
    const c = criterion({ resolved: 10, resolvedOnline: 10 }, "onlineProvision.onlineDossiers");
    expect(c.points).toBe(12);
  });
});

describe("digitisation (each criterion 5.5 points: full at ≥ 80%, else 5.5 × rate / 80%)", () => {
  it("electronic results exactly at the threshold: 160 / 200 = 80% → full 5.5", () => {
    const c = criterion({ resolved: 200, resolvedElectronicResult: 160 }, "digitisation.electronicResults");
    expect(figures(c)).toEqual(["scored", 160, 200, 80, 5.5, 5.5]);
  });

  it("digitised dossiers just below: 799 / 1,000 = 79.9% → 5.5 × 0.999 / 0.8 = 5.4931 → 5.49", () => {
    const c = criterion({ received: 1_000, receivedDigitised: 799 }, "digitisation.digitisedDossiers");
    expect(figures(c)).toEqual(["scored", 799, 1_000, 79.9, 5.49, 5.5]);
  });

  it("digitised results at half: 100 / 200 = 50% → 5.5 × 0.5 / 0.8 = 3.4375 → 3.44", () => {
    const c = criterion({ resolved: 200, resolvedResultDigitised: 100 }, "digitisation.digitisedResults");
    expect(figures(c)).toEqual(["scored", 100, 200, 50, 3.44, 5.5]);
  });

  it("above the threshold is full marks, not more: 190 / 200 = 95% → 5.5", () => {
    expect(
      criterion({ resolved: 200, resolvedElectronicResult: 190 }, "digitisation.electronicResults").points,
    ).toBe(5.5);
  });

  it("the reuse of VNeID and national data is not measured here: no points, no counts", () => {
    const c = criterion({ resolved: 200, resolvedElectronicResult: 190 }, "digitisation.nationalDataReuse");
    expect(figures(c)).toEqual(["notMeasured", null, null, null, null, 5.5]);
  });
});

describe("satisfaction (dossiers: 100% − (late rate + complaint rate), 6 points, full at ≥ 90%)", () => {
  it("200 resolved, 10 late, 6 with a complaint or a dissatisfied rating → 100% − (5% + 3%) = 92% → full 6", () => {
    const c = criterion(
      { resolved: 200, resolvedLate: 10, resolvedComplainedOrDissatisfied: 6 },
      "satisfaction.dossiers",
    );
    // satisfied = 200 − 10 − 6 = 184; 184 / 200 = 92%
    expect(figures(c)).toEqual(["scored", 184, 200, 92, 6, 6]);
    expect(c.reported.map((r) => r.rate)).toEqual([5, 3]);
  });

  it("exactly at 90%: 100 resolved, 6 late, 4 complained → 90 / 100 → full 6", () => {
    const c = criterion(
      { resolved: 100, resolvedLate: 6, resolvedComplainedOrDissatisfied: 4 },
      "satisfaction.dossiers",
    );
    expect(figures(c)).toEqual(["scored", 90, 100, 90, 6, 6]);
  });

  it("just below: 1,000 resolved, 60 late, 41 complained → 89.9% → 6 × 0.899 / 0.9 = 5.9933 → 5.99", () => {
    const c = criterion(
      { resolved: 1_000, resolvedLate: 60, resolvedComplainedOrDissatisfied: 41 },
      "satisfaction.dossiers",
    );
    expect(figures(c)).toEqual(["scored", 899, 1_000, 89.9, 5.99, 6]);
  });

  it("half: 100 resolved, 30 late, 20 complained → 50% → 6 × 0.5 / 0.9 = 3.333 → 3.33", () => {
    const c = criterion(
      { resolved: 100, resolvedLate: 30, resolvedComplainedOrDissatisfied: 20 },
      "satisfaction.dossiers",
    );
    expect(c.points).toBe(3.33);
  });

  it("a late dossier that is also complained of is subtracted twice, as the text reads, but never below 0%", () => {
    // 100 − (70% + 50%) = −20% → 0%: measured, and worth 0 points
    const c = criterion(
      { resolved: 100, resolvedLate: 70, resolvedComplainedOrDissatisfied: 50 },
      "satisfaction.dossiers",
    );
    expect(figures(c)).toEqual(["scored", 0, 100, 0, 0, 6]);
  });

  it("the two criteria on complaints are not measured here", () => {
    for (const key of ["satisfaction.complaintsOnTime", "satisfaction.complaintHandling"] as const) {
      expect(criterion({ resolved: 100 }, key).status).toBe("notMeasured");
    }
  });
});

describe("the scoring rules", () => {
  it("proportional: points × rate; full at a threshold: points × rate / threshold below it, full from it", () => {
    expect(pointsOf({ kind: "proportional" }, 20, 1, 4)).toBe(5);
    expect(pointsOf({ kind: "fullAt", threshold: 0.8 }, 10, 2, 5)).toBe(5);
    expect(pointsOf({ kind: "fullAt", threshold: 0.8 }, 10, 4, 5)).toBe(10);
    expect(pointsOf({ kind: "fullAt", threshold: 0.8 }, 10, 5, 5)).toBe(10);
  });

  it("over nothing there are no points, whatever the rule", () => {
    expect(pointsOf({ kind: "proportional" }, 20, 0, 0)).toBeNull();
    expect(pointsOf({ kind: "fullAt", threshold: 0.9 }, 6, 0, 0)).toBeNull();
  });
});
