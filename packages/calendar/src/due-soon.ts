import type { WorkingCalendar } from "./working-time.js";

/**
 * When the due-soon warning comes (docs/domain.md, "Alerts"): when the working time left before the
 * due instant falls to `lead` working minutes; by default (`share` null) the last working day, at
 * most half of the whole budget, or else a share of the budget. Never before `from` (the moment the
 * deadline was set), never after the due instant.
 */
export interface DueSoonRule {
  /** Share of the budget left at which the warning comes; null for the last working day. */
  share: number | null;
}

export function dueSoonAt(
  calendar: WorkingCalendar,
  deadline: { startedAt: number; dueAt: number; budgetMinutes: number },
  from: number,
  rule: DueSoonRule,
): number {
  const { dueAt, budgetMinutes } = deadline;
  const lead =
    rule.share === null
      ? Math.min(calendar.workingDayMinutes, budgetMinutes / 2)
      : rule.share * budgetMinutes;
  const start = Math.min(Math.max(from, deadline.startedAt), dueAt);
  const before = calendar.workingMinutesBetween(start, dueAt) - lead;
  return before <= 0 ? start : Math.min(dueAt, calendar.addWorkingMinutes(start, before));
}
