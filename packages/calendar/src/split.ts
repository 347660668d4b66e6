import { isOverdue } from "./deadlines.js";
import { CalendarError } from "./errors.js";
import { dueWithPauses, type PauseSpan, usedWithPauses } from "./pauses.js";
import { budgetMs, checkStatutory, type Statutory } from "./statutory.js";
import { type Instant, MINUTE_MS, toEpochMs } from "./time.js";
import type { WorkingCalendar } from "./working-time.js";

/** One step of a procedure's internal process (quy trình nội bộ): who does it and its share of the time. */
export interface ProcessStep {
  id: string;
  unitCode: string;
  /** Days, half-days or hours; fractions of a day are fine (0.25 day = 112.5 minutes with default sessions). */
  budget: Statutory;
  name?: string;
}

/** What actually happened at a step; a step run again (e.g. sent back) has several runs sharing its budget. */
export interface StepRun {
  stepId: string;
  /**
   * The unit that held the step in this run, when a transfer gave the step to another unit than the
   * process names; absent for the process's own unit.
   */
  unitCode?: string;
  startedAt: Instant;
  /** Null or absent while the step is still open. */
  endedAt?: Instant | null;
}

export interface SplitOptions {
  /** The calendar of every unit, unless `calendarOf` is given. */
  calendar: WorkingCalendar;
  /** Each unit's own working calendar: a step's deadline counts in the working time of the unit holding it. */
  calendarOf?: (unitCode: string) => WorkingCalendar;
  steps: readonly ProcessStep[];
  runs: readonly StepRun[];
  /** The instant open runs are judged at. */
  at: Instant;
  /** The applicant's time (supplement, payment), not charged to any step. */
  pauses?: readonly { from: Instant; to: Instant | null }[];
  /**
   * Instants at which the clock was counted again (reset rule): runs that start at or after a reset
   * draw on fresh step budgets.
   */
  resets?: readonly Instant[];
}

export interface StepShare {
  /** 1-based position of the run in time order. */
  runNo: number;
  stepId: string;
  /** The unit that held the step in this run (after transfers). */
  unitCode: string;
  name?: string;
  /** The budget left for this run when it started. */
  budgetMinutes: number;
  startedAt: Date;
  endedAt: Date | null;
  /** The step deadline (NgayKetThucTheoQuyDinh); null while an open pause makes it unknown. */
  deadlineAt: Date | null;
  usedMinutes: number;
  overrunMinutes: number;
  late: boolean;
  open: boolean;
}

export interface UnitShare {
  unitCode: string;
  /** The unit's planned share of the procedure's time. */
  budgetMinutes: number;
  /** budgetMinutes / the sum of all steps' budgets. */
  share: number;
  usedMinutes: number;
  overrunMinutes: number;
  lateSteps: string[];
}

export interface SplitResult {
  steps: StepShare[];
  units: UnitShare[];
  totalBudgetMinutes: number;
  totalUsedMinutes: number;
  /** Units with a late step, the largest overrun first. */
  unitsAtFault: string[];
}

/**
 * Split a dossier's working time between the units of its steps. Each run's deadline is its own start plus what
 * is left of its step's budget (pauses excluded), so a step that starts late because an earlier one overran is
 * not blamed for it: the unit at fault is the one whose step ran over.
 */
export function splitByUnit(options: SplitOptions): SplitResult {
  const { calendar } = options;
  const calendarOf = options.calendarOf ?? (() => calendar);
  const at = toEpochMs(options.at);
  const resets = (options.resets ?? []).map(toEpochMs).sort((a, b) => a - b);
  const epochOf = (t: number) => resets.filter((r) => r <= t).length;
  const pauses: PauseSpan[] = (options.pauses ?? [])
    .map((p) => ({ from: toEpochMs(p.from), to: p.to === null ? null : toEpochMs(p.to) }))
    .sort((a, b) => a.from - b.from);
  const stepsById = new Map<string, ProcessStep>();
  const planned = new Map<string, number>();
  for (const step of options.steps) {
    checkStatutory(step.budget);
    if (step.budget.unit === "within-day" || stepsById.has(step.id)) {
      throw new CalendarError("SPLIT_INVALID_STEPS", `Step ${step.id} is repeated or has no fixed budget`, {
        stepId: step.id,
      });
    }
    stepsById.set(step.id, step);
    planned.set(step.id, budgetMs(calendarOf(step.unitCode), 0, step.budget));
  }

  /** Budget left per step within one counting (a reset starts a new one), keyed `epoch|stepId`. */
  const remaining = new Map<string, number>();
  const runs = [...options.runs]
    .map((r) => ({
      ...r,
      start: toEpochMs(r.startedAt),
      end: r.endedAt == null ? null : toEpochMs(r.endedAt),
    }))
    .sort((a, b) => a.start - b.start);
  const shares: StepShare[] = runs.map((run, i) => {
    const step = stepsById.get(run.stepId);
    if (!step) {
      throw new CalendarError("SPLIT_INVALID_STEPS", `Run of an unknown step: ${run.stepId}`, {
        stepId: run.stepId,
      });
    }
    const unitCode = run.unitCode ?? step.unitCode;
    const unitCalendar = calendarOf(unitCode);
    const key = `${epochOf(run.start)}|${step.id}`;
    const budget = remaining.get(key) ?? budgetMs(unitCalendar, 0, step.budget);
    const end = run.end ?? Math.max(at, run.start);
    const deadline = dueWithPauses(unitCalendar, run.start, budget, pauses);
    const used = usedWithPauses(unitCalendar, run.start, end, pauses);
    remaining.set(key, Math.max(0, budget - used));
    const share: StepShare = {
      runNo: i + 1,
      stepId: step.id,
      unitCode,
      budgetMinutes: budget / MINUTE_MS,
      startedAt: new Date(run.start),
      endedAt: run.end === null ? null : new Date(run.end),
      deadlineAt: deadline === null ? null : new Date(deadline),
      usedMinutes: used / MINUTE_MS,
      overrunMinutes: Math.max(0, used - budget) / MINUTE_MS,
      late: isOverdue(deadline, end),
      open: run.end === null,
    };
    if (step.name !== undefined) share.name = step.name;
    return share;
  });

  const totalBudget = [...planned.values()].reduce((a, b) => a + b, 0);
  const units = new Map<string, UnitShare>();
  for (const step of options.steps) {
    const u = units.get(step.unitCode) ?? {
      unitCode: step.unitCode,
      budgetMinutes: 0,
      share: 0,
      usedMinutes: 0,
      overrunMinutes: 0,
      lateSteps: [],
    };
    u.budgetMinutes += (planned.get(step.id) as number) / MINUTE_MS;
    u.share = totalBudget > 0 ? (u.budgetMinutes * MINUTE_MS) / totalBudget : 0;
    units.set(step.unitCode, u);
  }
  for (const s of shares) {
    let u = units.get(s.unitCode);
    if (!u) {
      u = {
        unitCode: s.unitCode,
        budgetMinutes: 0,
        share: 0,
        usedMinutes: 0,
        overrunMinutes: 0,
        lateSteps: [],
      };
      units.set(s.unitCode, u);
    }
    u.usedMinutes += s.usedMinutes;
    u.overrunMinutes += s.overrunMinutes;
    if (s.late && !u.lateSteps.includes(s.stepId)) u.lateSteps.push(s.stepId);
  }
  const unitList = [...units.values()];
  return {
    steps: shares,
    units: unitList,
    totalBudgetMinutes: totalBudget / MINUTE_MS,
    totalUsedMinutes: shares.reduce((a, s) => a + s.usedMinutes, 0),
    unitsAtFault: unitList
      .filter((u) => u.lateSteps.length > 0)
      .sort((a, b) => b.overrunMinutes - a.overrunMinutes)
      .map((u) => u.unitCode),
  };
}
