import type { CalendarDay, DayOffKind } from "../holidays.js";
import { isoDate, parseIsoDate } from "../time.js";

/** Every date from `from` to `to` inclusive, with one name: decrees announce blocks, not single days. */
export function dayRange(
  from: string,
  to: string,
  name: string,
  kind: DayOffKind = "holiday",
): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let d = parseIsoDate(from); d <= parseIsoDate(to); d++) out.push({ date: isoDate(d), name, kind });
  return out;
}

export function day(date: string, name: string, kind: DayOffKind = "holiday"): CalendarDay {
  return { date, name, kind };
}
