import { VN_OFFSET_MS } from "@tthc/calendar";
import ExcelJS from "exceljs";
import { MOTTO, NATIONAL_NAME } from "./official-form.js";
import {
  type Column,
  columnWidths,
  displayText,
  headerCells,
  type Report,
  type Row,
  shownColumns,
  type Value,
} from "./report.js";

/**
 * A report as an XLSX workbook (exceljs), laid out for print: A4 landscape fitted to the page width
 * (as many pages down as it takes), the official heading and the signature block, the header rows
 * frozen on screen and repeated on every printed page, number, percent and date formats, a bold
 * total row, columns as wide as their names.
 */

const FONT = "Times New Roman";
const NUMBER_FORMAT: Record<Column["format"], string | undefined> = {
  text: undefined,
  flag: undefined,
  integer: "#,##0",
  decimal: "#,##0.00",
  percent: "0.00%",
  date: "dd/mm/yyyy",
  datetime: "dd/mm/yyyy hh:mm",
};
const THIN = { style: "thin" as const };
const BOX = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** Points per line of 11-point text, for the heights of wrapped header rows. */
const LINE_PT = 15;

/**
 * A cell's value as the workbook keeps it: numbers as numbers (a percentage as its fraction, under a
 * percent format), days and instants as dates (Excel's have no time zone: an instant is written as
 * its Vietnam wall-clock time), codes as their names.
 */
function cellValue(c: Column, v: Value): ExcelJS.CellValue {
  if (v === null || v === "") return null;
  if (typeof v === "number") return c.format === "percent" ? v / 100 : v;
  if (typeof v === "string" && c.labels?.[v] === undefined) {
    if (c.format === "date") return new Date(`${v.slice(0, 10)}T00:00:00Z`);
    if (c.format === "datetime") return new Date(Date.parse(v) + VN_OFFSET_MS);
  }
  return displayText(c, v) || null;
}

const linesOf = (text: string, width: number) => {
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/)) {
    if (used > 0 && used + 1 + word.length > width - 1) {
      lines += 1;
      used = word.length;
    } else used += (used > 0 ? 1 : 0) + word.length;
  }
  return lines;
};

export async function toXlsx(r: Report): Promise<Buffer> {
  const columns = shownColumns(r);
  const n = columns.length;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(r.sheetName.slice(0, 31));
  const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({
    name: FONT,
    size: 11,
    ...extra,
  });

  // Characters plus Excel's cell padding (0.71 of a character); exceljs would also leave out a width
  // of exactly 9, its own default, which Excel reads as 8.43.
  const widths = columnWidths(r, "sheet");
  widths.forEach((w, j) => {
    sheet.getColumn(j + 1).width = w + 0.71;
  });
  /** Sets a row at least as high as `lines` lines of text of `size` points (Excel grows no merged cell). */
  const fit = (row: number, lines: number, size = 11) => {
    const height = Math.ceil(LINE_PT * lines * (size / 11)) + 2;
    if (lines > 1 || size > 11) sheet.getRow(row).height = Math.max(sheet.getRow(row).height ?? 0, height);
  };
  const spanOf = (from: number, to: number) => widths.slice(from - 1, to).reduce((a, b) => a + b, 0);

  /** Writes `text` into columns from..to of row `row`, merged, with the given font and alignment. */
  const line = (
    row: number,
    from: number,
    to: number,
    text: string,
    f: Partial<ExcelJS.Font> = {},
    horizontal: "center" | "left" = "center",
  ) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = text;
    cell.font = font(f);
    cell.alignment = { horizontal, vertical: "middle", wrapText: true };
    // bold or larger letters are about a tenth wider
    const size = f.size ?? 11;
    fit(row, linesOf(text, spanOf(from, to) / ((f.bold ? 1.1 : 1) * (size / 11))), size);
  };

  // The heading: the issuer on the left two fifths, the nation, motto, place and date on the right.
  const left = Math.max(1, Math.min(n - 1, Math.round(n * 0.4)));
  const h = r.heading;
  const issuerLines = h.parent ? [h.parent, h.issuer] : [h.issuer];
  issuerLines.forEach((text, i) => {
    line(i + 1, 1, left, text, { bold: i === issuerLines.length - 1 });
  });
  line(1, left + 1, n, NATIONAL_NAME, { bold: true });
  line(2, left + 1, n, MOTTO, { bold: true, underline: true });
  if (h.placeAndDate) line(3, left + 1, n, h.placeAndDate, { italic: true });

  let row = 5;
  line(row, 1, n, r.title, { bold: true, size: 13 });
  for (const [i, text] of r.subtitle.entries()) line(++row, 1, n, text, { bold: i === 0, italic: i > 0 });
  row += 2;

  // The header rows.
  const header = headerCells(columns);
  const headerStart = row;
  const headerEnd = row + header.rows - 1;
  const lines = [0, 0];
  for (const hc of header.cells) {
    const top = headerStart + hc.row;
    const bottom = top + hc.rowSpan - 1;
    if (hc.colSpan > 1 || hc.rowSpan > 1) sheet.mergeCells(top, hc.col + 1, bottom, hc.col + hc.colSpan);
    const cell = sheet.getCell(top, hc.col + 1);
    cell.value = hc.text;
    const span = widths.slice(hc.col, hc.col + hc.colSpan).reduce((a, b) => a + b, 0);
    const need = Math.ceil(linesOf(hc.text, span / 1.1) / hc.rowSpan);
    for (let k = hc.row; k < hc.row + hc.rowSpan; k++) lines[k] = Math.max(lines[k] ?? 0, need);
  }
  for (let k = 0; k < header.rows; k++) sheet.getRow(headerStart + k).height = LINE_PT * (lines[k] ?? 1) + 4;
  for (let rr = headerStart; rr <= headerEnd; rr++)
    for (let j = 1; j <= n; j++) {
      const cell = sheet.getCell(rr, j);
      cell.font = font({ bold: true });
      cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
      cell.border = BOX;
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    }

  // The rows, then the total row in bold.
  const writeRow = (at: number, x: Row, index: number | null, bold: boolean) => {
    columns.forEach((c, j) => {
      const cell = sheet.getCell(at, j + 1);
      cell.value = j === 0 && r.numbered ? index : cellValue(c, x[c.key] ?? null);
      const numFmt = NUMBER_FORMAT[c.format];
      if (numFmt) cell.numFmt = numFmt;
      cell.font = font({ bold });
      cell.border = BOX;
      const numeric = c.format !== "text" && c.format !== "flag";
      const centred = c.format === "flag" || (j === 0 && r.numbered);
      cell.alignment = {
        horizontal: centred ? "center" : numeric ? "right" : "left",
        vertical: "top",
        wrapText: !numeric,
      };
    });
  };
  row = headerEnd;
  r.rows.forEach((x, i) => {
    writeRow(++row, x, i + 1, false);
  });
  if (r.total) writeRow(++row, r.total, null, true);

  row += 1;
  for (const note of r.notes ?? []) line(++row, 1, n, note, { italic: true, size: 10 }, "left");

  // The signature block: the signers side by side, each over an equal share of the columns.
  row += 2;
  const k = r.signatures.length;
  r.signatures.forEach((s, i) => {
    const from = Math.floor((i * n) / k) + 1;
    const to = Math.max(from, Math.floor(((i + 1) * n) / k));
    line(row, from, to, s.title, { bold: true });
    line(row + 1, from, to, s.note, { italic: true });
  });

  sheet.views = [
    { state: "frozen", xSplit: (r.numbered ? 1 : 0) + (r.frozenColumns ?? 0), ySplit: headerEnd },
  ];
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${headerStart}:${headerEnd}`,
  };
  sheet.headerFooter = { oddFooter: '&C&"Times New Roman"&10Trang &P/&N' };
  return Buffer.from(await book.xlsx.writeBuffer());
}
