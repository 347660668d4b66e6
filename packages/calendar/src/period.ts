/**
 * Periods of the figures: whole days in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving).
 * A period [from, to] runs from `from` 00:00 to the day after `to` 00:00, Vietnam time: half-open,
 * so that an instant belongs to exactly one day, one month, one period of a series.
 */

const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export type LocalDay = string;

export interface Period {
  from: LocalDay;
  to: LocalDay;
}

export interface Bucket extends Period {
  /** `2026-08-01` for a day, `2026-08` for a month. */
  label: string;
  start: Date;
  end: Date;
}

/** The Vietnam calendar day of an instant. */
export function localDay(at: Date): LocalDay {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 Vietnam time of a day, as an instant. */
export function startOfDay(day: LocalDay): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

export function addDays(day: LocalDay, n: number): LocalDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function periodStart(p: Period): Date {
  return startOfDay(p.from);
}

export function periodEnd(p: Period): Date {
  return startOfDay(addDays(p.to, 1));
}

/** The instant a period is judged at: its end, or now if it has not ended. */
export function periodRef(p: Period, now: Date): Date {
  const end = periodEnd(p);
  return end.getTime() < now.getTime() ? end : now;
}

/** The current month up to today, Vietnam time. */
export function monthToDate(now: Date): Period {
  const today = localDay(now);
  return { from: `${today.slice(0, 7)}-01`, to: today };
}

/** Days or months of a period, clipped to it. */
export function buckets(p: Period, groupBy: "day" | "month"): Bucket[] {
  const out: Bucket[] = [];
  let from = p.from;
  while (from <= p.to) {
    let to: LocalDay;
    if (groupBy === "day") to = from;
    else {
      const [y, m] = from.split("-").map(Number) as [number, number];
      const year = (n: number) => String(n).padStart(4, "0");
      const next = m === 12 ? `${year(y + 1)}-01-01` : `${year(y)}-${String(m + 1).padStart(2, "0")}-01`;
      to = addDays(next, -1);
    }
    if (to > p.to) to = p.to;
    out.push({
      from,
      to,
      label: groupBy === "day" ? from : from.slice(0, 7),
      start: startOfDay(from),
      end: startOfDay(addDays(to, 1)),
    });
    from = addDays(to, 1);
  }
  return out;
}

/** Days from `from` to `to` inclusive. */
export function dayCount(p: Period): number {
  return Math.round((Date.parse(p.to) - Date.parse(p.from)) / DAY_MS) + 1;
}

/** The Vietnam calendar month of an instant, as a period, labelled `YYYY-MM`. */
export function monthOf(at: Date): Bucket {
  const day = localDay(at);
  const month = buckets({ from: `${day.slice(0, 7)}-01`, to: day }, "month")[0] as Bucket;
  const [y, m] = day.split("-").map(Number) as [number, number];
  const next =
    m === 12
      ? `${String(y + 1).padStart(4, "0")}-01-01`
      : `${day.slice(0, 4)}-${String(m + 1).padStart(2, "0")}-01`;
  const to = addDays(next, -1);
  return { ...month, to, end: startOfDay(next) };
}
