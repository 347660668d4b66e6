import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findPersonalData, freeText } from "../src/personal-data.js";

describe("free text carries no identity or phone number", () => {
  it.each([
    ["Liên hệ số 0912345678 để bổ sung", "phone-number"],
    ["gọi 0912 345 678", "phone-number"],
    ["gọi 0912.345.678.", "phone-number"],
    ["điện thoại +84 912 345 678", "phone-number"],
    ["điện thoại 84912345678", "phone-number"],
    ["máy bàn 0210 3846 123", "phone-number"],
    ["CCCD 001099012345 hết hạn", "identity-number"],
    ["CCCD: 001 099 012 345", "identity-number"],
    ["CMND số 125678901 cũ", "identity-number"],
    ["số định danh:001099012345", "identity-number"],
  ])("%s → %s", (text, kind) => {
    expect(findPersonalData(text)).toBe(kind);
  });

  it.each([
    "Thiếu bản sao giấy tờ chứng minh nơi cư trú",
    "Hồ sơ 000.00.01.H44-260210-0001 thiếu tờ khai",
    "Theo Quyết định 123/QĐ-UBND ngày 10/02/2026",
    "Lệ phí 150.000.000 đồng",
    "Lệ phí 1.500.000.000 đồng",
    "Thủ tục 1.001234 tại H44.100",
    "Mục 1 2 3 4 5 6 7 8 9 của tờ khai",
    "Nộp 2 bản sao, 1 bản chính",
    "lúc 09:00:00 ngày 2026-02-10",
    "mã 3f2a9c1e-0b4d-4c1a-9e2f-123456789abc",
  ])("%s passes", (text) => {
    expect(findPersonalData(text)).toBeNull();
  });

  it("refuses such text as a validation issue of its own field", () => {
    const Body = z.object({ reason: freeText(z.string().min(1)), items: z.array(freeText(z.string())) });
    const result = Body.safeParse({ reason: "gọi 0912345678", items: ["ok", "CCCD 001099012345"] });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    expect(issues).toEqual([
      { path: "reason", message: expect.stringMatching(/phone number/) },
      { path: "items.1", message: expect.stringMatching(/identity number/) },
    ]);
    expect(JSON.stringify(issues)).not.toContain("0912345678");
    expect(Body.safeParse({ reason: "Thiếu tờ khai", items: [] }).success).toBe(true);
  });
});
