import { type Period, periodEnd } from "@tthc/calendar";
import { stateLabelVi } from "@tthc/contracts";
import { type Figures, indexGroup, PARTIAL_INDEX_POINTS, RANKING_TITLE_VI } from "@tthc/rates";
import {
  type Column,
  instantVi,
  type OfficialHeading,
  periodInWords,
  REPORT_SIGNATURES,
  type Report,
  type Row,
} from "@tthc/reports";
import type { Attribution } from "../domain/attribution.js";
import type { DossierFigure } from "../domain/dossier-figures.js";
import type { DossierRow } from "../store/dossier-list.js";

/**
 * The statistics reports (units, ranking, procedures, the dossiers behind a figure) as
 * `@tthc/reports` writes them: Vietnamese headers grouped as the one-stop centres' report forms
 * group them, the period in words, the attribution, the figures' keys of the JSON API for the CSV.
 */

/** What every report of a request shares: who issues it, the period, the attribution, the instant judged at. */
export interface ReportContext {
  heading: OfficialHeading;
  period: Period;
  attribution: Attribution;
  now: Date;
}

const attributionVi: Record<Attribution, string> = {
  competent: "Số liệu theo cơ quan có thẩm quyền giải quyết",
  receiving: "Số liệu theo đơn vị tiếp nhận",
};

/** The period in words, the attribution, and the instant the figures were taken at if the period is not over. */
function subtitleOf(c: ReportContext): string[] {
  const lines = [`Kỳ báo cáo: ${periodInWords(c.period)}`, attributionVi[c.attribution]];
  if (c.now.getTime() < periodEnd(c.period).getTime()) lines.push(`Số liệu tính đến ${instantVi(c.now)}`);
  return lines;
}

const progressPoints = indexGroup("progress").points;
const onlinePoints = indexGroup("onlineProvision").points;

const count = (key: keyof Figures, header: string, group?: string): Column => ({
  key,
  header,
  format: "integer",
  ...(group ? { group } : {}),
});
const rate = (key: keyof Figures, header: string, group: string): Column => ({
  key,
  header,
  group,
  format: "percent",
});

/** The figures of docs/domain.md, in the order and groups of the report forms. */
const FIGURE_COLUMNS: Column[] = [
  count("received", "Tổng số", "Số hồ sơ tiếp nhận"),
  count("receivedOnline", "Trực tuyến", "Số hồ sơ tiếp nhận"),
  count("receivedDirect", "Trực tiếp", "Số hồ sơ tiếp nhận"),
  count("receivedPostal", "Bưu chính công ích", "Số hồ sơ tiếp nhận"),
  rate("onlineRate", "Trên hồ sơ tiếp nhận", "Tỷ lệ trực tuyến (%)"),
  rate("strictOnlineRate", "Có kết quả điện tử", "Tỷ lệ trực tuyến (%)"),
  count("carriedOver", "Kỳ trước chuyển sang", "Số hồ sơ phải giải quyết (QĐ 766)"),
  count("handled", "Tổng số", "Số hồ sơ phải giải quyết (QĐ 766)"),
  count("finished", "Tổng số", "Số hồ sơ đã kết thúc"),
  count("resolved", "Đã giải quyết", "Số hồ sơ đã kết thúc"),
  count("early", "Trước hạn", "Số hồ sơ đã kết thúc"),
  count("onTime", "Đúng hạn", "Số hồ sơ đã kết thúc"),
  count("late", "Quá hạn", "Số hồ sơ đã kết thúc"),
  count("withdrawn", "Rút hồ sơ", "Số hồ sơ đã kết thúc"),
  count("stopped", "Dừng xử lý", "Số hồ sơ đã kết thúc"),
  count("openWithin", "Trong hạn", "Số hồ sơ đang giải quyết"),
  count("openOverdue", "Quá hạn", "Số hồ sơ đang giải quyết"),
  count("lateSteps", "Bước xử lý quá hạn"),
  rate("onTimeRate766", "Theo QĐ 766", "Tỷ lệ đúng hạn (%)"),
  rate("onTimeRateFinished", "Trên hồ sơ đã giải quyết", "Tỷ lệ đúng hạn (%)"),
  { key: "progressScore", header: `Tiến độ (/${progressPoints})`, group: "Điểm", format: "decimal" },
  { key: "onlineScore", header: `Trực tuyến (/${onlinePoints})`, group: "Điểm", format: "decimal" },
  count("acceptanceDecided", "Đã xử lý", "Tiếp nhận hồ sơ trực tuyến"),
  count("acceptanceOnTime", "Đúng hạn", "Tiếp nhận hồ sơ trực tuyến"),
  count("acceptanceOverdue", "Chờ quá hạn", "Tiếp nhận hồ sơ trực tuyến"),
];

const FIGURE_NOTES = [
  "Tỷ lệ đúng hạn theo QĐ 766 = (hồ sơ đã kết thúc trước hạn, đúng hạn + hồ sơ đang giải quyết trong hạn) / tổng số hồ sơ phải giải quyết. " +
    "Tỷ lệ đúng hạn trên hồ sơ đã giải quyết = hồ sơ giải quyết trước hạn, đúng hạn / hồ sơ đã giải quyết. " +
    "Tỷ lệ trực tuyến = hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận; có kết quả điện tử: trên hồ sơ đã giải quyết. " +
    "Tỷ lệ không có hồ sơ nào để tính thì để trống.",
];

const unitColumns: Column[] = [
  { key: "unitCode", header: "Mã đơn vị", format: "text" },
  { key: "unitName", header: "Tên đơn vị", format: "text" },
];

const base = (c: ReportContext) => ({
  heading: c.heading,
  subtitle: subtitleOf(c),
  signatures: REPORT_SIGNATURES,
});

export function unitsReport(
  c: ReportContext,
  units: { unitCode: string; unitName: string; figures: Figures }[],
  province: Figures,
): Report {
  return {
    ...base(c),
    title: "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ",
    sheetName: "Đơn vị",
    numbered: true,
    frozenColumns: 2,
    columns: [...unitColumns, ...FIGURE_COLUMNS],
    rows: units.map((u) => ({ unitCode: u.unitCode, unitName: u.unitName, ...u.figures })),
    total: { unitCode: null, unitName: "Tổng cộng", ...province },
    notes: FIGURE_NOTES,
  };
}

/** The ranking is a partial score of the index (two of its six groups), and says so. */
export function rankingReport(
  c: ReportContext,
  ranked: {
    ranking: {
      rank: number | null;
      partialScore: number | null;
      unitCode: string;
      unitName: string;
      figures: Figures;
    }[];
  },
): Report {
  return {
    ...base(c),
    title: `BẢNG XẾP HẠNG ĐƠN VỊ THEO ĐIỂM MỘT PHẦN CỦA BỘ CHỈ SỐ QĐ 766 (${PARTIAL_INDEX_POINTS}/100 ĐIỂM)`,
    sheetName: "Xếp hạng",
    numbered: false,
    frozenColumns: 3,
    columns: [
      { key: "rank", header: "Xếp hạng", format: "integer" },
      ...unitColumns,
      { key: "partialScore", header: `Điểm một phần (/${PARTIAL_INDEX_POINTS})`, format: "decimal" },
      ...FIGURE_COLUMNS,
    ],
    rows: ranked.ranking.map((r) => ({
      rank: r.rank,
      unitCode: r.unitCode,
      unitName: r.unitName,
      partialScore: r.partialScore,
      ...r.figures,
    })),
    notes: [
      RANKING_TITLE_VI,
      "Đơn vị không có hồ sơ phải giải quyết trong kỳ không được xếp hạng.",
      ...FIGURE_NOTES,
    ],
  };
}

export function proceduresReport(
  c: ReportContext,
  rows: { procedureCode: string; procedureName: string; field: string; figures: Figures }[],
): Report {
  return {
    ...base(c),
    title: "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO THỦ TỤC HÀNH CHÍNH",
    sheetName: "Thủ tục",
    numbered: true,
    frozenColumns: 2,
    columns: [
      { key: "procedureCode", header: "Mã thủ tục", format: "text" },
      { key: "procedureName", header: "Tên thủ tục", format: "text" },
      { key: "field", header: "Lĩnh vực", format: "text" },
      ...FIGURE_COLUMNS,
    ],
    rows: rows.map((r) => ({
      procedureCode: r.procedureCode,
      procedureName: r.procedureName,
      field: r.field,
      ...r.figures,
    })),
    notes: FIGURE_NOTES,
  };
}

/** What each list of dossiers is, in the title of its report. */
export const figureTitleVi: Record<DossierFigure, string> = {
  received: "hồ sơ tiếp nhận trong kỳ",
  handled: "hồ sơ phải giải quyết trong kỳ",
  carried_over: "hồ sơ kỳ trước chuyển sang",
  finished: "hồ sơ đã kết thúc trong kỳ",
  resolved: "hồ sơ đã giải quyết trong kỳ",
  early: "hồ sơ giải quyết trước hạn",
  on_time: "hồ sơ giải quyết đúng hạn",
  late: "hồ sơ giải quyết quá hạn",
  withdrawn: "hồ sơ rút trong kỳ",
  stopped: "hồ sơ dừng xử lý trong kỳ",
  open: "hồ sơ đang giải quyết",
  overdue: "hồ sơ đang giải quyết quá hạn",
  due_soon: "hồ sơ sắp đến hạn",
  not_on_time_766: "hồ sơ không đúng hạn theo QĐ 766",
  late_steps: "hồ sơ có bước xử lý quá hạn",
};

const verdictVi: Record<string, string> = { early: "Trước hạn", on_time: "Đúng hạn", late: "Quá hạn" };
const channelVi: Record<string, string> = {
  direct: "Trực tiếp",
  online: "Trực tuyến",
  postal: "Bưu chính công ích",
};

/** The dossiers behind a figure; `unitNames` names the units the list shows by code. */
export function dossiersReport(
  c: ReportContext,
  figure: DossierFigure,
  rows: DossierRow[],
  unitNames: Readonly<Record<string, string>>,
): Report {
  const unit = (key: string, header: string): Column => ({
    key,
    header,
    group: "Đơn vị",
    format: "text",
    labels: unitNames,
  });
  return {
    ...base(c),
    title: `DANH SÁCH ${figureTitleVi[figure].toLocaleUpperCase("vi")}`,
    sheetName: "Hồ sơ",
    numbered: true,
    frozenColumns: 1,
    columns: [
      { key: "dossierCode", header: "Mã hồ sơ", format: "text" },
      unit("receivingUnitCode", "Tiếp nhận"),
      unit("competentUnitCode", "Có thẩm quyền"),
      unit("currentUnitCode", "Đang xử lý"),
      { key: "procedureCode", header: "Mã", group: "Thủ tục", format: "text" },
      { key: "procedureName", header: "Tên", group: "Thủ tục", format: "text" },
      { key: "channel", header: "Kênh nộp", format: "text", labels: channelVi },
      { key: "state", header: "Trạng thái", format: "text", labels: stateLabelVi },
      { key: "receivedAt", header: "Tiếp nhận", group: "Thời gian", format: "datetime" },
      { key: "dueAt", header: "Hẹn trả", group: "Thời gian", format: "datetime" },
      { key: "finishedAt", header: "Kết thúc xử lý", group: "Thời gian", format: "datetime" },
      { key: "overdue", header: "Quá hạn", group: "Đang giải quyết", format: "flag" },
      { key: "dueSoon", header: "Sắp đến hạn", group: "Đang giải quyết", format: "flag" },
      { key: "verdict", header: "Kết quả", format: "text", labels: verdictVi },
      { key: "verdictReason", header: "Lý do", format: "text" },
      { key: "unitAtFaultCode", header: "Đơn vị gây quá hạn", format: "text", labels: unitNames },
      { key: "lateSteps", header: "Bước xử lý quá hạn (đơn vị)", format: "text" },
    ],
    rows: rows.map(
      (d): Row => ({
        dossierCode: d.dossierCode,
        receivingUnitCode: d.receivingUnitCode,
        competentUnitCode: d.competentUnitCode,
        currentUnitCode: d.currentUnitCode,
        procedureCode: d.procedureCode,
        procedureName: d.procedureName,
        channel: d.channel,
        state: d.state,
        receivedAt: d.receivedAt,
        dueAt: d.dueAt,
        finishedAt: d.finishedAt,
        overdue: d.overdue,
        dueSoon: d.dueSoon,
        verdict: d.verdict,
        verdictReason: d.verdictReason,
        unitAtFaultCode: d.unitAtFaultCode,
        lateSteps:
          d.steps
            .filter((s) => s.late)
            .map((s) => `${s.stepId} (${s.unitCode})`)
            .join("; ") || null,
      }),
    ),
  };
}
