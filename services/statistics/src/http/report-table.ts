import type { Period } from "@tthc/calendar";
import { type Figures, indexGroup, PARTIAL_INDEX_POINTS, RANKING_TITLE } from "@tthc/rates";
import type { Attribution } from "../domain/attribution.js";
import type { DossierRow } from "../store/dossier-list.js";

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
const attributionVi: Record<Attribution, string> = {
  competent: "Số liệu theo cơ quan có thẩm quyền giải quyết",
  receiving: "Số liệu theo đơn vị tiếp nhận",
};
const titleLines = (p: Period, a: Attribution) => [periodLine(p), attributionVi[a]];
const progressPoints = indexGroup("progress").points;
const onlinePoints = indexGroup("onlineProvision").points;

const figureHeaders = [
  "Tổng số tiếp nhận",
  "Trực tuyến",
  "Trực tiếp",
  "Bưu chính công ích",
  "Tỷ lệ trực tuyến (%)",
  "Tỷ lệ trực tuyến có kết quả điện tử (%)",
  "Kỳ trước chuyển sang",
  "Tổng số phải giải quyết (766)",
  "Đã kết thúc",
  "Đã giải quyết",
  "Trước hạn",
  "Đúng hạn",
  "Quá hạn",
  "Rút hồ sơ",
  "Dừng xử lý",
  "Đang giải quyết trong hạn",
  "Đang giải quyết quá hạn",
  "Bước xử lý quá hạn",
  "Tỷ lệ đúng hạn theo QĐ 766 (%)",
  "Tỷ lệ đúng hạn trên hồ sơ đã giải quyết (%)",
  `Điểm tiến độ (/${progressPoints})`,
  `Điểm dịch vụ công trực tuyến (/${onlinePoints})`,
  "Tiếp nhận trực tuyến đã xử lý",
  "Tiếp nhận trực tuyến đúng hạn",
  "Chờ tiếp nhận quá hạn",
];

const figureCells = (f: Figures): Cell[] => [
  f.received,
  f.receivedOnline,
  f.receivedDirect,
  f.receivedPostal,
  f.onlineRate,
  f.strictOnlineRate,
  f.carriedOver,
  f.handled,
  f.finished,
  f.resolved,
  f.early,
  f.onTime,
  f.late,
  f.withdrawn,
  f.stopped,
  f.openWithin,
  f.openOverdue,
  f.lateSteps,
  f.onTimeRate766,
  f.onTimeRateFinished,
  f.progressScore,
  f.onlineScore,
  f.acceptanceDecided,
  f.acceptanceOnTime,
  f.acceptanceOverdue,
];

export function unitsTable(
  period: Period,
  attribution: Attribution,
  units: { unitCode: string; unitName: string; figures: Figures }[],
  province: Figures,
): ReportTable {
  return {
    sheetName: "Don vi",
    title: [
      "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ",
      ...titleLines(period, attribution),
    ],
    headers: ["STT", "Mã đơn vị", "Tên đơn vị", ...figureHeaders],
    rows: [
      ...units.map((u, i) => [i + 1, u.unitCode, u.unitName, ...figureCells(u.figures)]),
      ["", "", "Toàn tỉnh", ...figureCells(province)],
    ],
  };
}

/** The ranking is a partial score of the index (two of its six groups), and says so. */
export function rankingTable(
  period: Period,
  attribution: Attribution,
  ranked: {
    ranking: {
      rank: number | null;
      partialScore: number | null;
      unitCode: string;
      unitName: string;
      figures: Figures;
    }[];
  },
): ReportTable {
  return {
    sheetName: "Xep hang",
    title: [
      `BẢNG XẾP HẠNG ĐƠN VỊ THEO ĐIỂM MỘT PHẦN CỦA BỘ CHỈ SỐ QĐ 766: TIẾN ĐỘ GIẢI QUYẾT VÀ DỊCH VỤ CÔNG TRỰC TUYẾN (${PARTIAL_INDEX_POINTS}/100 ĐIỂM)`,
      RANKING_TITLE,
      ...titleLines(period, attribution),
    ],
    headers: [
      "Xếp hạng",
      "Mã đơn vị",
      "Tên đơn vị",
      `Điểm một phần (/${PARTIAL_INDEX_POINTS})`,
      ...figureHeaders,
    ],
    rows: ranked.ranking.map((r) => [
      r.rank,
      r.unitCode,
      r.unitName,
      r.partialScore,
      ...figureCells(r.figures),
    ]),
  };
}

export function proceduresTable(
  period: Period,
  attribution: Attribution,
  rows: { procedureCode: string; procedureName: string; field: string; figures: Figures }[],
): ReportTable {
  return {
    sheetName: "Thu tuc",
    title: ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO THỦ TỤC HÀNH CHÍNH", ...titleLines(period, attribution)],
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

const yes = (b: boolean) => (b ? "Có" : "");

export function dossiersTable(
  period: Period,
  attribution: Attribution,
  figure: string,
  rows: DossierRow[],
): ReportTable {
  return {
    sheetName: "Ho so",
    title: [`DANH SÁCH HỒ SƠ (${figure})`, ...titleLines(period, attribution)],
    headers: [
      "STT",
      "Mã hồ sơ",
      "Đơn vị tiếp nhận",
      "Cơ quan có thẩm quyền",
      "Đơn vị đang xử lý",
      "Mã thủ tục",
      "Tên thủ tục",
      "Kênh",
      "Trạng thái",
      "Ngày tiếp nhận",
      "Ngày hẹn trả",
      "Quá hạn",
      "Sắp đến hạn",
      "Ngày kết thúc xử lý",
      "Kết quả",
      "Lý do",
      "Đơn vị gây quá hạn",
      "Bước xử lý quá hạn (đơn vị)",
    ],
    rows: rows.map((d, i) => [
      i + 1,
      d.dossierCode,
      d.receivingUnitCode,
      d.competentUnitCode,
      d.currentUnitCode,
      d.procedureCode,
      d.procedureName,
      d.channel ? (channelVi[d.channel] ?? d.channel) : null,
      d.state,
      d.receivedAt,
      d.dueAt,
      yes(d.overdue),
      yes(d.dueSoon),
      d.finishedAt,
      d.verdict ? (verdictVi[d.verdict] ?? d.verdict) : null,
      d.verdictReason,
      d.unitAtFaultCode,
      d.steps
        .filter((s) => s.late)
        .map((s) => `${s.stepId} (${s.unitCode})`)
        .join("; ") || null,
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
