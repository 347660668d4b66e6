import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { toXlsx } from "../src/xlsx.js";
import { sampleReport } from "./sample.js";

async function open(buf: Buffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buf as never);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error("no worksheet");
  return sheet;
}

describe("a report as XLSX", () => {
  it("prints on A4 landscape, one page wide, the header rows on every page", async () => {
    const sheet = await open(await toXlsx(sampleReport()));
    expect(sheet.name).toBe("Đơn vị");
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: "9:10",
    });
    expect(sheet.headerFooter.oddFooter).toContain("Trang &P/&N");
  });

  it("opens with the official heading, the title and the period, the header rows and the names frozen", async () => {
    const sheet = await open(await toXlsx(sampleReport()));
    const text = (ref: string) => sheet.getCell(ref).value;
    // 11 columns (STT and ten): the issuer over the first four, the nation over the other seven
    expect(text("A1")).toBe("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ");
    expect(text("A2")).toBe("SỞ TƯ PHÁP");
    expect(sheet.getCell("A2").font.bold).toBe(true);
    expect(sheet.getCell("A1").font.bold).toBeFalsy();
    expect(text("E1")).toBe("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text("E2")).toBe("Độc lập - Tự do - Hạnh phúc");
    expect(text("E3")).toBe("Phú Thọ, ngày 05 tháng 10 năm 2025");
    expect(sheet.getCell("E3").font.italic).toBe(true);
    expect(text("A5")).toBe("BÁO CÁO THỬ");
    expect(text("A6")).toBe("Kỳ báo cáo: Quý III năm 2025");
    expect(text("A7")).toBe("Số liệu theo cơ quan có thẩm quyền giải quyết");
    expect(sheet.getCell("K5").isMerged).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", xSplit: 3, ySplit: 10 });
  });

  it("has two header rows: a group over its columns, a column without a group over both rows", async () => {
    const sheet = await open(await toXlsx(sampleReport()));
    const row9 = [1, 2, 3, 4, 5, 6, 7].map((c) => sheet.getCell(9, c).value);
    expect(row9).toEqual([
      "STT",
      "Mã đơn vị",
      "Tên đơn vị",
      "Số hồ sơ tiếp nhận",
      "Số hồ sơ tiếp nhận",
      "Tỷ lệ (%)",
      "Điểm",
    ]);
    expect(sheet.getCell("A10").master.address).toBe("A9");
    expect(sheet.getCell("E9").master.address).toBe("D9");
    expect([4, 5, 6].map((c) => sheet.getCell(10, c).value)).toEqual([
      "Tổng số",
      "Trực tuyến",
      "Theo QĐ 766",
    ]);
    for (const c of [1, 4, 11]) expect(sheet.getCell(9, c).font.bold).toBe(true);
  });

  it("keeps numbers, percentages and dates as such, with Vietnamese names for codes", async () => {
    const sheet = await open(await toXlsx(sampleReport()));
    const cell = (ref: string) => sheet.getCell(ref);
    expect(cell("A11").value).toBe(1);
    expect(cell("C11").value).toBe('Phường "A", <B> & C');
    expect([cell("D11").value, cell("D11").numFmt]).toEqual([2971, "#,##0"]);
    expect([cell("F11").value, cell("F11").numFmt]).toEqual([0.7903, "0.00%"]);
    expect(cell("F12").value).toBeNull();
    expect([cell("G11").value, cell("G11").numFmt]).toEqual([15.81, "#,##0.00"]);
    expect(cell("H11").value).toBe("Đang xử lý");
    // 2025-09-30T17:30Z is 01/10/2025 00:30 in Vietnam: the workbook holds that wall-clock time
    expect(cell("I11").numFmt).toBe("dd/mm/yyyy hh:mm");
    expect((cell("I11").value as Date).toISOString()).toBe("2025-10-01T00:30:00.000Z");
    expect(cell("J11").numFmt).toBe("dd/mm/yyyy");
    expect((cell("J11").value as Date).toISOString()).toBe("2025-09-02T00:00:00.000Z");
    expect([cell("K11").value, cell("K12").value]).toEqual(["Có", null]);
  });

  it("ends with the bold total row, the notes and the signature block; columns fit their names", async () => {
    const sheet = await open(await toXlsx(sampleReport()));
    expect(sheet.getCell("C14").value).toBe("Tổng cộng");
    expect(sheet.getCell("A14").value).toBeNull();
    for (const c of ["C14", "D14", "F14"]) expect(sheet.getCell(c).font.bold).toBe(true);
    expect(sheet.getCell("D13").font.bold).toBeFalsy();
    expect(sheet.getCell("A16").value).toBe("Ghi chú thử.");
    const signatures: string[] = [];
    sheet.eachRow((row) => {
      row.eachCell((c) => {
        if (
          c.master.address === c.address &&
          typeof c.value === "string" &&
          /^(NGƯỜI|THỦ TRƯỞNG)/.test(c.value)
        )
          signatures.push(c.value);
      });
    });
    expect(signatures).toEqual(["NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"]);
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual('Phường "A", <B> & C'.length);
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual("Mã đơn vị".length);
  });

  it("a narrow report grows the rows whose merged text wraps, which Excel would not grow", async () => {
    const wide = await open(await toXlsx(sampleReport()));
    const narrow = sampleReport();
    narrow.columns = narrow.columns.slice(1, 3);
    narrow.title = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ";
    const sheet = await open(await toXlsx(narrow));
    // three columns: the nation's name takes two lines over the last two of them, the title too
    expect(wide.getRow(1).height ?? 15).toBeLessThanOrEqual(17);
    expect(sheet.getRow(1).height).toBeGreaterThanOrEqual(30);
    expect(sheet.getRow(5).height).toBeGreaterThan(wide.getRow(5).height ?? 0);
  });
});
