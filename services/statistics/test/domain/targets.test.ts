import { describe, expect, it } from "vitest";
import { targetsVariable } from "../../src/domain/targets.js";

describe("STATS_TARGETS: a province's own targets, in percent", () => {
  it("reads a province's 766 and online targets; unset means no target", () => {
    expect(targetsVariable.parse('{"H44":{"onTimeRate766":95,"onlineRate":80}}')).toEqual({
      H44: { onTimeRate766: 95, onlineRate: 80 },
    });
    expect(targetsVariable.parse(undefined)).toEqual({});
    expect(targetsVariable.parse('{"H44":{"onTimeRate766":95}}')).toEqual({ H44: { onTimeRate766: 95 } });
  });

  it("refuses what is not JSON, a unit that is not a province, a rate past 100 and an unknown target", () => {
    const problems = (text: string) =>
      targetsVariable.safeParse(text).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(problems("H44=95")?.[0]?.[1]).toContain("not JSON");
    expect(problems('{"H44.07":{"onTimeRate766":95}}')?.[0]?.[1]).toContain("province");
    expect(problems('{"H44":{"onTimeRate766":101}}')?.[0]?.[0]).toBe("H44.onTimeRate766");
    expect(problems('{"H44":{"satisfaction":90}}')?.length).toBe(1);
  });
});
