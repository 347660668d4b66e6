import { type Column, type Row, snakeCase, type Value } from "./report.js";

/**
 * CSV for machines (RFC 4180): one header row of stable ASCII keys (each column's JSON field name in
 * snake_case), then one line per row, nothing else: no title, no blank line, no total row. Values as
 * the JSON API gives them: numbers with a dot, rates as percentages (`79.03`), instants in ISO 8601,
 * codes rather than their Vietnamese names, `true`/`false`, an empty field for null. UTF-8 with a
 * byte-order mark, so that a spreadsheet opens the Vietnamese names right; CRLF line ends.
 */

function csvField(v: Value): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => snakeCase(c.key)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c.key] ?? null)).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
