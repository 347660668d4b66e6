import type { OfficialHeading, Signature } from "./official-form.js";
import { dayVi, instantVi } from "./vietnamese-dates.js";

/**
 * A report: what a one-stop centre files (the heading, the title, the period in words, a table with
 * Vietnamese headers, a bold total row, the signature block) and what a machine reads (the same
 * rows under stable keys). The writers turn one into XLSX, print-ready HTML and CSV.
 */

/**
 * How a column's values are kept and shown. `percent` values are percentages as the API gives them
 * (`79.03` for 79.03%); `date` a day `YYYY-MM-DD`; `datetime` an ISO 8601 instant with an offset,
 * shown in Vietnam time; `flag` a boolean, shown "Có" or blank.
 */
export type ColumnFormat = "text" | "integer" | "decimal" | "percent" | "date" | "datetime" | "flag";

export interface Column {
  /** The field's name in the JSON API; the CSV writes it in snake_case. */
  key: string;
  /** The Vietnamese header (under `group`, where the column has one). */
  header: string;
  /** The header over a run of neighbouring columns (a second header row); none: the header spans both. */
  group?: string;
  format: ColumnFormat;
  /** Names shown for codes in the human formats (a state, a channel, a unit); the CSV keeps the code. */
  labels?: Readonly<Record<string, string>>;
}

export type Value = string | number | boolean | null;
export type Row = Readonly<Record<string, Value>>;

export interface Report {
  heading: OfficialHeading;
  /** The report's name, in capitals. */
  title: string;
  /** Lines under the title: the period in words first, then what the figures are taken by. */
  subtitle: string[];
  /** The worksheet's name (at most 31 characters). */
  sheetName: string;
  /** Whether the human formats number the rows (STT) in a first column. */
  numbered: boolean;
  /** How many leading columns name a row (a code, a name) and stay in view when the sheet scrolls right. */
  frozenColumns?: number;
  columns: Column[];
  rows: Row[];
  /** The total row, bold, after the rows; not in the CSV. */
  total?: Row;
  /** Notes under the table (what a rate is taken over). */
  notes?: string[];
  signatures: readonly Signature[];
}

export const ROW_NUMBER_HEADER = "STT";

/** The columns the human formats show: the row number first, where the report numbers its rows. */
export function shownColumns(r: Report): Column[] {
  return r.numbered ? [{ key: "", header: ROW_NUMBER_HEADER, format: "integer" }, ...r.columns] : r.columns;
}

/** A header cell of the printed table: its text, where it starts, and how many columns and rows it spans. */
export interface HeaderCell {
  text: string;
  col: number;
  colSpan: number;
  row: 0 | 1;
  rowSpan: 1 | 2;
}

/**
 * The header rows: one when no column has a group; else two, each group's name over its run of
 * neighbouring columns and a column without a group spanning both rows.
 */
export function headerCells(columns: Column[]): { rows: 1 | 2; cells: HeaderCell[] } {
  if (!columns.some((c) => c.group)) {
    return {
      rows: 1,
      cells: columns.map((c, col) => ({ text: c.header, col, colSpan: 1, row: 0, rowSpan: 1 })),
    };
  }
  const cells: HeaderCell[] = [];
  columns.forEach((c, col) => {
    if (!c.group) {
      cells.push({ text: c.header, col, colSpan: 1, row: 0, rowSpan: 2 });
      return;
    }
    const last = cells.findLast((h) => h.row === 0);
    if (last && last.rowSpan === 1 && last.text === c.group && last.col + last.colSpan === col)
      last.colSpan += 1;
    else cells.push({ text: c.group, col, colSpan: 1, row: 0, rowSpan: 1 });
    cells.push({ text: c.header, col, colSpan: 1, row: 1, rowSpan: 1 });
  });
  return { rows: 2, cells };
}

const integerVi = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
const decimalVi = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A value as the printed page shows it: `2.971`, `79,03%`, `05/08/2026 09:30`, a state's name. */
export function displayText(c: Column, v: Value): string {
  if (v === null || v === "") return "";
  if (typeof v === "boolean") return v ? "Có" : "";
  if (typeof v === "number") {
    if (c.format === "percent") return `${decimalVi.format(v)}%`;
    if (c.format === "decimal") return decimalVi.format(v);
    return integerVi.format(v);
  }
  if (c.labels?.[v] !== undefined) return c.labels[v];
  if (c.format === "date") return dayVi(v);
  if (c.format === "datetime") return instantVi(v);
  return v;
}

/** The texts the human formats show in each shown column, the total row last. */
function shownTexts(r: Report, columns: Column[]): string[][] {
  const rows = [...r.rows, ...(r.total ? [r.total] : [])];
  return columns.map((c, j) =>
    rows.map((x, i) =>
      j === 0 && r.numbered ? (x === r.total ? "" : String(i + 1)) : displayText(c, x[c.key] ?? null),
    ),
  );
}

/**
 * Each shown column's width in characters, in a sheet or on a page: as wide as its longest value and
 * as its header wrapped on words in at most three lines, at least 6. In a sheet a text is at most 60
 * characters wide and wraps on words beyond; on a page at most 30, and an instant takes two lines
 * (the day over the time). A word ends at a space or after a hyphen.
 */
export function columnWidths(r: Report, medium: "sheet" | "page"): number[] {
  const maxText = medium === "sheet" ? 60 : 30;
  const columns = shownColumns(r);
  const texts = shownTexts(r, columns);
  const longest = (words: string[]) => Math.max(0, ...words.map((w) => w.length));
  const words = (texts: string[]) => texts.flatMap((t) => t.split(/\s+|(?<=-)/));
  return columns.map((c, j) => {
    const values = texts[j] ?? [];
    const wraps = c.format === "text" || (c.format === "datetime" && medium === "page");
    const value = wraps
      ? Math.max(Math.min(maxText, longest(values)), longest(words(values)))
      : longest(values);
    const header = Math.max(longest(words([c.header])), Math.ceil(c.header.length / 3));
    return Math.max(6, value + 2, header + 2);
  });
}

/** `onTimeRate766` → `on_time_rate_766`: the CSV's key of a column. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z])([A-Z0-9])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
