import { describe, expect, it } from "vitest";
import { emptyCounts } from "../src/counts.js";
import { figuresOf, PARTIAL_INDEX_POINTS, percent, percentile, progressScore } from "../src/formulas.js";
import { INDEX_GROUPS, INDEX_TOTAL_POINTS } from "../src/index-weights.js";
import { rankUnits } from "../src/ranking.js";

describe("the 766 on-time rate (criterion 2.1) on the portal's real figures", () => {
  it("Phường Việt Trì, August 2026: 2,348 of 2,971 handled on time → 79.03%, 15.81 points", () => {
    expect(percent(2_348, 2_971)).toBe(79.03);
    expect(progressScore(2_348, 2_971)).toBe(15.81);
  });

  it("Phú Thọ, August 2026: 144,625 of 184,513 → 78.38%, 15.68 points", () => {
    expect(percent(144_625, 184_513)).toBe(78.38);
    expect(progressScore(144_625, 184_513)).toBe(15.68);
  });

  it("Sở Công Thương 482 / 332 → 68.88%; Xã Bản Nguyên 1,610 / 1,511 → 93.85%", () => {
    expect(percent(332, 482)).toBe(68.88);
    expect(percent(1_511, 1_610)).toBe(93.85);
  });

  it("Phú Thọ 2026 to 26 September: 528,684 of 597,918 → 88.42%", () => {
    expect(percent(528_684, 597_918)).toBe(88.42);
  });

  it("counts open dossiers not yet due as on time, overdue ones as not, over H(P) = received + carried over", () => {
    // Việt Trì's 2,971 handled split as received in P + carried over, with open dossiers on both sides.
    const f = figuresOf({
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
    });
    expect(f.handled).toBe(2_971);
    expect(f.onTime766).toBe(2_348);
    expect(f.notOnTime766).toBe(623);
    expect(f.onTimeRate766).toBe(79.03);
    expect(f.progressScore).toBe(15.81);
    expect(f.open).toBe(71);
    // the finished-only rate, the one reports quote, is another number: over the 2,800 resolved
    // only (stopped and withdrawn beside it): 2,240 / 2,800
    expect(f.onTimeRateFinished).toBe(80);
  });

  it("no rate when nothing was handled (never 0% or 100% by default)", () => {
    const f = figuresOf(emptyCounts());
    expect(f.onTimeRate766).toBeNull();
    expect(f.onTimeRateFinished).toBeNull();
    expect(f.onlineRate).toBeNull();
    expect(f.progressScore).toBeNull();
  });
});

describe("the online rate", () => {
  it("Phú Thọ, August 2026: 150,956 online, 1,639 direct, 0 postal → 98.93%", () => {
    const f = figuresOf({ ...emptyCounts(), receivedOnline: 150_956, receivedDirect: 1_639 });
    expect(f.received).toBe(152_595);
    expect(f.onlineRate).toBe(98.93);
    // online provision weighs 12 of the index's 100 points
    expect(f.onlineScore).toBe(11.87);
  });

  it("Phường Điện Biên Phủ from 1 July 2025: 2,387 online of 5,780 → 41.3%", () => {
    expect(percent(2_387, 5_780)).toBe(41.3);
  });
});

describe("working time used", () => {
  it("p90 is the nearest-rank 90th percentile", () => {
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNull();
  });
});

describe("the finished-only rate counts resolved dossiers only", () => {
  it("Phú Thọ, September 2025: 98.6% of the 238,971 resolved early or on time; stopped ones stand beside it", () => {
    const f = figuresOf({
      ...emptyCounts(),
      resolved: 238_971,
      resolvedEarly: 200_000,
      resolvedOnTime: 35_626,
      resolvedLate: 3_345,
      stopped: 1_000,
      finished: 239_971,
      early: 200_500,
      onTime: 35_626,
      late: 3_845,
    });
    expect(f.onTimeRateFinished).toBe(98.6);
    // with the stopped ones in the denominator it would read 98.4%, the error the rate must not make
    expect(percent(f.early + f.onTime, f.finished)).toBe(98.4);
  });
});

describe("the index's groups are data with their source", () => {
  it("transparency 18, progress 20, online provision 12, online payment 10, digitisation 22, satisfaction 18 = 100", () => {
    expect(INDEX_GROUPS.map((g) => [g.key, g.points])).toEqual([
      ["transparency", 18],
      ["progress", 20],
      ["onlineProvision", 12],
      ["onlinePayment", 10],
      ["digitisation", 22],
      ["satisfaction", 18],
    ]);
    expect(INDEX_TOTAL_POINTS).toBe(100);
    expect(PARTIAL_INDEX_POINTS).toBe(32);
  });
});

describe("the ranking on the partial index score: progress (20 × 766 rate) + online provision (12 × online rate)", () => {
  const unit = (unitCode: string, early: number, late: number, online: number, direct: number) => ({
    unitCode,
    figures: figuresOf({ ...emptyCounts(), early, late, receivedOnline: online, receivedDirect: direct }),
  });
  it("ranks by total score, ties share a rank, units that handled nothing are not ranked", () => {
    const ranked = rankUnits([
      unit("H44.108", 93, 7, 90, 10), // 18.6 + 10.8 = 29.4
      unit("H44.100", 79, 21, 99, 1), // 15.8 + 11.88 = 27.68
      unit("H44.07", 69, 31, 50, 50), // 13.8 + 6 = 19.8
      unit("H44.109", 93, 7, 90, 10),
      unit("H44.200", 0, 0, 0, 0),
    ]);
    expect(ranked.map((r) => [r.item.unitCode, r.rank, r.total])).toEqual([
      ["H44.108", 1, 29.4],
      ["H44.109", 1, 29.4],
      ["H44.100", 3, 27.68],
      ["H44.07", 4, 19.8],
      ["H44.200", null, null],
    ]);
  });
});

describe("the ranking on the progress score alone: 20 × the 766 on-time rate (criterion 2.1)", () => {
  const unit = (unitCode: string, early: number, late: number, online: number, direct: number) => ({
    unitCode,
    figures: figuresOf({ ...emptyCounts(), early, late, receivedOnline: online, receivedDirect: direct }),
  });
  it("a unit with the better 766 rate ranks first whatever its online rate; ties by more handled", () => {
    const units = [
      unit("H44.100", 79, 21, 99, 1), // 15.8 (partial 27.68)
      unit("H44.07", 90, 10, 10, 90), // 18 (partial 19.2)
      unit("H44.108", 9, 1, 5, 5), // 18, fewer handled
      unit("H44.200", 0, 0, 0, 0),
    ];
    expect(rankUnits(units, "progress").map((r) => [r.item.unitCode, r.rank, r.total])).toEqual([
      ["H44.07", 1, 18],
      ["H44.108", 2, 18],
      ["H44.100", 3, 15.8],
      ["H44.200", null, null],
    ]);
    // on the partial score the online rate puts Việt Trì first
    expect(rankUnits(units, "partial")[0]?.item.unitCode).toBe("H44.100");
  });
});
