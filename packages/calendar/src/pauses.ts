import type { WorkingCalendar } from "./working-time.js";

/** A stretch during which the clock does not run (applicant's time); `to` is null while it lasts. */
export interface PauseSpan {
  from: number;
  to: number | null;
}

/**
 * The instant at which `budget` ms of working time are used, counting from `start` and skipping the pauses
 * (sorted, not overlapping). Null when an open pause began before the budget ran out: the due instant is
 * unknown until it ends.
 */
export function dueWithPauses(
  calendar: WorkingCalendar,
  start: number,
  budget: number,
  pauses: readonly PauseSpan[],
): number | null {
  let cursor = start;
  let remaining = budget;
  for (const p of pauses) {
    if (p.to !== null && p.to <= cursor) continue;
    const from = Math.max(p.from, cursor);
    const worked = calendar.workingMsBetween(cursor, from);
    if (worked >= remaining) break;
    remaining -= worked;
    if (p.to === null) return null;
    cursor = p.to;
  }
  return calendar.addWorkingMs(cursor, remaining);
}

/** Working ms counted between `start` and `t`, pauses excluded. */
export function usedWithPauses(
  calendar: WorkingCalendar,
  start: number,
  t: number,
  pauses: readonly PauseSpan[],
): number {
  if (t <= start) return 0;
  let cursor = start;
  let used = 0;
  for (const p of pauses) {
    if (p.to !== null && p.to <= cursor) continue;
    const from = Math.max(p.from, cursor);
    if (t <= from) break;
    used += calendar.workingMsBetween(cursor, from);
    if (p.to === null || t <= p.to) return used;
    cursor = p.to;
  }
  return used + calendar.workingMsBetween(cursor, t);
}

/** Working ms inside the pauses between `start` and `t`. */
export function pausedWithin(
  calendar: WorkingCalendar,
  start: number,
  t: number,
  pauses: readonly PauseSpan[],
): number {
  let paused = 0;
  for (const p of pauses) {
    const from = Math.max(p.from, start);
    const to = Math.min(p.to ?? t, t);
    if (to > from) paused += calendar.workingMsBetween(from, to);
  }
  return paused;
}
