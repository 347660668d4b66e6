import { emptyCounts, type RawCounts } from "@tthc/rates";
import { describe, expect, it } from "vitest";
import { byLevel, byProcedure, byUnit, LEVEL_ORDER } from "../../src/domain/breakdown.js";

const counts = (c: Partial<RawCounts>): RawCounts => ({ ...emptyCounts(), ...c });
const units = [
  { code: "H44.07", name: "Sở Công Thương", level: "department" },
  { code: "H44.100", name: "Phường Việt Trì", level: "ward" },
  { code: "H44.101", name: "Phường Nông Trang", level: "ward" },
  { code: "H44.108", name: "Xã Bản Nguyên", level: "commune" },
  { code: "H44.90", name: "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ", level: "provincial-centre" },
];

describe("the units ranked, beside the period compared with", () => {
  // August: Công Thương 3 of 3 on time, all received in person; Bản Nguyên 2 of 2, all online;
  // Việt Trì 1 of 3. July: Bản Nguyên 1 of 1, Việt Trì 0 of 1, Công Thương nothing.
  const august = new Map([
    ["H44.07", counts({ receivedDirect: 3, openWithin: 3 })],
    ["H44.108", counts({ receivedOnline: 2, early: 1, openWithin: 1, resolved: 1, resolvedEarly: 1 })],
    ["H44.100", counts({ receivedOnline: 2, receivedDirect: 1, early: 1, late: 1, openOverdue: 1 })],
  ]);
  const july = new Map([
    ["H44.108", counts({ receivedOnline: 1, onTime: 1 })],
    ["H44.100", counts({ receivedDirect: 1, late: 1 })],
  ]);

  it("on the progress score: 20 × the 766 rate; ties by more handled; a unit that handled nothing is not ranked", () => {
    const rows = byUnit(units, august, july, "progress");
    expect(rows.map((r) => [r.code, r.rank, r.previousRank, r.current.progressScore])).toEqual([
      ["H44.07", 1, null, 20],
      ["H44.108", 2, 1, 20],
      ["H44.100", 3, 2, 6.67],
      ["H44.101", null, null, null],
      ["H44.90", null, null, null],
    ]);
    const vt = rows[2]!;
    expect([vt.current.onTime766, vt.current.handled, vt.current.onTimeRate766]).toEqual([1, 3, 33.33]);
    expect([vt.previous.onTime766, vt.previous.handled, vt.previous.onTimeRate766]).toEqual([0, 1, 0]);
    expect(vt.current.onlineRate).toBe(66.67);
    expect(vt.name).toBe("Phường Việt Trì");
  });

  it("on the partial score the online rate counts too: Bản Nguyên first, Công Thương's 0% online second", () => {
    const rows = byUnit(units, august, july, "partial");
    expect(rows.slice(0, 3).map((r) => [r.code, r.rank, r.current.partialScore])).toEqual([
      ["H44.108", 1, 32],
      ["H44.07", 2, 20],
      ["H44.100", 3, 14.67],
    ]);
  });
});

describe("the levels: the units' counts summed, the rates taken over the sums", () => {
  it("two wards' counts add up; a level's rate is not the mean of its units' rates", () => {
    const now = new Map([
      ["H44.100", counts({ receivedDirect: 3, early: 1, late: 2 })], // 33.33%
      ["H44.101", counts({ receivedDirect: 1, early: 1 })], // 100%
    ]);
    const rows = byLevel(units, now, new Map());
    expect(rows.map((r) => r.code)).toEqual([...LEVEL_ORDER]);
    const ward = rows.find((r) => r.code === "ward")!;
    expect([ward.units, ward.current.handled, ward.current.onTime766, ward.current.onTimeRate766]).toEqual([
      2, 4, 2, 50,
    ]);
    expect(ward.previous.onTimeRate766).toBeNull();
    expect(rows.find((r) => r.code === "department")!.current.onTimeRate766).toBeNull();
  });
});

describe("the procedures: most handled first, with any that had dossiers only in the period compared with", () => {
  it("orders by handled now, then handled before, then code", () => {
    const names = new Map([
      ["1.001234", { name: "Đăng ký khai sinh", field: "Hộ tịch" }],
      ["2.000777", { name: "Cấp giấy phép kinh doanh", field: "Thương mại" }],
    ]);
    const rows = byProcedure(
      names,
      new Map([
        ["2.000777", counts({ receivedDirect: 2 })],
        ["1.001234", counts({ receivedDirect: 5 })],
      ]),
      new Map([["1.000001", counts({ receivedDirect: 1 })]]),
    );
    expect(rows.map((r) => [r.code, r.name, r.field, r.current.handled, r.previous.handled])).toEqual([
      ["1.001234", "Đăng ký khai sinh", "Hộ tịch", 5, 0],
      ["2.000777", "Cấp giấy phép kinh doanh", "Thương mại", 2, 0],
      ["1.000001", "1.000001", null, 0, 1],
    ]);
  });
});
