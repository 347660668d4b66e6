import { dateInWords } from "./vietnamese-dates.js";

/**
 * The form (thể thức) every printed document here shares, after Nghị định 30/2020/NĐ-CP on
 * administrative documents, Phụ lục I:
 *
 * - II.1 Quốc hiệu và Tiêu ngữ: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capitals, bold; under it
 *   "Độc lập - Tự do - Hạnh phúc", bold, underlined by a rule as long as the line. Top right.
 * - II.2 Tên cơ quan, tổ chức ban hành văn bản: the issuing body in capitals, bold, under the name of
 *   the body directly above it (cơ quan chủ quản), in capitals, not bold, where there is one; a
 *   short rule under it. Top left. The People's Committee (Ủy ban nhân dân) of a province, commune
 *   or ward issues in the name of the unit and has no body named above it.
 * - II.4 Địa danh và thời gian ban hành: "Phú Thọ, ngày 05 tháng 8 năm 2026", in italics, under the
 *   motto. The place is the administrative unit where the body sits: the commune's or ward's own
 *   name for its People's Committee, the province's for the province's bodies.
 *
 * And the signature block of a statistical report: the person who drew up the table (người lập
 * biểu) on the left, the head of the unit (thủ trưởng đơn vị) on the right.
 */

export const NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
export const MOTTO = "Độc lập - Tự do - Hạnh phúc";

/** A unit of the catalogue as the heading needs it: its name and level (`province`, `ward`, ...). */
export interface IssuingUnit {
  name: string;
  level: string;
}

/** A unit of a service's copy of the catalogue. */
export interface CatalogUnit extends IssuingUnit {
  code: string;
  parentCode: string | null;
}

/**
 * Who issues a document on a unit: the unit and those above it, nearest first, from the catalogue;
 * the province when no unit is named; a unit the catalogue does not hold issues under its code.
 */
export function issuingChain(units: readonly CatalogUnit[], code: string | undefined): IssuingUnit[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const chain: IssuingUnit[] = [];
  let u = code === undefined ? units.find((x) => x.level === "province") : byCode.get(code);
  while (u && chain.length < 8) {
    chain.push({ name: u.name, level: u.level });
    u = u.parentCode ? byCode.get(u.parentCode) : undefined;
  }
  return chain.length === 0 && code !== undefined ? [{ name: code, level: "unknown" }] : chain;
}

export interface OfficialHeading {
  /** The body directly above the issuer, in capitals; null where none is named. */
  parent: string | null;
  /** The issuing body, in capitals. */
  issuer: string;
  /** "Phú Thọ, ngày 05 tháng 8 năm 2026"; null where the document dates itself elsewhere. */
  placeAndDate: string | null;
}

export interface Signature {
  title: string;
  note: string;
}

/** The signature block of a report: who drew it up, and the head of the unit. */
export const REPORT_SIGNATURES: readonly Signature[] = [
  { title: "NGƯỜI LẬP BIỂU", note: "(Ký, ghi rõ họ tên)" },
  { title: "THỦ TRƯỞNG ĐƠN VỊ", note: "(Ký tên, đóng dấu)" },
];

const COMMITTEE_LEVELS = new Set(["province", "commune", "ward"]);
const LOCAL_LEVELS = new Set(["commune", "ward"]);
/** The words of a unit's name that say its kind, not where it is: "Tỉnh Phú Thọ" → "Phú Thọ". */
const KIND_PREFIX = /^(tỉnh|thành phố|xã|phường|đặc khu)\s+/iu;

const upper = (s: string) => s.toLocaleUpperCase("vi");
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);

/** The body that issues in a unit's name: "Tỉnh Phú Thọ" → "Ủy ban nhân dân tỉnh Phú Thọ"; a department as named. */
export function bodyName(u: IssuingUnit): string {
  return COMMITTEE_LEVELS.has(u.level) ? `Ủy ban nhân dân ${lowerFirst(u.name)}` : u.name;
}

/** The place of a document issued by `chain[0]` (its parents follow it, up to the province); null if unknown. */
export function placeOf(chain: readonly IssuingUnit[]): string | null {
  const [issuer] = chain;
  if (!issuer) return null;
  const seat = LOCAL_LEVELS.has(issuer.level) ? issuer : chain.find((u) => u.level === "province");
  return seat ? seat.name.replace(KIND_PREFIX, "") : null;
}

/**
 * The heading of a document issued by `chain[0]`, whose parents follow it up to the province, on
 * `day` (YYYY-MM-DD, Vietnam time); `day` null leaves the place and date to the document.
 */
export function officialHeading(chain: readonly IssuingUnit[], day: string | null): OfficialHeading {
  const [issuer, above] = chain;
  const place = placeOf(chain);
  const date = day === null ? null : dateInWords(day);
  return {
    parent: issuer && above && !COMMITTEE_LEVELS.has(issuer.level) ? upper(bodyName(above)) : null,
    issuer: issuer ? upper(bodyName(issuer)) : "",
    placeAndDate: date === null ? null : place ? `${place}, ${date}` : date.replace(/^n/, "N"),
  };
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The styles of `headingHtml` and `signaturesHtml`, for the page's `<style>`. */
export const OFFICIAL_FORM_CSS = `
table.official-heading, table.signatures { width: 100%; border-collapse: collapse; }
table.official-heading td, table.signatures td { border: none; padding: 0; vertical-align: top; text-align: center; }
table.official-heading td.issuer { width: 40%; }
table.official-heading .rule { display: inline-block; border-top: 1px solid #000; margin-top: 2pt; }
table.official-heading .issuer .rule { width: 35%; }
table.official-heading .nation .rule { width: 16em; }
table.official-heading .place { font-style: italic; margin-top: 4pt; }
table.signatures { margin-top: 12pt; page-break-inside: avoid; }
table.signatures .note { font-style: italic; }
table.signatures td { height: 70pt; }
`;

/** The heading as HTML: issuer top left, national name and motto top right, place and date under them. */
export function headingHtml(h: OfficialHeading): string {
  const parent = h.parent ? `<div>${escapeHtml(h.parent)}</div>` : "";
  const place = h.placeAndDate ? `<div class="place">${escapeHtml(h.placeAndDate)}</div>` : "";
  return (
    `<table class="official-heading"><tr>` +
    `<td class="issuer">${parent}<div><b>${escapeHtml(h.issuer)}</b></div><span class="rule"></span></td>` +
    `<td class="nation"><div><b>${NATIONAL_NAME}</b></div><div><b>${MOTTO}</b></div><span class="rule"></span>${place}</td>` +
    `</tr></table>`
  );
}

/** The signature block as HTML: one cell per signer, side by side. */
export function signaturesHtml(signatures: readonly Signature[]): string {
  const cells = signatures
    .map((s) => `<td><b>${escapeHtml(s.title)}</b><div class="note">${escapeHtml(s.note)}</div></td>`)
    .join("");
  return `<table class="signatures"><tr>${cells}</tr></table>`;
}
