import type { Contact, Notice, NotifyChannel } from "./notifications.js";
import { vietnameseInstant } from "./receipt-html.js";

/**
 * The texts of the notifications to the applicant, in Vietnamese: every message the service sends is
 * written here and nowhere else. An e-mail and a Zalo message carry the whole text; an SMS carries
 * the short form (the gateway decides the encoding). Values come from the events and the
 * applicant's record; none is HTML.
 */

export interface Message {
  subject: string;
  body: string;
}

const SIGNATURE = "Đây là tin nhắn tự động, vui lòng không trả lời.";

const salutation = (c: Contact) => `Kính gửi Ông/Bà ${c.name},`;
const unit = (c: Contact) => c.unitName ?? "Bộ phận Một cửa";
const list = (items: readonly string[]) => items.map((i) => `  - ${i}`).join("\n");

function full(n: Notice, c: Contact): Message {
  switch (n.kind) {
    case "received":
      return {
        subject: `Hồ sơ ${n.dossierCode} đã được tiếp nhận`,
        body: [
          salutation(c),
          "",
          `${unit(c)} đã tiếp nhận hồ sơ số ${n.dossierCode} (${n.procedureName}) ` +
            `lúc ${vietnameseInstant(n.receivedAt)}.`,
          `Ngày hẹn trả kết quả: ${vietnameseInstant(n.dueAt)}.`,
          `Ông/Bà có thể tra cứu tình trạng hồ sơ bằng mã số ${n.dossierCode}.`,
          "",
          SIGNATURE,
        ].join("\n"),
      };
    case "supplement-requested": {
      const ref = n.reference === null ? "của Ông/Bà" : `số ${n.reference}`;
      return {
        subject: `Yêu cầu bổ sung, hoàn thiện hồ sơ ${n.reference ?? ""}`.trimEnd(),
        body: [
          salutation(c),
          "",
          `Hồ sơ ${ref} cần được bổ sung, hoàn thiện. Lý do: ${n.reason}`,
          "Nội dung cần bổ sung, hoàn thiện:",
          list(n.missingItems),
          n.supplyBy === null
            ? "Đề nghị Ông/Bà bổ sung hồ sơ theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."
            : `Đề nghị Ông/Bà bổ sung trước ${vietnameseInstant(n.supplyBy)}.`,
          "",
          SIGNATURE,
        ].join("\n"),
      };
    }
    case "extended":
      return {
        subject: `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${n.dossierCode}`,
        body: [
          salutation(c),
          "",
          `Hồ sơ số ${n.dossierCode} chưa được giải quyết đúng hẹn ` +
            `(${vietnameseInstant(n.previousDueAt)}). Chúng tôi thành thật xin lỗi Ông/Bà.`,
          `Lý do: ${n.reason}`,
          `Ngày hẹn trả kết quả mới: ${vietnameseInstant(n.newDueAt)}.`,
          n.apologyLetterRef === null ? "" : `Văn bản xin lỗi số ${n.apologyLetterRef}.`,
          "",
          SIGNATURE,
        ]
          .filter((line, i, all) => line !== "" || all[i - 1] !== "")
          .join("\n"),
      };
    case "result-ready":
      return {
        subject: `Hồ sơ ${n.dossierCode} đã có kết quả`,
        body: [
          salutation(c),
          "",
          n.outcome === "approved"
            ? `Hồ sơ số ${n.dossierCode} đã có kết quả giải quyết.`
            : `Hồ sơ số ${n.dossierCode} đã có văn bản trả lời (không giải quyết), nêu rõ lý do.`,
          `Mời Ông/Bà nhận kết quả tại ${unit(c)} hoặc theo hình thức đã đăng ký.`,
          "",
          SIGNATURE,
        ].join("\n"),
      };
  }
}

function short(n: Notice): string {
  switch (n.kind) {
    case "received":
      return `Hồ sơ ${n.dossierCode} đã được tiếp nhận. Hẹn trả: ${vietnameseInstant(n.dueAt)}.`;
    case "supplement-requested":
      return `Hồ sơ ${n.reference ?? "của Ông/Bà"} cần bổ sung, hoàn thiện: ${n.missingItems.join("; ")}.`;
    case "extended":
      return `Xin lỗi Ông/Bà: hồ sơ ${n.dossierCode} hẹn trả lại vào ${vietnameseInstant(n.newDueAt)}.`;
    case "result-ready":
      return `Hồ sơ ${n.dossierCode} đã có kết quả. Mời Ông/Bà nhận kết quả.`;
  }
}

/** The message of a notice on a channel. */
export function messageOf(n: Notice, c: Contact, channel: NotifyChannel): Message {
  const m = full(n, c);
  return channel === "sms" ? { subject: m.subject, body: short(n) } : m;
}
