export { toCsv } from "./csv.js";
export {
  bodyName,
  type CatalogUnit,
  escapeHtml,
  headingHtml,
  type IssuingUnit,
  issuingChain,
  MOTTO,
  NATIONAL_NAME,
  OFFICIAL_FORM_CSS,
  type OfficialHeading,
  officialHeading,
  placeOf,
  REPORT_SIGNATURES,
  type Signature,
  signaturesHtml,
} from "./official-form.js";
export { toPrintHtml } from "./print-html.js";
export {
  type Column,
  type ColumnFormat,
  columnWidths,
  displayText,
  type HeaderCell,
  headerCells,
  type Report,
  type Row,
  shownColumns,
  snakeCase,
  type Value,
} from "./report.js";
export { dateInWords, dayVi, instantVi, localDayOf, periodInWords } from "./vietnamese-dates.js";
export { toXlsx } from "./xlsx.js";
