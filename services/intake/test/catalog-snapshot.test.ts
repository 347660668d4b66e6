import { describe, expect, it } from "vitest";
import { CatalogMemory, type CatalogRevision } from "../src/domain/catalog-snapshot.js";
import { seedCatalogue } from "../src/service.js";

const seed = seedCatalogue();
const procedure = seed.find((e) => e.key === "procedure:1.004873");
if (!procedure) throw new Error("the seed has procedure 1.004873");
const at = (revision: number, active: boolean): CatalogRevision => ({
  ...procedure,
  data: { ...procedure.data, active } as CatalogRevision["data"],
  revision,
});

describe("the catalogue held in memory", () => {
  it("takes a record only above the revision it holds: a copy or an older one changes nothing", () => {
    const memory = new CatalogMemory();
    expect(memory.apply(at(1, true))).toBe(true);
    expect(memory.apply(at(2, false))).toBe(true);
    expect(memory.apply(at(2, true))).toBe(false);
    expect(memory.apply(at(1, true))).toBe(false);
    expect(memory.snapshot().procedures.get("1.004873")).toMatchObject({
      revision: 2,
      data: { active: false },
    });
  });

  it("builds the snapshot again only after a change", () => {
    const memory = new CatalogMemory();
    for (const e of seed) memory.apply({ ...e, revision: 1 });
    const first = memory.snapshot();
    expect(first.units.size).toBeGreaterThan(0);
    expect(memory.snapshot()).toBe(first);
    memory.apply(at(1, false));
    expect(memory.snapshot()).toBe(first);
    memory.apply(at(3, false));
    const next = memory.snapshot();
    expect(next).not.toBe(first);
    expect(next.procedures.get("1.004873")?.revision).toBe(3);
  });
});
