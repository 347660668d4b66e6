import { formatIsoLocal, type Period, toEpochMs } from "@tthc/calendar";

/**
 * Dates as Vietnamese documents write them, in Asia/Ho_Chi_Minh: `05/08/2026`, `05/08/2026 09:30`,
 * "ngày 05 tháng 8 năm 2026", and a report's period in words. The time arithmetic is the calendar
 * package's; this file only writes it out.
 */

/** `2026-08-05` → `05/08/2026`. */
export function dayVi(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** An instant (ISO 8601 with an offset, or a Date) → `05/08/2026 09:30`, Vietnam time. */
export function instantVi(instant: string | Date): string {
  const local = formatIsoLocal(toEpochMs(instant));
  return `${dayVi(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/** An instant → its Vietnam calendar day, `YYYY-MM-DD`. */
export function localDayOf(instant: string | Date): string {
  return formatIsoLocal(toEpochMs(instant)).slice(0, 10);
}

/**
 * "ngày 05 tháng 8 năm 2026": Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.5.b: a day below 10 and the
 * months 1 and 2 are written with a leading 0 ("ngày 05 tháng 02 năm 2026"), other months without.
 */
export function dateInWords(day: string): string {
  const month = Number(day.slice(5, 7));
  return `ngày ${day.slice(8, 10)} tháng ${month <= 2 ? `0${month}` : month} năm ${day.slice(0, 4)}`;
}

const QUARTERS = ["I", "II", "III", "IV"] as const;

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

/**
 * A report's period in words: "Ngày 05/08/2026", "Tháng 7 năm 2025", "Quý III năm 2025",
 * "6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "Năm 2025", else
 * "Từ ngày 01/07/2025 đến ngày 20/08/2025".
 */
export function periodInWords(p: Period): string {
  if (p.from === p.to) return `Ngày ${dayVi(p.from)}`;
  const year = Number(p.from.slice(0, 4));
  const startMonth = Number(p.from.slice(5, 7));
  const endMonth = Number(p.to.slice(5, 7));
  const whole =
    p.from === iso(year, startMonth, 1) &&
    p.to.slice(0, 4) === p.from.slice(0, 4) &&
    p.to === iso(year, endMonth, lastDayOfMonth(year, endMonth));
  if (whole) {
    const months = endMonth - startMonth + 1;
    if (months === 1) return `Tháng ${startMonth} năm ${year}`;
    if (months === 3 && startMonth % 3 === 1) return `Quý ${QUARTERS[(startMonth - 1) / 3]} năm ${year}`;
    if (months === 6 && startMonth === 1) return `6 tháng đầu năm ${year}`;
    if (months === 6 && startMonth === 7) return `6 tháng cuối năm ${year}`;
    if (months === 12) return `Năm ${year}`;
  }
  return `Từ ngày ${dayVi(p.from)} đến ngày ${dayVi(p.to)}`;
}
