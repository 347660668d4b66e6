import { escapeHtml, headingHtml, OFFICIAL_FORM_CSS, signaturesHtml } from "./official-form.js";
import { type Column, columnWidths, displayText, headerCells, type Report, shownColumns } from "./report.js";

/**
 * A report as a page a browser prints to PDF: A4 landscape, the official heading, the table with its
 * header rows repeated at the top of every printed page (`thead` as a table-header-group), no row
 * split across pages, a bold total row, the signature block. Plain HTML and CSS, no script, every
 * value escaped.
 */

const CSS = `
@page { size: A4 landscape; margin: 10mm 8mm 10mm 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 10pt; color: #000; margin: 0; }
@media screen { body { max-width: 281mm; margin: 8mm auto; } }
h1 { font-size: 13pt; text-align: center; margin: 12pt 0 2pt; }
p.subtitle { text-align: center; margin: 0; font-style: italic; }
p.subtitle.period { font-weight: bold; font-style: normal; }
table.data { border-collapse: collapse; width: 100%; table-layout: fixed; margin-top: 8pt; font-size: 7.5pt; line-height: 1.15; }
table.data thead { display: table-header-group; }
table.data tr { break-inside: avoid; page-break-inside: avoid; }
table.data th, table.data td { border: 0.5pt solid #000; padding: 1pt 1.5pt; }
table.data th { background: #efefef; text-align: center; vertical-align: middle; font-size: 7pt; }
table.data td { vertical-align: top; overflow-wrap: anywhere; }
table.data td.n { text-align: right; white-space: nowrap; }
table.data td.c { text-align: center; }
table.data tr.total td { font-weight: bold; }
.notes { font-size: 8.5pt; font-style: italic; margin: 4pt 0 0; }
${OFFICIAL_FORM_CSS}`;

/** Numbers right and on one line; days, instants and flags centred; text left, wrapping. */
const cellClass = (c: Column) =>
  c.format === "text"
    ? ""
    : c.format === "flag" || c.format === "date" || c.format === "datetime"
      ? ' class="c"'
      : ' class="n"';

export function toPrintHtml(r: Report): string {
  const columns = shownColumns(r);
  const widths = columnWidths(r, "page");
  const sum = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map((w) => `<col style="width:${((100 * w) / sum).toFixed(2)}%">`).join("");
  const header = headerCells(columns);
  const headRows = Array.from({ length: header.rows }, (_, k) =>
    header.cells
      .filter((h) => h.row === k)
      .map((h) => {
        const span = `${h.colSpan > 1 ? ` colspan="${h.colSpan}"` : ""}${h.rowSpan > 1 ? ` rowspan="${h.rowSpan}"` : ""}`;
        return `<th${span}>${escapeHtml(h.text)}</th>`;
      })
      .join(""),
  );
  const rowHtml = (x: (typeof r.rows)[number], index: number | null, cls: string) =>
    `<tr${cls}>${columns
      .map((c, j) => {
        const text =
          j === 0 && r.numbered ? (index === null ? "" : String(index)) : displayText(c, x[c.key] ?? null);
        return `<td${j === 0 && r.numbered ? ' class="c"' : cellClass(c)}>${escapeHtml(text)}</td>`;
      })
      .join("")}</tr>`;
  const body = r.rows.map((x, i) => rowHtml(x, i + 1, "")).join("\n");
  const total = r.total ? `\n${rowHtml(r.total, null, ' class="total"')}` : "";
  const [period, ...others] = r.subtitle;
  const subtitle = [
    period === undefined ? "" : `<p class="subtitle period">${escapeHtml(period)}</p>`,
    ...others.map((s) => `<p class="subtitle">${escapeHtml(s)}</p>`),
  ].join("\n");
  const notes = (r.notes ?? []).map((n) => `<p class="notes">${escapeHtml(n)}</p>`).join("\n");
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}${period ? ` - ${escapeHtml(period)}` : ""}</title>
<style>${CSS}</style></head><body>
${headingHtml(r.heading)}
<h1>${escapeHtml(r.title)}</h1>
${subtitle}
<table class="data"><colgroup>${cols}</colgroup>
<thead>${headRows.map((h) => `<tr>${h}</tr>`).join("")}</thead>
<tbody>
${body}${total}
</tbody></table>
${notes}
${signaturesHtml(r.signatures)}
</body></html>
`;
}
