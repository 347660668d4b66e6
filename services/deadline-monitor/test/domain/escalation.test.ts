import type { Unit } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { escalationChain, escalationKey, nextStep, stepOverdueMinutes } from "../../src/domain/escalation.js";

const unit = (code: string, level: Unit["level"], parentCode: string | null, active = true): Unit => ({
  code,
  name: code,
  level,
  parentCode,
  electronicId: "000.00.00.H44",
  workingSessions: null,
  active,
});

function catalogueOf(units: Unit[]) {
  const byCode = new Map(units.map((u) => [u.code, u]));
  return { unit: (code: string) => byCode.get(code), allUnits: () => units };
}

const phuTho = catalogueOf([
  unit("H44", "province", null),
  unit("H44.90", "provincial-centre", "H44"),
  unit("H44.04", "department", "H44"),
  unit("H44.101", "ward", "H44"),
  unit("H45", "province", null),
  unit("H45.90", "provincial-centre", "H45"),
]);

describe("the escalation chain of a unit", () => {
  it("goes from the holding unit to its parent, then to its province's one-stop centre", () => {
    expect(escalationChain("H44.101", phuTho)).toEqual({
      "escalation-unit": "H44.101",
      "escalation-parent": "H44",
      "escalation-centre": "H44.90",
    });
    expect(escalationChain("H44.04", phuTho)["escalation-centre"]).toBe("H44.90");
  });

  it("skips a step with no unit of its own: the province has no parent, the centre no centre above it", () => {
    expect(escalationChain("H44", phuTho)).toEqual({
      "escalation-unit": "H44",
      "escalation-parent": null,
      "escalation-centre": "H44.90",
    });
    expect(escalationChain("H44.90", phuTho)).toEqual({
      "escalation-unit": "H44.90",
      "escalation-parent": "H44",
      "escalation-centre": null,
    });
  });

  it("takes the parent from the code where the catalogue has not described the unit, and no inactive centre", () => {
    const noCentre = catalogueOf([unit("H44.90", "provincial-centre", "H44", false)]);
    expect(escalationChain("H44.117", noCentre)).toEqual({
      "escalation-unit": "H44.117",
      "escalation-parent": "H44",
      "escalation-centre": null,
    });
  });
});

describe("the steps", () => {
  it("come after 0, N and 2N working hours overdue, in order", () => {
    expect(
      (["escalation-unit", "escalation-parent", "escalation-centre"] as const).map((k) =>
        stepOverdueMinutes(k, 8),
      ),
    ).toEqual([0, 480, 960]);
    expect([
      nextStep("escalation-unit"),
      nextStep("escalation-parent"),
      nextStep("escalation-centre"),
    ]).toEqual(["escalation-parent", "escalation-centre", null]);
  });

  it("are keyed by the dossier, the level and the promised date only", () => {
    const at = new Date("2026-11-17T10:00:00+07:00");
    expect(escalationKey("d1", "escalation-parent", at)).toBe(
      escalationKey("d1", "escalation-parent", new Date(at.getTime())),
    );
    expect(escalationKey("d1", "escalation-parent", at)).toBe("escalation|d1|2|2026-11-17T03:00:00.000Z");
    expect(escalationKey("d1", "escalation-parent", new Date(at.getTime() + 1))).not.toBe(
      escalationKey("d1", "escalation-parent", at),
    );
  });
});
