import { createEvent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { messageOf } from "../src/domain/notification-templates.js";
import { type Contact, type Notice, noticesOf, recipientOf } from "../src/domain/notifications.js";
import { withoutAddresses } from "../src/notify/senders.js";
import { at, codeOf, history } from "./dossier-history.js";
import { UNIT } from "./fixtures.js";

const A = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a01";
const LAN: Contact = {
  name: "Nguyễn Thị Lan",
  email: "lan@example.vn",
  phone: "0912345678",
  unitName: "UBND Phường Việt Trì",
};

describe("which events the applicant is told of", () => {
  it("a supplement request during processing, once however often the batch carries it; assignments and deadlines are not told", () => {
    const events = history(A);
    const notices = noticesOf([...events, ...events]);
    expect(notices).toEqual([
      {
        eventId: events[3]!.id,
        dossierId: A,
        kind: "supplement-requested",
        reference: codeOf(A),
        missingItems: expect.any(Array),
        reason: expect.any(String),
        supplyBy: null,
      },
    ]);
  });

  it("a supplement request before acceptance names the portal's reference", () => {
    const e = createEvent("dossier.submission-supplement-requested", {
      dossierId: A,
      unitCode: UNIT,
      correlationId: "notify-unit",
      occurredAt: at("09:00", "10"),
      payload: {
        procedureCode: "9.000002",
        submittedAt: at("08:00", "10"),
        portalRef: "DVCQG-2026-11-0001",
        requestNumber: 1,
        missingItems: ["Bản sao Giấy chứng nhận quyền sử dụng đất"],
        reason: "Thiếu giấy tờ",
        supplyBy: at("17:00", "13"),
      },
    });
    expect(noticesOf([e])).toMatchObject([{ kind: "supplement-requested", reference: "DVCQG-2026-11-0001" }]);
  });
});

describe("the messages, in Vietnamese", () => {
  const base = { eventId: "e", dossierId: A };
  const received: Notice = {
    ...base,
    kind: "received",
    dossierCode: codeOf(A),
    procedureName: "Đăng ký biến động đất đai",
    receivedAt: at("10:00", "10"),
    dueAt: at("10:00", "24"),
  };

  it("reception: the unit, the dossier code, the instant and the due date in Vietnam time", () => {
    const m = messageOf(received, LAN, "email");
    expect(m.subject).toBe(`Hồ sơ ${codeOf(A)} đã được tiếp nhận`);
    expect(m.body).toContain("Kính gửi Ông/Bà Nguyễn Thị Lan,");
    expect(m.body).toContain(
      `UBND Phường Việt Trì đã tiếp nhận hồ sơ số ${codeOf(A)} (Đăng ký biến động đất đai) lúc 10 giờ 00 phút, ngày 10/11/2026.`,
    );
    expect(m.body).toContain("Ngày hẹn trả kết quả: 10 giờ 00 phút, ngày 24/11/2026.");
    expect(messageOf(received, LAN, "sms").body).toBe(
      `Hồ sơ ${codeOf(A)} đã được tiếp nhận. Hẹn trả: 10 giờ 00 phút, ngày 24/11/2026.`,
    );
    expect(messageOf(received, LAN, "zalo")).toEqual(m);
  });

  it("supplement request: the reason, each missing item and the deadline for the applicant", () => {
    const m = messageOf(
      {
        ...base,
        kind: "supplement-requested",
        reference: null,
        missingItems: ["Tờ khai", "Bản sao CCCD"],
        reason: "Hồ sơ chưa đủ thành phần",
        supplyBy: at("17:00", "13"),
      },
      { ...LAN, unitName: null },
      "email",
    );
    expect(m.subject).toBe("Yêu cầu bổ sung, hoàn thiện hồ sơ");
    expect(m.body).toContain(
      "Hồ sơ của Ông/Bà cần được bổ sung, hoàn thiện. Lý do: Hồ sơ chưa đủ thành phần",
    );
    expect(m.body).toContain("  - Tờ khai\n  - Bản sao CCCD");
    expect(m.body).toContain("Đề nghị Ông/Bà bổ sung trước 17 giờ 00 phút, ngày 13/11/2026.");
  });

  it("extension: the apology, the promised date missed and the new one", () => {
    const m = messageOf(
      {
        ...base,
        kind: "extended",
        dossierCode: codeOf(A),
        previousDueAt: at("10:00", "24"),
        newDueAt: at("10:00", "27"),
        reason: "Cần xác minh thực địa",
        apologyLetterRef: null,
      },
      LAN,
      "email",
    );
    expect(m.body).toContain("(10 giờ 00 phút, ngày 24/11/2026). Chúng tôi thành thật xin lỗi Ông/Bà.");
    expect(m.body).toContain("Ngày hẹn trả kết quả mới: 10 giờ 00 phút, ngày 27/11/2026.");
    expect(m.body).not.toContain("Văn bản xin lỗi số");
    expect(m.body).not.toMatch(/\n\n\n/);
  });

  it("result ready: approved, or a written refusal, to be collected at the unit", () => {
    const approved = messageOf(
      { ...base, kind: "result-ready", dossierCode: codeOf(A), outcome: "approved" },
      LAN,
      "email",
    );
    expect(approved.body).toContain(`Hồ sơ số ${codeOf(A)} đã có kết quả giải quyết.`);
    expect(approved.body).toContain("Mời Ông/Bà nhận kết quả tại UBND Phường Việt Trì");
    const refused = messageOf(
      { ...base, kind: "result-ready", dossierCode: codeOf(A), outcome: "refused" },
      LAN,
      "email",
    );
    expect(refused.body).toContain("văn bản trả lời (không giải quyết)");
  });
});

describe("where a message goes", () => {
  it("e-mail to the address, SMS and Zalo to the phone; a missing contact is no recipient", () => {
    expect(recipientOf(LAN, "email")).toBe("lan@example.vn");
    expect(recipientOf(LAN, "sms")).toBe("0912345678");
    expect(recipientOf(LAN, "zalo")).toBe("0912345678");
    const nameOnly: Contact = { name: "Trần Văn Bình", unitName: null };
    expect(recipientOf(nameOnly, "email")).toBeNull();
    expect(recipientOf(nameOnly, "sms")).toBeNull();
  });
});

describe("an SMTP error as logged", () => {
  it("keeps the server's reason and drops the address it quotes", () => {
    expect(withoutAddresses("550 5.1.1 <lan@example.vn>: Recipient address rejected")).toBe(
      "550 5.1.1 <<address>>: Recipient address rejected",
    );
    expect(
      withoutAddresses("Can't send mail - all recipients were rejected: 550 lan.nguyen@mail.example.vn"),
    ).toBe("Can't send mail - all recipients were rejected: 550 <address>");
  });
});
