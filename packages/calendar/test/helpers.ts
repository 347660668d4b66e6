import { CalendarSet } from "../src/calendar-set.js";
import type { UnitSessions } from "../src/sessions.js";
import { type Cutoff, computeDueAt, type Statutory } from "../src/statutory.js";
import { formatLocal, toEpochMs } from "../src/time.js";
import type { WorkingCalendar } from "../src/working-time.js";

/** "2026-02-10 09:00" → epoch ms at +07:00. */
export const vn = (local: string): number => toEpochMs(`${local.replace(" ", "T")}:00+07:00`);

export const latest = (): WorkingCalendar => new CalendarSet().latest();

export function calendarFor(unit: UnitSessions): WorkingCalendar {
  return new CalendarSet({ units: [unit] }).latest(unit.unitCode);
}

/** The due instant, formatted the way the test names write it ("Tue 03/03/2026 09:00"). */
export function dueText(
  calendar: WorkingCalendar,
  receivedLocal: string,
  statutory: Statutory,
  cutoff: Cutoff = null,
): string {
  return formatLocal(computeDueAt(calendar, vn(receivedLocal), statutory, cutoff));
}

export const days = (amount: number): Statutory => ({ amount, unit: "days" });
export const hours = (amount: number): Statutory => ({ amount, unit: "hours" });
