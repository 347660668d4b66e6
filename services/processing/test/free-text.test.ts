import { describe, expect, it } from "vitest";
import { actionBodies } from "../src/domain/action-bodies.js";

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.join("."));

describe("free text of an action carries no identity or phone number", () => {
  it("refuses them in reasons, missing items, notes, references and payment descriptions, naming the field", () => {
    const v = { expectedVersion: 1 };
    expect(
      paths(
        actionBodies["request-supplement"].safeParse({
          ...v,
          missingItems: ["Tờ khai", "Bản sao CCCD 025190001234"],
          reason: "Gọi 0912.345.678 để bổ sung",
        }),
      ),
    ).toEqual(["missingItems.1", "reason"]);
    expect(paths(actionBodies.transfer.safeParse({ ...v, note: "Chuyển, SĐT 0912345678" }))).toEqual([
      "note",
    ]);
    expect(
      paths(
        actionBodies.extend.safeParse({ ...v, newDueAt: "2099-01-01T00:00:00Z", reason: "CMND 125678901" }),
      ),
    ).toEqual(["reason"]);
    expect(
      paths(
        actionBodies.resolve.safeParse({
          ...v,
          outcome: "refused",
          refusalReasons: ["Liên hệ +84 912 345 678"],
        }),
      ),
    ).toEqual(["refusalReasons.0"]);
    expect(
      paths(
        actionBodies["request-payment"].safeParse({
          ...v,
          obligations: [{ kind: "fee", description: "Nộp tại quầy, gọi 0912345678", amountVnd: 50_000 }],
        }),
      ),
    ).toEqual(["obligations.0.description"]);
    expect(
      paths(
        actionBodies.stop.safeParse({
          ...v,
          reason: "stop-notice",
          explanation: "x",
          stopNoticeRef: "001099012345",
        }),
      ),
    ).toEqual(["stopNoticeRef"]);
  });

  it("lets ordinary text through: codes, dates, document numbers, amounts", () => {
    expect(
      actionBodies["request-supplement"].safeParse({
        expectedVersion: 1,
        missingItems: ["Bản sao giấy khai sinh"],
        reason:
          "Theo Quyết định 123/QĐ-UBND ngày 10/02/2026, hồ sơ 000.00.01.H44-260210-0001, lệ phí 150.000 đồng",
      }).success,
    ).toBe(true);
  });
});
