import { headingHtml, OFFICIAL_FORM_CSS, officialHeading } from "@tthc/reports/official-form";
import type { Receipt } from "./reception.js";

/**
 * The receipt (mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a printable page: plain HTML,
 * A4, no script, every value escaped.
 */

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `2026-02-10T09:00:00.000+07:00` → `09 giờ 00 phút, ngày 10/02/2026` (Vietnam time). */
export function vietnameseInstant(instant: string): string {
  const local = new Date(Date.parse(instant) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${p(local.getUTCHours())} giờ ${p(local.getUTCMinutes())} phút, ngày ` +
    `${p(local.getUTCDate())}/${p(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`
  );
}

const TIME_UNITS: Record<string, string> = {
  days: "ngày làm việc",
  "half-days": "buổi làm việc",
  hours: "giờ làm việc",
  "within-day": "trong ngày",
};

const CHANNELS: Record<string, string> = {
  direct: "Trực tiếp",
  online: "Trực tuyến",
  postal: "Bưu chính công ích",
};

export function receiptHtml(r: Receipt): string {
  const time =
    r.procedure.statutoryTime.unit === "within-day"
      ? "Trong ngày"
      : `${r.procedure.statutoryTime.amount} ${TIME_UNITS[r.procedure.statutoryTime.unit]}`;
  const documents = r.documents
    .map(
      (d, i) =>
        `<tr><td>${i + 1}</td><td>${escapeHtml(d.name)}</td><td>${d.original ? "Bản chính" : "Bản sao"}</td><td>${d.copies}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Giấy tiếp nhận hồ sơ ${escapeHtml(r.code)}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: "Times New Roman", serif; font-size: 13pt; line-height: 1.4; max-width: 180mm; margin: auto; }
h1 { font-size: 14pt; text-align: center; margin: 12pt 0 0; }
.sub { text-align: center; font-style: italic; margin: 0 0 12pt; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #000; padding: 2pt 4pt; }
.sign { text-align: right; margin-top: 24pt; }
${OFFICIAL_FORM_CSS}
</style></head><body>
${headingHtml(officialHeading([{ name: r.receivingUnit.name, level: "unit" }], null))}
<h1>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h1>
<p class="sub">Mã hồ sơ: <strong>${escapeHtml(r.code)}</strong></p>
<p>${escapeHtml(r.receivingUnit.name)} tiếp nhận hồ sơ của: <strong>${escapeHtml(r.applicantName)}</strong></p>
<p>Nội dung yêu cầu giải quyết: ${escapeHtml(r.procedure.name)} (mã thủ tục ${escapeHtml(r.procedure.code)}, lĩnh vực ${escapeHtml(r.procedure.field)})</p>
<p>Hình thức nộp: ${CHANNELS[r.channel] ?? r.channel}</p>
<p>Thành phần hồ sơ và số lượng mỗi loại giấy tờ:</p>
<table><thead><tr><th>STT</th><th>Tên giấy tờ</th><th>Loại</th><th>Số lượng</th></tr></thead><tbody>${documents || '<tr><td colspan="4">(không có)</td></tr>'}</tbody></table>
<p>Thời gian giải quyết hồ sơ theo quy định: ${time}</p>
<p>Thời gian nhận hồ sơ: ${vietnameseInstant(r.receivedAt)}</p>
<p>Thời gian trả kết quả giải quyết hồ sơ: <strong>${vietnameseInstant(r.dueAt)}</strong></p>
<p>Vào Sổ theo dõi hồ sơ, Quyển số: ........ Số thứ tự: ${escapeHtml(r.code.split("-").pop() ?? "")}</p>
<p class="sign">NGƯỜI TIẾP NHẬN HỒ SƠ<br><br><br>${escapeHtml(r.receivedBy)}</p>
</body></html>
`;
}
