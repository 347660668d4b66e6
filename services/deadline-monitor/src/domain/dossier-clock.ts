import {
  type ClockState,
  formatIsoLocal,
  restoreClock,
  type SlaClock,
  splitByUnit,
  startClock,
  toEpochMs,
  type WorkingCalendar,
} from "@tthc/calendar";
import type {
  AnyEvent,
  DossierStep,
  SlaDeadlineSetPayload,
  SlaVerdictPayload,
  StepDeadline,
} from "@tthc/contracts";
import type { MonitorCalendars } from "./calendars.js";

/** One run of a step: when the dossier entered it and when it left. */
export interface StepRunRecord {
  stepId: string;
  startedAt: string;
  endedAt: string | null;
}

/** One change of the due instant, for `GET /v1/sla/:dossierId`. */
export interface ClockChange {
  at: string;
  event: string;
  dueAt: string | null;
  previousDueAt: string | null;
  note?: string;
}

/** What the monitor keeps of one dossier (hồ sơ): its clock as JSON and what it needs to judge it. */
export interface DossierClock {
  id: string;
  code: string;
  partition: number;
  status: "open" | "paused" | "closed";
  /** The unit holding the dossier now (the current step's unit). */
  unitCode: string;
  receivingUnitCode: string;
  procedureCode: string;
  /** The unit whose working sessions the clock counts on (the receiving unit). */
  calendarUnit: string;
  clock: ClockState;
  supplementRule: "pause" | "reset";
  steps: DossierStep[];
  runs: StepRunRecord[];
  assignee: string | null;
  dueAt: string | null;
  dueSoonAt: string | null;
  history: ClockChange[];
  receivedAt: string;
  closedAt: string | null;
}

/** How early the due-soon warning comes: a share of the statutory time left, or (null) the last working day. */
export interface DueSoonRule {
  share: number | null;
}

export interface Applied {
  dossier: DossierClock;
  deadlineSet: SlaDeadlineSetPayload | null;
  verdict: SlaVerdictPayload | null;
}

type DeadlineReason = SlaDeadlineSetPayload["reason"];

const minutes = (m: number) => Math.max(0, Math.round(m));

export function clockOf(d: DossierClock, calendars: MonitorCalendars): SlaClock {
  return restoreClock(d.clock, calendarOf(d, calendars));
}

export function calendarOf(d: Pick<DossierClock, "clock" | "calendarUnit">, calendars: MonitorCalendars) {
  return calendars.at(d.clock.receivedAt, d.calendarUnit);
}

/** The due-soon instant: when the working time left reaches the rule's lead (never before `from`). */
export function dueSoonInstant(
  calendar: WorkingCalendar,
  clock: SlaClock,
  from: number,
  rule: DueSoonRule,
): number {
  const due = clock.dueAt?.getTime();
  if (due === undefined) throw new Error("dueSoonInstant needs a running clock");
  const budget = clock.budgetMinutes;
  const lead = rule.share === null ? Math.min(calendar.workingDayMinutes, budget / 2) : rule.share * budget;
  const start = Math.min(Math.max(from, clock.startedAt.getTime()), due);
  const before = calendar.workingMinutesBetween(start, due) - lead;
  return before <= 0 ? start : Math.min(due, calendar.addWorkingMinutes(start, before));
}

function lastEventMs(state: ClockState): number {
  const last = state.events[state.events.length - 1];
  return toEpochMs(last ? last.at : state.receivedAt);
}

export function pausedMinutes(clock: SlaClock, until: number): number {
  let total = 0;
  for (const p of clock.pauses) {
    total += clock.calendar.workingMinutesBetween(p.from.getTime(), p.to?.getTime() ?? until);
  }
  return minutes(total);
}

export function stepDeadlines(d: DossierClock, clock: SlaClock, at: number) {
  return splitByUnit({
    calendar: clock.calendar,
    at,
    steps: d.steps.map((s) => ({ id: s.id, unitCode: s.unitCode, budget: s.budget, name: s.name })),
    runs: d.runs,
    pauses: clock.pauses.map((p) => ({ from: p.from, to: p.to })),
  });
}

function deadlinePayload(
  d: DossierClock,
  clock: SlaClock,
  reason: DeadlineReason,
  previous: string | null,
  at: number,
) {
  const due = clock.dueAt as Date;
  let steps: StepDeadline[] = [];
  try {
    steps = stepDeadlines(d, clock, at)
      .steps.filter((s) => s.deadlineAt !== null)
      .map((s) => ({
        stepId: s.stepId,
        unitCode: s.unitCode,
        startsAt: formatIsoLocal(s.startedAt.getTime()),
        dueAt: formatIsoLocal((s.deadlineAt as Date).getTime()),
      }));
  } catch {
    steps = [];
  }
  const years = new Set<number>();
  for (let y = clock.startedAt.getUTCFullYear(); y <= due.getUTCFullYear() + 1 && years.size < 5; y++)
    years.add(y);
  const payload: SlaDeadlineSetPayload = {
    dossierCode: d.code,
    dueAt: d.dueAt as string,
    dueSoonAt: d.dueSoonAt as string,
    previousDueAt: previous,
    reason,
    explanation: null,
    clockStartsAt: formatIsoLocal(clock.startedAt.getTime()),
    statutoryMinutes: minutes(clock.budgetMinutes),
    pausedMinutes: pausedMinutes(clock, at),
    steps,
    calendarVersions: [...years].map((year) => ({
      year,
      version: Math.max(1, clock.calendar.yearRecord(year).version),
    })),
  };
  return payload;
}

/** Sets due and due-soon from the clock; returns the deadline-set payload when the due instant moved. */
function settle(
  d: DossierClock,
  clock: SlaClock,
  reason: DeadlineReason,
  event: string,
  at: number,
  rule: DueSoonRule,
) {
  const previous = d.dueAt;
  const due = clock.dueAt;
  d.clock = clock.toJSON();
  d.status = clock.isPaused ? "paused" : "open";
  d.dueAt = due ? formatIsoLocal(due.getTime()) : null;
  d.dueSoonAt = due
    ? formatIsoLocal(dueSoonInstant(clock.calendar, clock, lastEventMs(d.clock), rule))
    : null;
  const moved = d.dueAt !== null && (previous === null || toEpochMs(previous) !== toEpochMs(d.dueAt));
  if (moved || d.dueAt === null || reason === "step-changed") {
    d.history = [...d.history, { at: formatIsoLocal(at), event, dueAt: d.dueAt, previousDueAt: previous }];
  }
  if (d.dueAt === null || (!moved && reason !== "step-changed")) return null;
  return deadlinePayload(d, clock, reason, previous, at);
}

function verdictPayload(
  d: DossierClock,
  clock: SlaClock,
  endedAt: number,
  endKind: "resolved" | "stopped",
): SlaVerdictPayload {
  const v = clock.verdict(endedAt);
  let unitAtFault: string | null = null;
  const lateSteps: SlaVerdictPayload["lateSteps"] = [];
  try {
    const split = stepDeadlines(d, clock, endedAt);
    unitAtFault = split.unitsAtFault[0] ?? null;
    for (const s of split.steps) {
      if (s.late && s.deadlineAt && s.endedAt) {
        lateSteps.push({
          stepId: s.stepId,
          unitCode: s.unitCode,
          dueAt: formatIsoLocal(s.deadlineAt.getTime()),
          endedAt: formatIsoLocal(s.endedAt.getTime()),
          overMinutes: minutes(s.overrunMinutes),
        });
      }
    }
  } catch {
    // A process that does not fit the runs still gets its verdict, without a unit at fault.
  }
  if (v.verdict === "late" && unitAtFault === null) unitAtFault = d.unitCode;
  const used = v.usedMinutes;
  const effectiveEnd =
    used <= 0 ? clock.startedAt.getTime() : clock.calendar.addWorkingMinutes(clock.startedAt.getTime(), used);
  const extension = clock.extension;
  return {
    dossierCode: d.code,
    verdict: v.verdict,
    endKind,
    endedAt: formatIsoLocal(endedAt),
    effectiveEndAt: formatIsoLocal(Math.min(effectiveEnd, endedAt)),
    dueAt: formatIsoLocal(v.dueAt.getTime()),
    usedMinutes: minutes(used),
    statutoryMinutes: minutes(v.budgetMinutes),
    pausedMinutes: pausedMinutes(clock, endedAt),
    unitAtFaultCode: v.verdict === "late" ? unitAtFault : null,
    lateSteps,
    reason: v.reason,
    secondSupplement: v.secondSupplement,
    extendedDueAt: extension ? formatIsoLocal(extension.newDueAt.getTime()) : null,
    extensionPromiseKept: extension ? (v.extensionKept ?? endedAt <= extension.newDueAt.getTime()) : null,
  };
}

function closeRun(runs: StepRunRecord[], at: string): StepRunRecord[] {
  return runs.map((r) => (r.endedAt === null ? { ...r, endedAt: at } : r));
}

/**
 * Folds one lifecycle event into a dossier's clock. Pure: returns the new record and what to publish.
 * Events the clock cannot take (out of order, a pause while paused) leave the clock as it was.
 */
export function applyEvent(
  current: DossierClock | null,
  event: AnyEvent,
  partition: number,
  calendars: MonitorCalendars,
  rule: DueSoonRule,
): Applied | null {
  if (event.type === "dossier.received") {
    if (current) return null;
    const p = event.payload;
    const calendarUnit = calendars.profileOf(p.receivingUnitCode);
    // An online dossier counts from the portal's submission instant (as intake dated its receipt),
    // a counter or postal one from its reception.
    const countsFrom = p.channel === "online" ? p.submittedAt : p.receivedAt;
    const calendar = calendars.at(countsFrom, calendarUnit);
    const clock = startClock({
      receivedAt: countsFrom,
      statutory: p.statutoryTime,
      cutoff: p.cutOff,
      calendar,
    });
    const first = p.steps[0];
    const d: DossierClock = {
      id: event.dossierId,
      code: p.dossierCode,
      partition,
      status: "open",
      unitCode: event.unitCode,
      receivingUnitCode: p.receivingUnitCode,
      procedureCode: p.procedureCode,
      calendarUnit,
      clock: clock.toJSON(),
      supplementRule: p.supplementRule,
      steps: p.steps,
      runs: first
        ? [{ stepId: first.id, startedAt: formatIsoLocal(clock.startedAt.getTime()), endedAt: null }]
        : [],
      assignee: null,
      dueAt: null,
      dueSoonAt: null,
      history: [],
      receivedAt: p.receivedAt,
      closedAt: null,
    };
    const deadlineSet = settle(d, clock, "received", event.type, toEpochMs(p.receivedAt), rule);
    return { dossier: d, deadlineSet, verdict: null };
  }
  if (!current || current.status === "closed") return null;
  const d: DossierClock = { ...current };
  const clock = clockOf(d, calendars);
  const occurred = toEpochMs(event.occurredAt);
  try {
    switch (event.type) {
      case "dossier.assigned":
        d.assignee = event.payload.assigneeStaffId;
        return { dossier: d, deadlineSet: null, verdict: null };
      case "dossier.transferred": {
        const at = formatIsoLocal(occurred);
        d.runs = [...closeRun(d.runs, at), { stepId: event.payload.toStepId, startedAt: at, endedAt: null }];
        d.unitCode = event.payload.toUnitCode;
        d.assignee = event.payload.assigneeStaffId;
        return {
          dossier: d,
          deadlineSet: settle(d, clock, "step-changed", event.type, occurred, rule),
          verdict: null,
        };
      }
      case "dossier.supplement-requested":
        settle(d, clock.pause(occurred, "supplement"), "resumed", event.type, occurred, rule);
        return { dossier: d, deadlineSet: null, verdict: null };
      case "dossier.payment-requested":
        settle(d, clock.pause(occurred, "payment"), "resumed", event.type, occurred, rule);
        return { dossier: d, deadlineSet: null, verdict: null };
      case "dossier.supplement-received": {
        const at = toEpochMs(event.payload.suppliedAt);
        if (event.payload.supplementRule === "reset") {
          return {
            dossier: d,
            deadlineSet: settle(d, clock.reset(at), "reset", event.type, at, rule),
            verdict: null,
          };
        }
        const resumed = clock.isPaused ? clock.resume(at) : clock;
        return {
          dossier: d,
          deadlineSet: settle(d, resumed, "resumed", event.type, at, rule),
          verdict: null,
        };
      }
      case "dossier.payment-received": {
        const at = toEpochMs(event.payload.paidAt);
        const resumed = clock.isPaused ? clock.resume(at) : clock;
        return {
          dossier: d,
          deadlineSet: settle(d, resumed, "resumed", event.type, at, rule),
          verdict: null,
        };
      }
      case "dossier.extended": {
        const extended = clock.extend(occurred, event.payload.newDueAt, event.payload.reason);
        d.clock = extended.toJSON();
        d.history = [
          ...d.history,
          {
            at: formatIsoLocal(occurred),
            event: event.type,
            dueAt: d.dueAt,
            previousDueAt: d.dueAt,
            note: `promised ${event.payload.newDueAt}`,
          },
        ];
        return { dossier: d, deadlineSet: null, verdict: null };
      }
      case "dossier.resolved":
      case "dossier.stopped": {
        const end = event.type === "dossier.resolved" ? toEpochMs(event.payload.resolvedAt) : occurred;
        const endKind = event.type === "dossier.resolved" ? "resolved" : "stopped";
        d.runs = closeRun(d.runs, formatIsoLocal(end));
        const verdict = verdictPayload(d, clock, end, endKind);
        d.status = "closed";
        d.closedAt = formatIsoLocal(end);
        d.history = [
          ...d.history,
          {
            at: d.closedAt,
            event: event.type,
            dueAt: d.dueAt,
            previousDueAt: d.dueAt,
            note: verdict.verdict,
          },
        ];
        return { dossier: d, deadlineSet: null, verdict };
      }
      default:
        return null;
    }
  } catch (err) {
    d.history = [
      ...d.history,
      {
        at: formatIsoLocal(occurred),
        event: event.type,
        dueAt: d.dueAt,
        previousDueAt: d.dueAt,
        note: `ignored: ${(err as Error).message}`,
      },
    ];
    return { dossier: { ...current, history: d.history }, deadlineSet: null, verdict: null };
  }
}
