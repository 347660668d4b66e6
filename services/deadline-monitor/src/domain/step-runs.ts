import { formatIsoLocal, splitByUnit, type WorkingCalendar } from "@tthc/calendar";
import type { DossierStep, StepRunDeadline } from "@tthc/contracts";

/** One run of a step as the monitor records it: who held it, in which unit, from when to when. */
export interface StepRunRecord {
  stepId: string;
  /** The unit holding the step in this run (after transfers). */
  unitCode: string;
  startedAt: string;
  endedAt: string | null;
  /** The staff member holding the dossier at the run's end, or now while it is open. */
  staffId: string | null;
}

const minutes = (m: number) => Math.max(0, Math.round(m));

/**
 * Every run with its deadline, in the working time of the unit that held it (docs/domain.md,
 * "Steps, transfers and the unit at fault"); the rule itself is the calendar package's.
 */
export function stepRunDeadlines(o: {
  steps: readonly DossierStep[];
  runs: readonly StepRunRecord[];
  pauses: readonly { from: string; to: string | null }[];
  resets: readonly string[];
  calendarOf: (unitCode: string) => WorkingCalendar;
  at: number;
}): StepRunDeadline[] {
  if (o.runs.length === 0) return [];
  const first = o.calendarOf(o.runs[0]?.unitCode ?? "");
  const split = splitByUnit({
    calendar: first,
    calendarOf: o.calendarOf,
    steps: o.steps.map((s) => ({ id: s.id, unitCode: s.unitCode, budget: s.budget, name: s.name })),
    runs: o.runs.map((r) => ({
      stepId: r.stepId,
      unitCode: r.unitCode,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
    })),
    at: o.at,
    pauses: o.pauses.map((p) => ({ from: p.from, to: p.to })),
    resets: o.resets,
  });
  // splitByUnit orders runs by start; the records are already in that order (a run starts where the last ended).
  return split.steps.map((s, i) => {
    const record = o.runs[i] as StepRunRecord;
    const ended = s.endedAt !== null;
    return {
      runNo: s.runNo,
      stepId: s.stepId,
      unitCode: s.unitCode,
      startedAt: formatIsoLocal(s.startedAt.getTime()),
      endedAt: ended ? formatIsoLocal((s.endedAt as Date).getTime()) : null,
      dueAt: s.deadlineAt ? formatIsoLocal(s.deadlineAt.getTime()) : null,
      budgetMinutes: minutes(s.budgetMinutes),
      staffId: record.staffId,
      late: ended && s.late,
      overMinutes: ended ? minutes(s.overrunMinutes) : 0,
    };
  });
}

/** The unit whose late steps ran over the most; null when no step was late. */
export function unitAtFault(steps: readonly StepRunDeadline[]): string | null {
  const over = new Map<string, number>();
  for (const s of steps) if (s.late) over.set(s.unitCode, (over.get(s.unitCode) ?? 0) + s.overMinutes);
  let best: string | null = null;
  let most = -1;
  for (const [unit, m] of over) {
    if (m > most) [best, most] = [unit, m];
  }
  return best;
}
