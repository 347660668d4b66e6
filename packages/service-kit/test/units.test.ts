import { describe, expect, it } from "vitest";
import { isUnitBelow, isUnitWithin, parentUnitOf, unitLineage, unitsBelowPattern } from "../src/units.js";

describe("the unit hierarchy is the codes' own", () => {
  it("a commune and a department lie under their province, not under each other", () => {
    expect(isUnitWithin("H44.100", "H44")).toBe(true);
    expect(isUnitBelow("H44.100", "H44")).toBe(true);
    expect(isUnitWithin("H44", "H44")).toBe(true);
    expect(isUnitBelow("H44", "H44")).toBe(false);
    expect(isUnitWithin("H44.100", "H44.10")).toBe(false);
    expect(isUnitWithin("H44.07", "H44.100")).toBe(false);
    expect(isUnitWithin("H440.1", "H44")).toBe(false);
  });

  it("names the parent and the lineage, nearest first, and the SQL pattern of the units below", () => {
    expect(parentUnitOf("H44.100")).toBe("H44");
    expect(parentUnitOf("H44")).toBeNull();
    expect(unitLineage("H44.07.2")).toEqual(["H44.07.2", "H44.07", "H44"]);
    expect(unitsBelowPattern("H44")).toBe("H44.%");
  });
});
