import { addDays, dayCount, type LocalDay, localDay, type Period } from "./period.js";

/**
 * The periods a leader picks on the dashboard, each to date by the service's clock, and the period
 * each one is compared with. A calendar period to date is compared with the same stretch of the
 * period before it: this month to the 20th with last month to the 20th, this quarter to 20 August
 * with last quarter to 20 May, this year to 20 August with last year to 20 August. A day where the
 * earlier month is shorter becomes its last day (31 March → 28 February), and a period that ends on
 * a month's last day is compared with one that ends on its month's last day (a whole month with the
 * whole month before). Any other range is compared with as many days right before it.
 */

export const periodPresets = ["today", "month", "quarter", "year"] as const;
export type PeriodPreset = (typeof periodPresets)[number];

/** How a period steps back to the one it is compared with. */
export type PeriodKind = "day" | "month" | "quarter" | "year" | "span";

const kindOfPreset: Record<PeriodPreset, PeriodKind> = {
  today: "day",
  month: "month",
  quarter: "quarter",
  year: "year",
};
const monthsBack: Partial<Record<PeriodKind, number>> = { month: 1, quarter: 3, year: 12 };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymd = (day: LocalDay) => day.split("-").map(Number) as [number, number, number];

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const isLastDayOfMonth = (day: LocalDay) => {
  const [y, m, d] = ymd(day);
  return d === lastDayOfMonth(y, m);
};

/** The same day `n` months earlier, or that month's last day when it is shorter. */
export function monthsBefore(day: LocalDay, n: number, toMonthEnd = false): LocalDay {
  const [y, m, d] = ymd(day);
  const index = y * 12 + (m - 1) - n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = lastDayOfMonth(year, month);
  return `${pad(year, 4)}-${pad(month)}-${pad(toMonthEnd ? last : Math.min(d, last))}`;
}

/** The period a preset names on the day `now` falls on (Vietnam time), up to that day. */
export function presetPeriod(preset: PeriodPreset, now: Date): Period {
  const today = localDay(now);
  const [y, m] = ymd(today);
  const from = {
    today,
    month: `${today.slice(0, 7)}-01`,
    quarter: `${pad(y, 4)}-${pad(Math.floor((m - 1) / 3) * 3 + 1)}-01`,
    year: `${pad(y, 4)}-01-01`,
  }[preset];
  return { from, to: today };
}

/** The period `p` is compared with (see above). */
export function previousPeriod(p: Period, kind: PeriodKind): Period {
  const back = monthsBack[kind];
  if (back === undefined) {
    const days = kind === "day" ? 1 : dayCount(p);
    return { from: addDays(p.from, -days), to: addDays(p.from, -1) };
  }
  return { from: monthsBefore(p.from, back), to: monthsBefore(p.to, back, isLastDayOfMonth(p.to)) };
}

export interface PresetPeriod extends Period {
  preset: PeriodPreset;
  previous: Period;
}

/** Every preset on the day of `now`, with the period it is compared with. */
export function presetPeriods(now: Date): PresetPeriod[] {
  return periodPresets.map((preset) => {
    const p = presetPeriod(preset, now);
    return { preset, ...p, previous: previousPeriod(p, kindOfPreset[preset]) };
  });
}
