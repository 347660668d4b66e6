import { emptyCounts, figuresOf, RANKING_TITLE_VI } from "@tthc/rates";
import { issuingChain, officialHeading, toCsv } from "@tthc/reports";
import { describe, expect, it } from "vitest";
import {
  dossiersReport,
  type ReportContext,
  rankingReport,
  unitsReport,
} from "../../src/http/report-table.js";
import type { DossierRow } from "../../src/store/dossier-list.js";

const units = [
  { code: "H44", name: "Tỉnh Phú Thọ", level: "province", parentCode: null },
  { code: "H44.08", name: "Sở Tư pháp", level: "department", parentCode: "H44" },
  { code: "H44.100", name: "Phường Việt Trì", level: "ward", parentCode: "H44" },
];

// August 2026, asked on 05/09/2026: the period is over, so no "as of" line.
const context = (unit?: string, now = "2026-09-05T10:00:00+07:00"): ReportContext => ({
  heading: officialHeading(issuingChain(units, unit), "2026-09-05"),
  period: { from: "2026-08-01", to: "2026-08-31" },
  attribution: "competent",
  now: new Date(now),
});

// Phường Việt Trì, August 2026: 2,348 of 2,971 on time (79.03%, 15.81 points), all online.
const vietTri = figuresOf({
  ...emptyCounts(),
  receivedOnline: 2_971,
  finished: 2_971,
  resolved: 2_971,
  early: 2_000,
  onTime: 348,
  late: 623,
  resolvedEarly: 2_000,
  resolvedOnTime: 348,
  resolvedLate: 623,
  resolvedOnlineElectronic: 2_500,
});

describe("the units report", () => {
  const r = unitsReport(
    context(),
    [{ unitCode: "H44.100", unitName: "Phường Việt Trì", figures: vietTri }],
    vietTri,
  );

  it("is issued by the province's People's Committee for the whole province, by the unit asked for otherwise", () => {
    expect(r.heading).toEqual({
      parent: null,
      issuer: "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
      placeAndDate: "Phú Thọ, ngày 05 tháng 9 năm 2026",
    });
    expect(officialHeading(issuingChain(units, "H44.08"), "2026-09-05")).toMatchObject({
      parent: "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
      issuer: "SỞ TƯ PHÁP",
    });
    expect(issuingChain(units, "H44.999")).toEqual([{ name: "H44.999", level: "unknown" }]);
  });

  it("names the period in words and the attribution; a period not over says when it was taken", () => {
    expect(r.subtitle).toEqual([
      "Kỳ báo cáo: Tháng 8 năm 2026",
      "Số liệu theo cơ quan có thẩm quyền giải quyết",
    ]);
    const running = unitsReport(context(undefined, "2026-08-20T15:00:00+07:00"), [], vietTri);
    expect(running.subtitle[2]).toBe("Số liệu tính đến 20/08/2026 15:00");
  });

  it("groups the figures under the headers of the report forms and ends with a total row", () => {
    const col = (key: string) => r.columns.find((c) => c.key === key);
    expect(col("received")).toMatchObject({
      header: "Tổng số",
      group: "Số hồ sơ tiếp nhận",
      format: "integer",
    });
    expect(col("onTimeRate766")).toMatchObject({
      header: "Theo QĐ 766",
      group: "Tỷ lệ đúng hạn (%)",
      format: "percent",
    });
    expect(col("lateSteps")).toMatchObject({ header: "Bước xử lý quá hạn" });
    expect(col("lateSteps")?.group).toBeUndefined();
    expect(r.total).toMatchObject({ unitName: "Tổng cộng", handled: 2_971 });
  });

  it("as CSV: one header row of the API's keys, one line per unit, no title and no total", () => {
    const lines = toCsv(r.columns, r.rows).slice(1).split("\r\n");
    expect(lines).toHaveLength(3);
    expect(
      lines[0]?.startsWith(
        "unit_code,unit_name,received,received_online,received_direct,received_postal,online_rate,",
      ),
    ).toBe(true);
    // online 100%, stricter online 2,500 / 2,971 = 84.15%; online score 12 × 100%
    expect(lines[1]).toBe(
      "H44.100,Phường Việt Trì,2971,2971,0,0,100,84.15,0,2971,2971,2971,2000,348,623,0,0,0,0,0,79.03,79.03,15.81,12,0,0,0",
    );
    expect(lines[2]).toBe("");
  });
});

describe("the ranking report", () => {
  it("is titled a partial score of the QĐ 766 index, out of 32, in Vietnamese", () => {
    const r = rankingReport(context(), {
      ranking: [{ rank: 1, partialScore: 32, unitCode: "H44.08", unitName: "Sở Tư pháp", figures: vietTri }],
    });
    expect(r.title).toContain("ĐIỂM MỘT PHẦN");
    expect(r.title).toContain("32/100");
    expect(r.notes?.[0]).toBe(RANKING_TITLE_VI);
    expect(r.columns.map((c) => c.header).slice(0, 4)).toEqual([
      "Xếp hạng",
      "Mã đơn vị",
      "Tên đơn vị",
      "Điểm một phần (/32)",
    ]);
    expect(r.columns.find((c) => c.key === "onlineScore")?.header).toBe("Trực tuyến (/12)");
    expect(toCsv(r.columns, r.rows).split("\r\n")[1]).toMatch(/^1,H44\.08,Sở Tư pháp,32,/);
  });
});

describe("the dossiers report", () => {
  const row: DossierRow = {
    dossierId: "d1",
    dossierCode: "000.00.100.H44-260803-0001",
    receivingUnitCode: "H44.100",
    competentUnitCode: "H44.08",
    currentUnitCode: "H44.08",
    procedureCode: "1.004873",
    procedureName: "Cấp bản sao trích lục hộ tịch",
    field: "Hộ tịch",
    channel: "online",
    state: "processing",
    receivedAt: "2026-08-03T02:00:00.000Z",
    dueAt: "2026-08-10T09:00:00.000+07:00",
    dueSoonAt: null,
    overdue: true,
    dueSoon: false,
    lateSince: null,
    paused: false,
    extendedDueAt: null,
    finishedAt: null,
    endKind: null,
    stopReason: null,
    verdict: null,
    verdictReason: null,
    unitAtFaultCode: "H44.08",
    usedMinutes: null,
    transfers: 1,
    slaSequence: 3,
    steps: [
      {
        runNo: 2,
        stepId: "review",
        unitCode: "H44.08",
        staffId: null,
        startedAt: "2026-08-03T09:00:00+07:00",
        endedAt: "2026-08-09T09:00:00+07:00",
        dueAt: null,
        late: true,
      },
    ],
  };
  const names = Object.fromEntries(units.map((u) => [u.code, u.name]));
  const r = dossiersReport(context("H44.100"), "overdue", [row], names);

  it("names the figure, the states, channels and units in Vietnamese for people, and keeps the codes for machines", () => {
    expect(r.title).toBe("DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT QUÁ HẠN");
    expect(r.heading.issuer).toBe("ỦY BAN NHÂN DÂN PHƯỜNG VIỆT TRÌ");
    const col = (key: string) => r.columns.find((c) => c.key === key);
    expect(col("state")?.labels?.processing).toBe("Đang xử lý");
    expect(col("channel")?.labels?.online).toBe("Trực tuyến");
    expect(col("competentUnitCode")?.labels?.["H44.08"]).toBe("Sở Tư pháp");
    expect(col("receivedAt")?.format).toBe("datetime");
    expect(r.rows[0]?.lateSteps).toBe("review (H44.08)");
    const [head, line] = toCsv(r.columns, r.rows).slice(1).split("\r\n");
    expect(head).toBe(
      "dossier_code,receiving_unit_code,competent_unit_code,current_unit_code,procedure_code,procedure_name,channel,state,received_at,due_at,finished_at,overdue,due_soon,verdict,verdict_reason,unit_at_fault_code,late_steps",
    );
    expect(line).toBe(
      "000.00.100.H44-260803-0001,H44.100,H44.08,H44.08,1.004873,Cấp bản sao trích lục hộ tịch,online,processing,2026-08-03T02:00:00.000Z,2026-08-10T09:00:00.000+07:00,,true,false,,,H44.08,review (H44.08)",
    );
  });
});
