import { describe, expect, it } from "vitest";
import { type AccessRule, checkRoles, type UnitRule, unitDecision } from "../src/access.js";

const staff = (unit: string, ...roles: ("reception" | "specialist" | "leader" | "admin")[]) => ({
  sub: "x",
  unit,
  roles,
});
const receive: UnitRule = { who: "unit", roles: ["reception"], units: () => [] };
const read: UnitRule = { who: "unit", parentLeader: true, admin: true, units: () => [] };

describe("an access rule decides from roles, then from the resource's units", () => {
  it("refuses a role that no resource could let through, before looking at any", () => {
    expect(() => checkRoles(receive, staff("H44.100", "specialist"))).toThrow(/not allowed/);
    expect(() => checkRoles(receive, staff("H44.100", "reception"))).not.toThrow();
    expect(() => checkRoles({ who: "admin" } satisfies AccessRule, staff("H44", "leader"))).toThrow();
    expect(() => checkRoles(read, staff("H44.108", "specialist"))).not.toThrow();
  });

  it("lets the own unit, a leader above and an admin through where the rule says so", () => {
    expect(unitDecision(receive, staff("H44.100", "reception"), ["H44.100"])).toBe("allowed");
    expect(unitDecision(receive, staff("H44.108", "reception"), ["H44.100"])).toBe("outsider");
    expect(unitDecision(receive, staff("H44", "leader", "reception"), ["H44.100"])).toBe("outsider");
    expect(unitDecision(read, staff("H44", "leader"), ["H44.100"])).toBe("allowed");
    expect(unitDecision(read, staff("H44", "specialist"), ["H44.100"])).toBe("outsider");
    expect(unitDecision(read, staff("H44.108", "leader"), ["H44.100"])).toBe("outsider");
    expect(unitDecision(read, staff("H44.90", "admin"), ["H44.100"])).toBe("allowed");
    expect(unitDecision({ ...receive, roles: ["leader"] }, staff("H44.100", "specialist"), ["H44.100"])).toBe(
      "wrong-role",
    );
  });
});
