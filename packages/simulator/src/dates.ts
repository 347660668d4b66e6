/** Local dates (Asia/Ho_Chi_Minh, UTC+7 all year) as `YYYY-MM-DD`. */

const VN_OFFSET_MS = 7 * 3_600_000;

export function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The local date an instant falls on. */
export function localDateOf(ms: number): string {
  return new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Local midnight (+07:00) starting a date, in epoch milliseconds. */
export function startOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00+07:00`);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}
