import {
  stepDeadline as addBudget,
  type CalendarSet,
  createCalendarSet,
  type WorkingCalendar,
} from "@tthc/calendar";
import type { StepBudget } from "@tthc/contracts";

/**
 * Working-time arithmetic for step deadlines and the extension rule. The calendar in force at the
 * instant is used, so a recomputation gives the same answer.
 */

/** The working calendar of a unit at an instant. */
export interface UnitCalendars {
  at(instant: string, unitCode: string): WorkingCalendar;
}

/** A set of calendars read as UnitCalendars: a unit it does not know gets the default sessions. */
export function unitCalendarsOf(set: CalendarSet): UnitCalendars {
  return { at: (instant, unitCode) => set.asOf(instant, set.unit(unitCode) ? unitCode : "default") };
}

/**
 * The shipped calendar with the default sessions for every unit. The fold computes a step deadline
 * with it only for an event that does not carry the deadline (events written before it did).
 */
export const defaultCalendars: UnitCalendars = unitCalendarsOf(createCalendarSet());

/** A step's deadline: its start plus its budget in working time. */
export function stepDeadline(cal: WorkingCalendar, startedAt: string, budget: StepBudget): string {
  return new Date(addBudget(cal, Date.parse(startedAt), budget)).toISOString();
}

/** Moves a deadline by the working time of a pause [from, to). */
export function addPause(cal: WorkingCalendar, deadlineAt: string, from: string, to: string): string {
  const paused = cal.workingMinutesBetween(Date.parse(from), Date.parse(to));
  if (paused <= 0) return deadlineAt;
  return new Date(cal.addWorkingMinutes(Date.parse(deadlineAt), paused)).toISOString();
}

/** Whether `at` is at least one working day before `dueAt` (the apology letter's notice). */
export function atLeastOneWorkingDayBefore(at: string, dueAt: string): boolean {
  const cal = defaultCalendars.at(at, "default");
  return cal.workingMinutesBetween(Date.parse(at), Date.parse(dueAt)) >= cal.workingDayMinutes;
}
