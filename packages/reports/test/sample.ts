import { officialHeading, REPORT_SIGNATURES } from "../src/official-form.js";
import type { Report } from "../src/report.js";

/** A small report with every format, a group of columns, a total row and a name to escape. */
export function sampleReport(rows = 3): Report {
  return {
    heading: officialHeading(
      [
        { name: "Sở Tư pháp", level: "department" },
        { name: "Tỉnh Phú Thọ", level: "province" },
      ],
      "2025-10-05",
    ),
    title: "BÁO CÁO THỬ",
    subtitle: ["Kỳ báo cáo: Quý III năm 2025", "Số liệu theo cơ quan có thẩm quyền giải quyết"],
    sheetName: "Đơn vị",
    numbered: true,
    frozenColumns: 2,
    columns: [
      { key: "unitCode", header: "Mã đơn vị", format: "text" },
      { key: "unitName", header: "Tên đơn vị", format: "text" },
      { key: "received", header: "Tổng số", group: "Số hồ sơ tiếp nhận", format: "integer" },
      { key: "receivedOnline", header: "Trực tuyến", group: "Số hồ sơ tiếp nhận", format: "integer" },
      { key: "onTimeRate766", header: "Theo QĐ 766", group: "Tỷ lệ (%)", format: "percent" },
      { key: "progressScore", header: "Điểm", format: "decimal" },
      { key: "state", header: "Trạng thái", format: "text", labels: { processing: "Đang xử lý" } },
      { key: "receivedAt", header: "Ngày tiếp nhận", format: "datetime" },
      { key: "day", header: "Ngày", format: "date" },
      { key: "overdue", header: "Quá hạn", format: "flag" },
    ],
    rows: Array.from({ length: rows }, (_, i) => ({
      unitCode: `H44.${100 + i}`,
      unitName: i === 0 ? 'Phường "A", <B> & C' : `Phường số ${i}`,
      received: 2971 + i,
      receivedOnline: 1234,
      onTimeRate766: i === 1 ? null : 79.03,
      progressScore: 15.81,
      state: "processing",
      receivedAt: "2025-09-30T17:30:00Z",
      day: "2025-09-02",
      overdue: i === 0,
    })),
    total: { unitName: "Tổng cộng", received: 8916, receivedOnline: 3702, onTimeRate766: 52.69 },
    notes: ["Ghi chú thử."],
    signatures: REPORT_SIGNATURES,
  };
}
