import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { CatalogRecord } from "@tthc/contracts";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil, withoutFakedTime } from "@tthc/testkit";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../../src/service.js";
import {
  newDossier,
  publish,
  received,
  resolved,
  transferred,
  unitRecord,
  verdict,
} from "../fixtures/events.js";

/**
 * The reports as a one-stop centre files them, for the whole province of the seed catalogue (160
 * units under Phú Thọ): each XLSX opened with exceljs, and the units report's print page turned
 * into a PDF by Chromium and read back with poppler's pdftotext.
 */

const run = promisify(execFile);
const ARTIFACTS = resolve(import.meta.dirname, "../../../../test-artifacts");
const SEED = resolve(import.meta.dirname, "../../../intake/data/units.json");

interface SeedUnit {
  code: string;
  name: string;
  level: "province" | "department" | "provincial-centre" | "commune" | "ward";
  parentCode: string | null;
}
const seed = (JSON.parse(readFileSync(SEED, "utf8")) as { units: SeedUnit[] }).units;
const units = seed.filter((u) => u.level !== "province");

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
/** 05/10/2026: the third quarter is over and judged at its end. */
const clock = new ManualClock("2026-10-05T10:00:00+07:00");
const Q3 = "from=2026-07-01&to=2026-09-30";
const leader = { headers: tokenFor("H44", "leader") };

const vt = newDossier("H44.100", "2026-07-03");
const bn = newDossier("H44.108", "2026-08-10");
const centre = newDossier("H44.90", "2026-09-15");

beforeAll(async () => {
  expect(units).toHaveLength(160);
  env = await createTestEnv("stats-exports");
  svc = await buildService(service, { env: env.serviceEnv(), clock });
  url = await svc.start();
  const catalog: CatalogRecord[] = seed.map((u) => unitRecord(u.code, u.name, u.level, u.parentCode));
  await publish(env.bus, [
    ...catalog,
    received(vt, "direct", "2026-07-03T09:00:00+07:00", "2026-07-10T09:00:00+07:00"),
    resolved(vt, "2026-07-06T10:00:00+07:00"),
    verdict(vt, 2, "early", "2026-07-06T10:00:00+07:00", "2026-07-10T09:00:00+07:00"),
    received(bn, "online", "2026-08-10T14:00:00+07:00", "2026-08-17T14:00:00+07:00"),
    resolved(bn, "2026-08-18T08:00:00+07:00"),
    verdict(bn, 2, "late", "2026-08-18T08:00:00+07:00", "2026-08-17T14:00:00+07:00"),
    // received by the provincial centre for Sở Công Thương, sent on, and overdue at the quarter's end
    received(centre, "online", "2026-09-15T08:30:00+07:00", "2026-09-22T08:30:00+07:00", {
      decidedBy: "H44.07",
    }),
    transferred(centre, "2026-09-15T10:00:00+07:00", "H44.90", "H44.07"),
  ]);
  await waitUntil(
    "the catalogue and the dossiers applied",
    async () => {
      const { rows } = await env.pool.query(
        `SELECT (SELECT count(*)::int FROM stat_units) AS units,
                (SELECT count(*)::int FROM stat_dossiers WHERE state IS NOT NULL) AS dossiers,
                (SELECT count(*)::int FROM stat_dossiers WHERE verdict IS NOT NULL) AS verdicts,
                (SELECT count(*)::int FROM stat_dossiers WHERE state = 'processing') AS processing`,
      );
      return (
        rows[0].units === 161 && rows[0].dossiers === 3 && rows[0].verdicts === 2 && rows[0].processing === 1
      );
    },
    90_000,
  );
}, 180_000);

afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

async function workbook(path: string, init: RequestInit = {}): Promise<ExcelJS.Worksheet> {
  const res = await fetch(`${url}${path}`, init);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await res.arrayBuffer()) as never);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error(`no worksheet in ${path}`);
  return sheet;
}

/** The cells of a row as exceljs reads them, merged cells given once (at their first cell). */
function rowValues(sheet: ExcelJS.Worksheet, row: number): ExcelJS.CellValue[] {
  const out: ExcelJS.CellValue[] = [];
  for (let c = 1; c <= sheet.columnCount; c++) {
    const cell = sheet.getCell(row, c);
    out.push(cell.master.address === cell.address ? cell.value : null);
  }
  return out;
}

/** Every string in the sheet. */
function strings(sheet: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  sheet.eachRow((row) => {
    row.eachCell((c) => {
      if (typeof c.value === "string") out.push(c.value);
    });
  });
  return out;
}

/**
 * What every report shares: A4 landscape one page wide, the header rows repeated on each printed
 * page and frozen on screen, the heading; gives the header rows' span and each column's header.
 */
function checkLayout(sheet: ExcelJS.Worksheet, issuer: string[], title: string) {
  expect(sheet.pageSetup).toMatchObject({
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
  });
  const [first, last] = (sheet.pageSetup.printTitlesRow ?? "").split(":").map(Number);
  expect(first).toBeGreaterThan(5);
  expect(last === first || last === (first ?? 0) + 1).toBe(true);
  expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: last });
  const heading = [1, 2, 3].map((r) => rowValues(sheet, r).filter((v) => v !== null));
  expect(heading[0]).toEqual([issuer[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]);
  expect(heading[1]).toEqual([...issuer.slice(1), "Độc lập - Tự do - Hạnh phúc"]);
  expect(heading[2]).toEqual(["Phú Thọ, ngày 05 tháng 10 năm 2026"]);
  expect(sheet.getCell(issuer.length, 1).font.bold).toBe(true);
  expect(sheet.getCell("A5").value).toBe(title);
  expect(sheet.getCell("A6").value).toBe("Kỳ báo cáo: Quý III năm 2026");
  // each column's header: "group / header" under a group, else the one cell spanning both rows
  const headers = rowValues(sheet, first as number).map((_, i) => {
    const top = sheet.getCell(first as number, i + 1).master;
    const bottom = sheet.getCell(last as number, i + 1);
    return bottom.master.address === top.address ? String(top.value) : `${top.value} / ${bottom.value}`;
  });
  for (let r = first as number; r <= (last as number); r++)
    for (let c = 1; c <= headers.length; c++) expect(sheet.getCell(r, c).font.bold).toBe(true);
  // no ISO instant and no state code anywhere a person reads
  for (const s of strings(sheet)) {
    expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(s).not.toMatch(
      /^(processing|received|resolved|returned|stopped|submitted|online|direct|late|early|on_time)$/,
    );
  }
  const signatures = strings(sheet).filter((s) => s === "NGƯỜI LẬP BIỂU" || s === "THỦ TRƯỞNG ĐƠN VỊ");
  expect(new Set(signatures)).toEqual(new Set(["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"]));
  return { headerEnd: last as number, headers, column: (h: string) => headers.indexOf(h) + 1 };
}

describe("the units report of the province, 160 units", () => {
  it("XLSX: the heading, the grouped headers, a row per unit with its formats, a bold total row", async () => {
    const sheet = await workbook(`/v1/stats/units.xlsx?${Q3}`);
    const { headerEnd, headers, column } = checkLayout(
      sheet,
      ["ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ"],
      "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ",
    );
    expect(sheet.getCell("A7").value).toBe("Số liệu theo cơ quan có thẩm quyền giải quyết");
    expect(sheet.views[0]).toMatchObject({ xSplit: 3 });
    expect(headers.slice(0, 4)).toEqual(["STT", "Mã đơn vị", "Tên đơn vị", "Số hồ sơ tiếp nhận / Tổng số"]);
    expect(headers).toContain("Tỷ lệ đúng hạn (%) / Theo QĐ 766");
    expect(headers).toContain("Bước xử lý quá hạn");

    const json = (await http(`${url}/v1/stats/units?${Q3}`)).body.units as {
      unitCode: string;
      unitName: string;
      figures: Record<string, number | null>;
    }[];
    expect(json).toHaveLength(160);
    const first = headerEnd + 1;
    const total = first + 160;
    for (const [i, u] of json.entries()) {
      const r = first + i;
      expect(rowValues(sheet, r).slice(0, 3)).toEqual([i + 1, u.unitCode, u.unitName]);
      expect(sheet.getCell(r, column("Số hồ sơ phải giải quyết (QĐ 766) / Tổng số")).value).toBe(
        u.figures.handled,
      );
    }
    const vtRow = first + json.findIndex((u) => u.unitCode === "H44.100");
    const rate = sheet.getCell(vtRow, column("Tỷ lệ đúng hạn (%) / Theo QĐ 766"));
    expect([rate.value, rate.numFmt]).toEqual([1, "0.00%"]);
    const score = sheet.getCell(vtRow, column("Điểm / Tiến độ (/20)"));
    expect([score.value, score.numFmt]).toEqual([20, "#,##0.00"]);
    expect(sheet.getCell(vtRow, column("Số hồ sơ tiếp nhận / Trực tiếp")).numFmt).toBe("#,##0");
    // a rate over nothing stays blank
    const empty = first + json.findIndex((u) => u.figures.handled === 0);
    expect(sheet.getCell(empty, column("Tỷ lệ đúng hạn (%) / Theo QĐ 766")).value).toBeNull();

    expect(sheet.getCell(total, 3).value).toBe("Tổng cộng");
    expect(sheet.getCell(total, column("Số hồ sơ phải giải quyết (QĐ 766) / Tổng số")).value).toBe(3);
    for (let c = 1; c <= headers.length; c++) expect(sheet.getCell(total, c).font.bold).toBe(true);
    expect(sheet.getCell(total - 1, 3).font.bold).toBeFalsy();
    const longest = Math.max(...units.map((u) => u.name.length));
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(longest);
  });

  it("print page → PDF in Chromium: A4 landscape, at most ceil(rows / 25) pages, the header row on each", async () => {
    const res = await fetch(`${url}/v1/stats/units.html?${Q3}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdf = resolve(ARTIFACTS, "units-report.pdf");
    await run(
      "/usr/bin/chromium",
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--no-pdf-header-footer",
        `--print-to-pdf=${pdf}`,
        `${url}/v1/stats/units.html?${Q3}`,
      ],
      { env: withoutFakedTime(process.env), timeout: 120_000 },
    );
    const info = (await run("pdfinfo", [pdf])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const [w, h] = (/^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(info) ?? []).slice(1).map(Number);
    expect(Math.round(w ?? 0)).toBe(842);
    expect(Math.round(h ?? 0)).toBe(595);
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThanOrEqual(Math.ceil(units.length / 25));
    let text = "";
    for (let p = 1; p <= pages; p++) {
      const page = (await run("pdftotext", ["-f", String(p), "-l", String(p), pdf, "-"])).stdout;
      for (const header of ["STT", "Mã đơn vị", "Tên đơn vị", "Số hồ sơ tiếp nhận", "Tỷ lệ đúng hạn (%)"])
        expect(page.replace(/\s+/g, " "), `page ${p} of ${pages}`).toContain(header);
      text += page;
    }
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain("Kỳ báo cáo: Quý III năm 2026");
    expect(text).toContain("Tổng cộng");
    expect(text).toContain("THỦ TRƯỞNG ĐƠN VỊ");
    const tokens = new Set(text.split(/\s+/));
    expect(units.filter((u) => !tokens.has(u.code))).toEqual([]);
  }, 180_000);

  it("CSV: one header row of keys and a line per unit, nothing else", async () => {
    const body = Buffer.from(await (await fetch(`${url}/v1/stats/units.csv?${Q3}`)).arrayBuffer());
    // the byte-order mark, for a spreadsheet to read UTF-8 (fetch's text() would drop it)
    expect(body.subarray(0, 3).toString("hex")).toBe("efbbbf");
    const lines = body.subarray(3).toString("utf8").split("\r\n");
    expect(lines[0]?.startsWith("unit_code,unit_name,received,")).toBe(true);
    expect(lines).toHaveLength(1 + 160 + 1);
    expect(lines[161]).toBe("");
  });
});

describe("the other reports", () => {
  it("the ranking: the rank first, the partial score as a decimal", async () => {
    const sheet = await workbook(`/v1/stats/ranking.xlsx?${Q3}`);
    const { headerEnd, headers, column } = checkLayout(
      sheet,
      ["ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ"],
      "BẢNG XẾP HẠNG ĐƠN VỊ THEO ĐIỂM MỘT PHẦN CỦA BỘ CHỈ SỐ QĐ 766 (32/100 ĐIỂM)",
    );
    expect(headers.slice(0, 4)).toEqual(["Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Điểm một phần (/32)"]);
    expect(sheet.views[0]).toMatchObject({ xSplit: 3 });
    const top = headerEnd + 1;
    expect(rowValues(sheet, top).slice(0, 3)).toEqual([1, "H44.100", "Phường Việt Trì"]);
    expect(sheet.getCell(top, column("Điểm một phần (/32)")).numFmt).toBe("#,##0.00");
    expect(strings(sheet).some((s) => s.startsWith("Điểm một phần theo Bộ chỉ số QĐ 766"))).toBe(true);
  });

  it("the procedures, by the unit asked for: issued by the department under the province", async () => {
    const sheet = await workbook(`/v1/stats/procedures.xlsx?${Q3}&unit=H44.07`);
    const { headerEnd, headers } = checkLayout(
      sheet,
      ["ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ", "SỞ CÔNG THƯƠNG"],
      "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO THỦ TỤC HÀNH CHÍNH",
    );
    expect(headers.slice(0, 4)).toEqual(["STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực"]);
    expect(rowValues(sheet, headerEnd + 1).slice(0, 4)).toEqual([
      1,
      "2.000777",
      "Cấp giấy phép kinh doanh",
      "Thương mại",
    ]);
  });

  it("the dossiers behind a figure: states, channels and units by name, instants in Vietnam time", async () => {
    const sheet = await workbook(`/v1/stats/dossiers.xlsx?${Q3}&figure=handled`, leader);
    const { headerEnd, headers, column } = checkLayout(
      sheet,
      ["ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ"],
      "DANH SÁCH HỒ SƠ PHẢI GIẢI QUYẾT TRONG KỲ",
    );
    expect(headers).toContain("Thời gian / Tiếp nhận");
    const rows = [1, 2, 3].map((i) => headerEnd + i);
    const byCode = new Map(rows.map((r) => [sheet.getCell(r, column("Mã hồ sơ")).value, r]));
    const r = byCode.get(centre.dossierCode) as number;
    expect(sheet.getCell(r, column("Trạng thái")).value).toBe("Đang xử lý");
    expect(sheet.getCell(r, column("Kênh nộp")).value).toBe("Trực tuyến");
    expect(sheet.getCell(r, column("Đơn vị / Tiếp nhận")).value).toBe(
      "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ",
    );
    expect(sheet.getCell(r, column("Đơn vị / Có thẩm quyền")).value).toBe("Sở Công Thương");
    expect(sheet.getCell(r, column("Đang giải quyết / Quá hạn")).value).toBe("Có");
    const at = sheet.getCell(r, column("Thời gian / Tiếp nhận"));
    expect(at.numFmt).toBe("dd/mm/yyyy hh:mm");
    // 15/09/2026 08:30 in Vietnam, as the sheet shows it
    expect((at.value as Date).toISOString()).toBe("2026-09-15T08:30:00.000Z");
    const done = byCode.get(bn.dossierCode) as number;
    expect(sheet.getCell(done, column("Kết quả")).value).toBe("Quá hạn");
    expect(sheet.getCell(done, column("Trạng thái")).value).toBe("Đã xử lý xong");
  });

  it("each report has its print page beside its XLSX; a staff list asks for a token there too", async () => {
    for (const name of ["units", "ranking", "procedures"]) {
      const page = await fetch(`${url}/v1/stats/${name}.html?${Q3}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("@page { size: A4 landscape;");
      expect(html).toContain("<thead>");
    }
    expect((await fetch(`${url}/v1/stats/dossiers.html?${Q3}`)).status).toBe(401);
    const dossiers = await fetch(`${url}/v1/stats/dossiers.html?${Q3}&figure=overdue`, leader);
    expect(dossiers.status).toBe(200);
    const html = await dossiers.text();
    expect(html).toContain("DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT QUÁ HẠN");
    expect(html).toContain("15/09/2026 08:30");
    expect(html).toContain("Đang xử lý");
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});
