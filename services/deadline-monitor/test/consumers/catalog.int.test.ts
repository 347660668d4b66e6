import { CALENDAR_2026_V1, CALENDAR_2026_V2 } from "@tthc/calendar";
import type { CatalogRecord } from "@tthc/contracts";
import type { TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleCatalog } from "../../src/consumers/catalog.js";
import { applyRuns, deliveries, dump, monitorSchema } from "./runs.js";

const updatedAt = "2026-11-01T00:00:00+07:00";

const unit = (code: string, revision: number, name = `Phường ${code}`): CatalogRecord => ({
  type: "unit",
  version: 1,
  key: `unit:${code}`,
  revision,
  updatedAt,
  data: {
    code,
    name,
    level: "ward",
    parentCode: "H44",
    electronicId: "000.00.01.H44",
    workingSessions: null,
    active: true,
  },
});

const calendar = (revision: number): CatalogRecord => ({
  type: "calendar",
  version: 1,
  key: "calendar:2026",
  revision,
  updatedAt,
  data: {
    year: 2026,
    version: 3,
    effectiveFrom: "2026-11-10T00:00:00+07:00",
    source: "test decision",
    daysOff: CALENDAR_2026_V2.daysOff.map((d) => ({ ...d })),
    workingDays: CALENDAR_2026_V2.makeUpWorkingDays.map((d) => ({ ...d })),
    basis: "decreed",
    cultureDay24Nov: true,
    sources: [{ reference: "test decision", subject: "24 November off" }],
    previousVersions: [CALENDAR_2026_V1, CALENDAR_2026_V2],
  },
});

describe("the monitor's catalogue handler, fed copies of what it already keeps", () => {
  let env: TestEnv;
  const history = [
    unit("H44.101", 1),
    calendar(1),
    unit("H44.102", 1),
    unit("H44.101", 2, "Phường Mới"),
    calendar(2),
  ];
  const apply = async (runs: CatalogRecord[][]) => {
    for (const run of runs) {
      const ds = deliveries(
        run,
        "catalog",
        (r) => `${r.key}@${r.revision}`,
        (r) => r.key,
      );
      await applyRuns(env.pool, handleCatalog, [ds]);
    }
  };

  beforeAll(async () => {
    env = await monitorSchema("monitor-catalog-copies");
    await apply([history.slice(0, 2), history.slice(2)]);
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it("keeps the latest revision of each key", async () => {
    const { rows } = await env.pool.query<{ key: string; revision: number }>(
      "SELECT key, revision FROM catalog_records ORDER BY key",
    );
    expect(rows).toEqual([
      { key: "calendar:2026", revision: 2 },
      { key: "unit:H44.101", revision: 2 },
      { key: "unit:H44.102", revision: 1 },
    ]);
  });

  it("copies, in one run, one by one and older after newer, change no row, not even the sequence the calendars reload by", async () => {
    const before = await dump(env.pool, ["catalog_records"]);
    await apply([[...history, ...history]]);
    await apply(history.map((r) => [r]));
    await apply([[history[4] as CatalogRecord, history[0] as CatalogRecord, history[4] as CatalogRecord]]);
    expect(await dump(env.pool, ["catalog_records"])).toEqual(before);
  });

  it("a newer revision still replaces the one kept", async () => {
    await apply([[unit("H44.102", 2, "Phường Đổi Tên")]]);
    const { rows } = await env.pool.query<{ data: CatalogRecord }>(
      "SELECT data FROM catalog_records WHERE key = 'unit:H44.102'",
    );
    expect(rows[0]?.data).toMatchObject({ revision: 2, data: { name: "Phường Đổi Tên" } });
  });
});
