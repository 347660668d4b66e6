import type { Period } from "../domain/period.js";
import type { Figures } from "../domain/rates.js";
import type { DossierRow } from "../store/figures.js";

/** A printable report: title lines, one header row (Vietnamese), rows of cells. */
export type Cell = string | number | null;
export interface ReportTable {
  sheetName: string;
  title: string[];
  headers: string[];
  rows: Cell[][];
}

const vnDate = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
export const periodLine = (p: Period) => `Kỳ báo cáo: từ ngày ${vnDate(p.from)} đến ngày ${vnDate(p.to)}`;

const figureHeaders = [
  "Tổng số tiếp nhận",
  "Trực tuyến",
  "Trực tiếp",
  "Bưu chính công ích",
  "Tỷ lệ trực tuyến (%)",
  "Kỳ trước chuyển sang",
  "Tổng số phải giải quyết (766)",
  "Đã giải quyết",
  "Trước hạn",
  "Đúng hạn",
  "Quá hạn",
  "Rút hồ sơ",
  "Đang giải quyết trong hạn",
  "Đang giải quyết quá hạn",
  "Tỷ lệ đúng hạn theo QĐ 766 (%)",
  "Tỷ lệ đúng hạn trên hồ sơ đã giải quyết (%)",
  "Điểm tiến độ (766, /20)",
  "Điểm trực tuyến (/22)",
];

const figureCells = (f: Figures): Cell[] => [
  f.received,
  f.receivedOnline,
  f.receivedDirect,
  f.receivedPostal,
  f.onlineRate,
  f.carriedOver,
  f.handled,
  f.finished,
  f.early,
  f.onTime,
  f.late,
  f.withdrawn,
  f.openWithin,
  f.openOverdue,
  f.onTimeRate766,
  f.onTimeRateFinished,
  f.progressScore,
  f.onlineScore,
];

export function unitsTable(
  period: Period,
  units: { unitCode: string; unitName: string; figures: Figures }[],
  province: Figures,
): ReportTable {
  return {
    sheetName: "Don vi",
    title: ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ", periodLine(period)],
    headers: ["STT", "Mã đơn vị", "Tên đơn vị", ...figureHeaders],
    rows: [
      ...units.map((u, i) => [i + 1, u.unitCode, u.unitName, ...figureCells(u.figures)]),
      ["", "", "Toàn tỉnh", ...figureCells(province)],
    ],
  };
}

export function rankingTable(
  period: Period,
  ranked: {
    rank: number | null;
    totalScore: number | null;
    unitCode: string;
    unitName: string;
    figures: Figures;
  }[],
): ReportTable {
  return {
    sheetName: "Xep hang",
    title: ["BẢNG XẾP HẠNG ĐƠN VỊ THEO CHỈ SỐ TIẾN ĐỘ VÀ TRỰC TUYẾN (THEO QĐ 766)", periodLine(period)],
    headers: ["Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Tổng điểm (/42)", ...figureHeaders],
    rows: ranked.map((r) => [r.rank, r.unitCode, r.unitName, r.totalScore, ...figureCells(r.figures)]),
  };
}

export function proceduresTable(
  period: Period,
  rows: { procedureCode: string; procedureName: string; field: string; figures: Figures }[],
): ReportTable {
  return {
    sheetName: "Thu tuc",
    title: ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO THỦ TỤC HÀNH CHÍNH", periodLine(period)],
    headers: ["STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", ...figureHeaders],
    rows: rows.map((r, i) => [i + 1, r.procedureCode, r.procedureName, r.field, ...figureCells(r.figures)]),
  };
}

const verdictVi: Record<string, string> = { early: "Trước hạn", on_time: "Đúng hạn", late: "Quá hạn" };
const channelVi: Record<string, string> = {
  direct: "Trực tiếp",
  online: "Trực tuyến",
  postal: "Bưu chính công ích",
};

export function dossiersTable(period: Period, figure: string, rows: DossierRow[]): ReportTable {
  return {
    sheetName: "Ho so",
    title: [`DANH SÁCH HỒ SƠ (${figure})`, periodLine(period)],
    headers: [
      "STT",
      "Mã hồ sơ",
      "Đơn vị tiếp nhận",
      "Đơn vị đang xử lý",
      "Mã thủ tục",
      "Tên thủ tục",
      "Kênh",
      "Trạng thái",
      "Ngày tiếp nhận",
      "Ngày hẹn trả",
      "Ngày kết thúc xử lý",
      "Kết quả",
      "Lý do",
      "Đơn vị gây quá hạn",
    ],
    rows: rows.map((d, i) => [
      i + 1,
      d.dossierCode,
      d.unitCode,
      d.currentUnitCode,
      d.procedureCode,
      d.procedureName,
      d.channel ? (channelVi[d.channel] ?? d.channel) : null,
      d.state,
      d.receivedAt,
      d.dueAt,
      d.finishedAt,
      d.verdict ? (verdictVi[d.verdict] ?? d.verdict) : null,
      d.verdictReason,
      d.unitAtFaultCode,
    ]),
  };
}

function csvCell(c: Cell): string {
  if (c === null) return "";
  const s = String(c);
  return /[",\n\r;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV with a UTF-8 byte-order mark, so that Excel reads the Vietnamese letters. */
export function toCsv(t: ReportTable): string {
  const lines = [...t.title.map((l) => csvCell(l)), "", t.headers.map(csvCell).join(",")];
  for (const r of t.rows) lines.push(r.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
