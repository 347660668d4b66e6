import { CalendarError } from "./errors.js";
import { dayStartMs, HOUR_MS, localDayNumber, MINUTE_MS, parseClockTime } from "./time.js";
import type { WorkingCalendar } from "./working-time.js";

/** How a procedure states its time limit (thời hạn giải quyết). */
export type StatutoryUnit = "days" | "half-days" | "hours" | "within-day";

export interface Statutory {
  /** Number of working days, half-days or hours; ignored for "within-day" (trong ngày). */
  amount: number;
  unit: StatutoryUnit;
}

/** The procedure's cut-off hour: received after it, the dossier counts from the next working day's opening. */
export type Cutoff = "15:00" | "17:00" | null;

export const CUTOFFS: readonly Exclude<Cutoff, null>[] = ["15:00", "17:00"];

export function parseCutoff(value: string | null | undefined): Cutoff {
  if (value === null || value === undefined || value === "none") return null;
  if ((CUTOFFS as readonly string[]).includes(value)) return value as Cutoff;
  throw new CalendarError("CALENDAR_INVALID_CUTOFF", `Cut-off must be none, 15:00 or 17:00: ${value}`, {
    value,
  });
}

/** Cut-off in ms after local midnight, parsed once per distinct value. */
const cutoffMs = new Map<string, number>(CUTOFFS.map((c) => [c, parseClockTime(c) * MINUTE_MS]));

/**
 * Where the clock starts for a dossier received at `receivedAt`: the same instant inside a session, the next
 * session otherwise, and the next working day's opening when received after the cut-off hour.
 */
export function clockStart(calendar: WorkingCalendar, receivedAt: number, cutoff: Cutoff = null): number {
  if (cutoff !== null) {
    const limit = cutoffMs.get(cutoff);
    if (limit === undefined) parseCutoff(cutoff);
    const dayStart = dayStartMs(localDayNumber(receivedAt));
    if (receivedAt - dayStart > (limit as number)) return calendar.nextWorkingDayStart(receivedAt);
  }
  return calendar.nextWorkingInstant(receivedAt);
}

export function checkStatutory(statutory: Statutory): void {
  const { amount, unit } = statutory;
  const known = unit === "days" || unit === "half-days" || unit === "hours" || unit === "within-day";
  if (!known || (unit !== "within-day" && !(amount > 0 && Number.isFinite(amount)))) {
    throw new CalendarError(
      "CALENDAR_INVALID_AMOUNT",
      `Statutory time must be a positive number of days, half-days or hours, or within-day: ${JSON.stringify(statutory)}`,
      { statutory },
    );
  }
}

/** The working time (ms) a statutory limit grants from `start` (a working instant). */
export function budgetMs(calendar: WorkingCalendar, start: number, statutory: Statutory): number {
  switch (statutory.unit) {
    case "days":
      return Math.round(statutory.amount * calendar.workingDayMinutes * MINUTE_MS);
    case "half-days":
      return Math.round((statutory.amount * calendar.workingDayMinutes * MINUTE_MS) / 2);
    case "hours":
      return Math.round(statutory.amount * HOUR_MS);
    case "within-day":
      return calendar.workingMsBetween(start, calendar.endOfWorkingDay(start) as number);
    default:
      checkStatutory(statutory);
      return 0;
  }
}

/**
 * What a procedure's clock counts from (docs/domain.md, "Start"): the acceptance of the complete
 * dossier (state 2) by default; the portal submission where a decree says so.
 */
export type ClockBasis = "acceptance" | "submission";

/** The instant the clock's start rules apply to: the reception (acceptance), or the submission. */
export function basisInstant(basis: ClockBasis, receivedAt: number, submittedAt: number | null): number {
  return basis === "submission" && submittedAt !== null && submittedAt < receivedAt
    ? submittedAt
    : receivedAt;
}

/** The due instant (epoch ms) of a dossier received at `receivedAt`, with no pause. The hot path of the monitor. */
export function computeDueAt(
  calendar: WorkingCalendar,
  receivedAt: number,
  statutory: Statutory,
  cutoff: Cutoff = null,
): number {
  checkStatutory(statutory);
  const start = clockStart(calendar, receivedAt, cutoff);
  if (statutory.unit === "within-day") return calendar.endOfWorkingDay(start) as number;
  return calendar.addWorkingMs(start, budgetMs(calendar, start, statutory));
}

export function describeStatutory(statutory: Statutory, workingDayMinutes: number): string {
  const { amount, unit } = statutory;
  switch (unit) {
    case "days":
      return `${amount} working day${amount === 1 ? "" : "s"} (${amount * workingDayMinutes} working minutes at ${workingDayMinutes} a day)`;
    case "half-days":
      return `${amount} working half-day${amount === 1 ? "" : "s"} (${(amount * workingDayMinutes) / 2} working minutes)`;
    case "hours":
      return `${amount} working hour${amount === 1 ? "" : "s"}`;
    default:
      return "within the working day (trong ngày)";
  }
}
