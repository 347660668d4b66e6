import type { WorkingCalendar } from "./working-time.js";

/** Working time allotted to one step of a dossier's process (one unit's share of the statutory time). */
export interface StepBudget {
  amount: number;
  unit: "days" | "half-days" | "hours";
}

/** A step budget in working minutes, a working day being the calendar's statutory day. */
export function stepBudgetMinutes(budget: StepBudget, workingDayMinutes: number): number {
  switch (budget.unit) {
    case "days":
      return budget.amount * workingDayMinutes;
    case "half-days":
      return (budget.amount * workingDayMinutes) / 2;
    case "hours":
      return budget.amount * 60;
  }
}

/** A step's deadline: its start plus its budget in the working time of the step unit's calendar. */
export function stepDeadline(calendar: WorkingCalendar, startMs: number, budget: StepBudget): number {
  return calendar.addWorkingMinutes(startMs, stepBudgetMinutes(budget, calendar.workingDayMinutes));
}
