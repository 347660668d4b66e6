import { describe, expect, it } from "vitest";
import { type DossierScript, fitPlan, loadProvince, planPeriod } from "../src/index.js";

const province = loadProvince();
/** The third quarter of 2025 (the 2 September holidays), at a fiftieth of Phú Thọ's volume. */
const targets = { received: 5_080, onlineShare: 0.9206, resolvedShare: 0.9409, onTimeShare: 0.986 };
const quarter = { firstDate: "2025-07-01", days: 92, targets };

/** The plan's own figures: received (accepted) dossiers, and their channels and fates. */
function figuresOf(scripts: readonly DossierScript[]) {
  const received = scripts.filter(
    (s) => s.fate !== "refused-at-reception" && s.fate !== "lapsed-before-acceptance",
  );
  const resolved = received.filter((s) => s.fate === "resolved" || s.fate === "resolved-late");
  return {
    received: received.length,
    online: received.filter((s) => s.channel === "online").length / received.length,
    resolved: resolved.length / received.length,
    onTime: resolved.filter((s) => s.verdict !== "late").length / resolved.length,
  };
}

describe("a plan fitted to a period's published figures", () => {
  it("counts the quarter's working days on the province's calendar", () => {
    const fit = fitPlan(province, quarter);
    // 66 weekdays from 1 July to 30 September 2025, less Monday 1 and Tuesday 2 September.
    expect(fit.workingDays).toBe(64);
    expect(fit.offDays).toBe(28);
    expect(fit.shares.online).toBeLessThan(targets.onlineShare);
  });

  it("gives a plan whose received volume and shares match the targets within sampling tolerance", () => {
    const fit = fitPlan(province, quarter);
    for (const seed of [1, 2025]) {
      const f = figuresOf(
        planPeriod(province, {
          seed,
          firstDate: quarter.firstDate,
          days: quarter.days,
          dossiersPerDay: fit.dossiersPerDay,
          shares: fit.shares,
        }),
      );
      // Standard errors over about 5,000 dossiers: 0.4 point online, 0.33 resolved, 0.17 on time.
      expect(Math.abs(f.received - targets.received) / targets.received).toBeLessThan(0.03);
      expect(Math.abs(f.online - targets.onlineShare)).toBeLessThan(0.012);
      expect(Math.abs(f.resolved - targets.resolvedShare)).toBeLessThan(0.01);
      expect(Math.abs(f.onTime - targets.onTimeShare)).toBeLessThan(0.006);
    }
  });

  it("moves with the targets: a lower online share gives fewer online dossiers", () => {
    const low = fitPlan(province, { ...quarter, targets: { ...targets, onlineShare: 0.6 } });
    const f = figuresOf(
      planPeriod(province, {
        seed: 3,
        firstDate: quarter.firstDate,
        days: quarter.days,
        dossiersPerDay: low.dossiersPerDay,
        shares: low.shares,
      }),
    );
    expect(Math.abs(f.online - 0.6)).toBeLessThan(0.02);
    expect(Math.abs(f.received - targets.received) / targets.received).toBeLessThan(0.03);
  });

  it("refuses targets it cannot meet", () => {
    expect(() => fitPlan(province, { ...quarter, targets: { ...targets, resolvedShare: 0.999 } })).toThrow(
      RangeError,
    );
    expect(() => fitPlan(province, { ...quarter, targets: { ...targets, onlineShare: 1 } })).toThrow(
      RangeError,
    );
  });
});
