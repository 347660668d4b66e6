import { describe, expect, it } from "vitest";
import { type CatalogRecord, catalogKey, Procedure, parseCatalogRecord, Unit } from "../src/catalog.js";

const procedure = {
  code: "2.000815",
  name: "Chứng thực bản sao từ bản chính",
  field: "Chứng thực",
  statutoryTime: { amount: 1, unit: "within-day" },
  cutOff: "15:00",
  supplementRule: "pause",
  maxSupplementRequests: 1,
  steps: [
    {
      id: "reception",
      name: "Tiếp nhận",
      unitRole: "receiving",
      unitCode: null,
      budget: { amount: 1, unit: "hours" },
    },
    {
      id: "certify",
      name: "Chứng thực",
      unitRole: "deciding",
      unitCode: null,
      budget: { amount: 3, unit: "hours" },
    },
  ],
  onlineServiceLevel: "partial",
  active: true,
};

const unit = {
  code: "H44.100",
  name: "Phường Việt Trì",
  level: "ward",
  parentCode: "H44",
  electronicId: "000.00.100.H44",
  workingSessions: {
    sessions: [
      { weekdays: [1, 2, 3, 4, 5], from: "07:30", to: "11:30" },
      { weekdays: [1, 2, 3, 4, 5], from: "13:30", to: "17:00" },
    ],
    makeUpDaysAreWorking: true,
  },
  receptionSessions: [{ weekdays: [6], from: "07:30", to: "11:30" }],
  active: true,
};

const calendar = {
  year: 2026,
  version: 2,
  effectiveFrom: "2025-12-26T00:00:00+07:00",
  source: "Công văn 12729/VPCP-KGVX; Công văn 9859/VPCP-KGVX",
  daysOff: ["2026-01-01", { date: "2026-01-02", name: "Nghỉ bù (hoán đổi)", swappedWith: "2026-01-10" }],
  workingDays: [{ date: "2026-01-10", name: "Làm bù" }, "2026-08-22"],
  computedBy: "rules+decrees",
};

const record = (type: string, key: string, data: unknown) => ({
  type,
  version: 1,
  key,
  revision: 4,
  updatedAt: "2026-01-05T08:00:00+07:00",
  data,
});

describe("catalog records", () => {
  it.each([
    ["procedure", "procedure:2.000815", procedure],
    ["unit", "unit:H44.100", unit],
    ["calendar", "calendar:2026", calendar],
  ])("a %s record parses and is keyed by its content", (type, key, data) => {
    const result = parseCatalogRecord(JSON.stringify(record(type, key, data)));
    expect(result.ok).toBe(true);
    if (result.ok) expect(catalogKey(result.value)).toBe(key);
  });

  it("refuses a record filed under another key", () => {
    const result = parseCatalogRecord(record("unit", "unit:H44.07", unit));
    expect(result.ok || result.error.message).toBe("key: expected key unit:H44.100");
  });

  it("keeps what it does not know of a calendar, for now", () => {
    const result = parseCatalogRecord(record("calendar", "calendar:2026", calendar));
    const data = result.ok ? (result.value as Extract<CatalogRecord, { type: "calendar" }>).data : undefined;
    expect(data?.computedBy).toBe("rules+decrees");
    expect(data?.daysOff[1]).toMatchObject({ swappedWith: "2026-01-10" });
  });

  it("refuses a bad date in a calendar", () => {
    const bad = { ...calendar, daysOff: ["2026-02-30"] };
    expect(parseCatalogRecord(record("calendar", "calendar:2026", bad)).ok).toBe(false);
  });

  it("refuses an unknown record type", () => {
    expect(parseCatalogRecord(record("staff", "staff:1", {})).ok).toBe(false);
  });

  it("procedure codes look like 1.001234", () => {
    expect(Procedure.safeParse({ ...procedure, code: "1.001234" }).success).toBe(true);
    expect(Procedure.safeParse({ ...procedure, code: "1001234" }).error?.issues[0]?.path).toEqual(["code"]);
  });

  it("a procedure's steps have distinct ids", () => {
    const twice = { ...procedure, steps: [procedure.steps[0], procedure.steps[0]] };
    expect(Procedure.safeParse(twice).error?.issues[0]?.message).toBe(
      "step ids must be unique within a procedure",
    );
  });

  it("the cut-off is none, 15:00 or 17:00", () => {
    for (const cutOff of [null, "15:00", "17:00"])
      expect(Procedure.safeParse({ ...procedure, cutOff }).success).toBe(true);
    expect(Procedure.safeParse({ ...procedure, cutOff: "16:00" }).success).toBe(false);
  });

  it("units are coded H44, H44.07, H44.100 and sessions end after they start", () => {
    for (const code of ["H44", "H44.07", "H44.100"])
      expect(Unit.safeParse({ ...unit, code }).success).toBe(true);
    expect(Unit.safeParse({ ...unit, code: "h44" }).success).toBe(false);
    const backwards = {
      ...unit,
      workingSessions: { ...unit.workingSessions, sessions: [{ weekdays: [1], from: "11:30", to: "07:30" }] },
    };
    expect(Unit.safeParse(backwards).error?.issues[0]?.path).toEqual([
      "workingSessions",
      "sessions",
      0,
      "to",
    ]);
    expect(Unit.safeParse({ ...unit, workingSessions: null }).success).toBe(true);
  });

  it("Saturday reception hours are not working time: Saturday working sessions need the decision that says so", () => {
    const saturdayWorked = {
      ...unit,
      workingSessions: {
        ...unit.workingSessions,
        sessions: [...unit.workingSessions.sessions, { weekdays: [6], from: "07:30", to: "11:30" }],
      },
    };
    expect(Unit.safeParse(saturdayWorked).error?.issues[0]?.path).toEqual(["workingSessionsSource"]);
    expect(
      Unit.safeParse({ ...saturdayWorked, workingSessionsSource: "Quyết định 12/2025/QĐ-UBND tỉnh Phú Thọ" })
        .success,
    ).toBe(true);
  });
});
