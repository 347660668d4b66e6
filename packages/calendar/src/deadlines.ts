import { and, compare, field, holds, type Predicate } from "./predicate.js";
import type { WorkingCalendar } from "./working-time.js";

/**
 * The boundaries of a deadline (docs/domain.md, "The clock"), in one place for every service and
 * every SQL query: an open dossier, step or submission is overdue at an instant strictly after its
 * due instant (at the due instant itself it is still within time), and due soon from its warning
 * instant up to and including its due instant. Fields: `at`, `dueAt`, `dueSoonAt`.
 */
export const overduePredicate: Predicate = compare(field("at"), ">", field("dueAt"));

/** The warning instant has come (`dueSoonAt`, `at`). */
export const dueSoonReachedPredicate: Predicate = compare(field("dueSoonAt"), "<=", field("at"));

export const dueSoonPredicate: Predicate = and(
  dueSoonReachedPredicate,
  compare(field("at"), "<=", field("dueAt")),
);

/** Overdue at `at`; never while the due instant is unknown (a pause that began before it is open). */
export function isOverdue(dueAt: number | null, at: number): boolean {
  return holds(overduePredicate, { dueAt, at });
}

/** Due soon at `at`: the warning instant has come and the due instant has not passed. */
export function isDueSoon(dueSoonAt: number | null, dueAt: number | null, at: number): boolean {
  return holds(dueSoonPredicate, { dueSoonAt, dueAt, at });
}

/**
 * An apology letter with a new date must come at least one working day before the due instant
 * (docs/domain.md, "Extension with apology"), counted in the calendar of the dossier's clock.
 */
export function extensionNoticeInTime(calendar: WorkingCalendar, at: number, dueAt: number): boolean {
  return calendar.workingMinutesBetween(at, dueAt) >= calendar.workingDayMinutes;
}
