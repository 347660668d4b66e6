import { formatLocalDate, localYearOf, parseIsoDate } from "./time.js";
import type { DayInfo, WorkingCalendar } from "./working-time.js";

/** A run of consecutive special days off with the same name, for reasons and the CLI. */
export interface DaysOffRange {
  from: string;
  to: string;
  name: string;
  status: DayInfo["status"];
}

export function daysOffRanges(calendar: WorkingCalendar, from: number, to: number): DaysOffRange[] {
  const out: DaysOffRange[] = [];
  let previous: DayInfo | undefined;
  for (const day of calendar.specialDaysOff(from, to)) {
    const last = out[out.length - 1];
    const adjacent = previous !== undefined && parseIsoDate(day.date) === parseIsoDate(previous.date) + 1;
    if (last && adjacent && last.name === (day.name ?? "")) last.to = day.date;
    else out.push({ from: day.date, to: day.date, name: day.name ?? "", status: day.status });
    previous = day;
  }
  return out;
}

export function describeDaysOff(ranges: readonly DaysOffRange[]): string {
  return ranges
    .map((r) => {
      const from = formatLocalDate(parseIsoDate(r.from));
      const span = r.from === r.to ? from : `${from}–${formatLocalDate(parseIsoDate(r.to))}`;
      return `${span} ${r.name}`;
    })
    .join("; ");
}

/** Which yearly records were used between two instants: "2026 v2 (Công văn 12729/VPCP-KGVX, ...)". */
export function describeCalendarRecords(calendar: WorkingCalendar, from: number, to: number): string {
  const parts: string[] = [];
  for (let y = localYearOf(from); y <= localYearOf(to); y++) {
    const r = calendar.yearRecord(y);
    const basis = r.basis === "rules" && r.version === 0 ? "rules only" : `v${r.version}`;
    parts.push(`${y} ${basis} (${r.sources.map((s) => s.reference).join(", ")})`);
  }
  return parts.join("; ");
}
