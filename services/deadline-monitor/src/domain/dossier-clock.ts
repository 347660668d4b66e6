import {
  basisInstant,
  type ClockState,
  type DueSoonRule,
  dueSoonAt,
  formatIsoLocal,
  restoreClock,
  type SlaClock,
  startClock,
  toEpochMs,
} from "@tthc/calendar";
import {
  type ClockBasis,
  type CurrentEvent,
  competentUnitOf,
  type DeadlineSetReason,
  type DossierStep,
  type SlaDeadlineSetPayload,
  type SlaVerdictPayload,
  type StepRunDeadline,
} from "@tthc/contracts";
import type { MonitorCalendars } from "./calendars.js";
import { type StepRunRecord, stepRunDeadlines, unitAtFault } from "./step-runs.js";

export type { StepRunRecord };

/** One change of the due instant, for `GET /v1/sla/:dossierId`. */
export interface ClockChange {
  at: string;
  event: string;
  dueAt: string | null;
  previousDueAt: string | null;
  note?: string;
}

/** The applicant's time, every stretch of it since reception (the clock forgets those before a reset). */
export interface PauseRecord {
  from: string;
  to: string | null;
  reason: "supplement" | "payment";
}

/**
 * What the monitor keeps of one received dossier (hồ sơ): its clock as JSON and what it needs to
 * decide every deadline of it (docs/domain.md, "One owner of the clock").
 */
export interface DossierClock {
  id: string;
  code: string;
  partition: number;
  status: "open" | "paused" | "closed";
  receivingUnitCode: string;
  competentUnitCode: string;
  /** The unit holding the dossier now (the current step run's). */
  holdingUnitCode: string;
  procedureCode: string;
  clockBasis: ClockBasis;
  clock: ClockState;
  supplementRule: "pause" | "reset";
  /** The process, with each step's unit as fixed at reception or moved by a transfer. */
  steps: DossierStep[];
  runs: StepRunRecord[];
  pauses: PauseRecord[];
  /** Instants at which the reset rule counted the whole time again. */
  resets: string[];
  assignee: string | null;
  dueAt: string | null;
  dueSoonAt: string | null;
  /**
   * The date promised to the applicant: the extension's new date once extended, else the due
   * instant. The escalation counts from it (src/domain/escalation.ts).
   */
  promisedAt: string | null;
  /** The step runs as last published. */
  publishedSteps: StepRunDeadline[];
  /** The sequence of the last deadline or verdict published for this dossier. */
  sequence: number;
  verdict: SlaVerdictPayload | null;
  history: ClockChange[];
  receivedAt: string;
  closedAt: string | null;
  /**
   * The ids of the events folded into this clock, in order. The bus may deliver an event again
   * (a republished copy, later, even after newer events of the dossier): its id is here, so it
   * changes nothing. Events carry no per-dossier order of their own to compare with instead.
   */
  appliedEvents: string[];
}

export interface Applied {
  dossier: DossierClock;
  deadlineSet: SlaDeadlineSetPayload | null;
  verdict: SlaVerdictPayload | null;
}

export interface FoldContext {
  calendars: MonitorCalendars;
  rule: DueSoonRule;
}

const minutes = (m: number) => Math.max(0, Math.round(m));

/** The calendar a dossier's clock counts on: the receiving unit's, as in force at reception. */
export function clockCalendar(
  d: Pick<DossierClock, "receivingUnitCode" | "receivedAt">,
  c: MonitorCalendars,
) {
  return c.at(d.receivedAt, d.receivingUnitCode);
}

export function clockOf(d: DossierClock, c: MonitorCalendars): SlaClock {
  return restoreClock(d.clock, clockCalendar(d, c));
}

/** Working minutes of the applicant's time up to `until`, in the clock's calendar. */
export function pausedMinutes(d: DossierClock, clock: SlaClock, until: number): number {
  let total = 0;
  for (const p of d.pauses) {
    const to = p.to === null ? until : toEpochMs(p.to);
    total += clock.calendar.workingMinutesBetween(toEpochMs(p.from), Math.min(to, until));
  }
  return minutes(total);
}

/** Every step run with its deadline at `at`, each in the working time of the unit that holds it. */
function stepsAt(d: DossierClock, c: MonitorCalendars, at: number) {
  return stepRunDeadlines({
    steps: d.steps,
    runs: d.runs,
    pauses: d.pauses,
    resets: d.resets,
    calendarOf: (unit) => c.at(d.receivedAt, unit),
    at,
  });
}

function calendarVersions(clock: SlaClock, due: number | null): { year: number; version: number }[] {
  const from = new Date(clock.startedAt.getTime() + 7 * 3_600_000).getUTCFullYear();
  const to = new Date((due ?? clock.startedAt.getTime()) + 7 * 3_600_000).getUTCFullYear();
  const out = [];
  for (let y = from; y <= Math.min(to, from + 4); y++)
    out.push({ year: y, version: Math.max(1, clock.calendar.yearRecord(y).version) });
  return out;
}

/** Sets the clock, the due instants and the step runs, and says what the monitor publishes. */
function settle(
  d: DossierClock,
  clock: SlaClock,
  reason: DeadlineSetReason,
  event: string,
  at: number,
  ctx: FoldContext,
): SlaDeadlineSetPayload {
  const previous = d.dueAt;
  const due = clock.dueAt?.getTime() ?? null;
  d.clock = clock.toJSON();
  d.status = clock.isPaused ? "paused" : "open";
  d.dueAt = due === null ? null : formatIsoLocal(due);
  const promised = clock.promisedAt?.getTime() ?? null;
  d.promisedAt = promised === null ? null : formatIsoLocal(promised);
  d.dueSoonAt =
    due === null
      ? null
      : formatIsoLocal(
          dueSoonAt(
            clock.calendar,
            { startedAt: clock.startedAt.getTime(), dueAt: due, budgetMinutes: clock.budgetMinutes },
            at,
            ctx.rule,
          ),
        );
  d.publishedSteps = stepsAt(d, ctx.calendars, at);
  d.sequence += 1;
  d.history = [...d.history, { at: formatIsoLocal(at), event, dueAt: d.dueAt, previousDueAt: previous }];
  return {
    dossierCode: d.code,
    sequence: d.sequence,
    reason,
    explanation: null,
    receivingUnitCode: d.receivingUnitCode,
    competentUnitCode: d.competentUnitCode,
    holdingUnitCode: d.holdingUnitCode,
    clockBasis: d.clockBasis,
    clockStartsAt: formatIsoLocal(clock.startedAt.getTime()),
    dueAt: d.dueAt,
    dueSoonAt: d.dueSoonAt,
    previousDueAt: previous,
    paused: clock.isPaused,
    lateSince: clock.lateSince ? formatIsoLocal(clock.lateSince.getTime()) : null,
    promisedAt: clock.extension ? formatIsoLocal(clock.extension.newDueAt.getTime()) : null,
    statutoryMinutes: minutes(clock.budgetMinutes),
    pausedMinutes: pausedMinutes(d, clock, at),
    steps: d.publishedSteps,
    calendarVersions: calendarVersions(clock, due),
  };
}

function judge(
  d: DossierClock,
  clock: SlaClock,
  end: number,
  endKind: "resolved" | "stopped",
  ctx: FoldContext,
) {
  const v = clock.verdict(end);
  const steps = stepsAt(d, ctx.calendars, end);
  d.publishedSteps = steps;
  d.sequence += 1;
  const atFault = v.verdict === "late" ? (unitAtFault(steps) ?? d.holdingUnitCode) : null;
  const extension = clock.extension;
  const verdict: SlaVerdictPayload = {
    dossierCode: d.code,
    sequence: d.sequence,
    receivingUnitCode: d.receivingUnitCode,
    competentUnitCode: d.competentUnitCode,
    verdict: v.verdict,
    endKind,
    endedAt: formatIsoLocal(end),
    effectiveEndAt: formatIsoLocal(v.effectiveEndAt.getTime()),
    dueAt: formatIsoLocal(v.dueAt.getTime()),
    usedMinutes: minutes(v.usedMinutes),
    statutoryMinutes: minutes(v.budgetMinutes),
    pausedMinutes: pausedMinutes(d, clock, end),
    unitAtFaultCode: atFault,
    steps,
    reason: v.reason,
    secondSupplement: v.secondSupplement,
    lateSince: v.lateSince ? formatIsoLocal(v.lateSince.getTime()) : null,
    extendedDueAt: extension ? formatIsoLocal(extension.newDueAt.getTime()) : null,
    extensionPromiseKept: extension ? (v.extensionKept ?? end <= extension.newDueAt.getTime()) : null,
  };
  return verdict;
}

/**
 * Runs follow each other: one never ends before it started, nor starts before the last one did (a
 * transfer on a Saturday, before a first run that starts at Monday's opening, ends that run empty).
 */
function notBeforeLastRun(d: DossierClock, at: string): string {
  const last = d.runs.at(-1);
  return last && toEpochMs(at) < toEpochMs(last.startedAt) ? last.startedAt : at;
}

function closeRun(d: DossierClock, at: string): void {
  const end = notBeforeLastRun(d, at);
  d.runs = d.runs.map((r) =>
    r.endedAt === null ? { ...r, endedAt: end, staffId: d.assignee ?? r.staffId } : r,
  );
}

function openRun(d: DossierClock, stepId: string, unitCode: string, at: string): void {
  d.runs = [
    ...d.runs,
    { stepId, unitCode, startedAt: notBeforeLastRun(d, at), endedAt: null, staffId: d.assignee },
  ];
}

function received(
  event: Extract<CurrentEvent, { type: "dossier.received" }>,
  partition: number,
  ctx: FoldContext,
) {
  const p = event.payload;
  const basis = p.clockBasis ?? "acceptance";
  const receivedMs = toEpochMs(p.receivedAt);
  const countsFrom = basisInstant(basis, receivedMs, toEpochMs(p.submittedAt));
  const calendar = ctx.calendars.at(p.receivedAt, p.receivingUnitCode);
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
    receivingUnitCode: p.receivingUnitCode,
    competentUnitCode: p.competentUnitCode ?? competentUnitOf(p.steps, p.receivingUnitCode),
    holdingUnitCode: first?.unitCode ?? p.receivingUnitCode,
    procedureCode: p.procedureCode,
    clockBasis: basis,
    clock: clock.toJSON(),
    supplementRule: p.supplementRule,
    steps: p.steps,
    runs: [],
    pauses: [],
    resets: [],
    assignee: null,
    dueAt: null,
    dueSoonAt: null,
    promisedAt: null,
    publishedSteps: [],
    sequence: 0,
    verdict: null,
    history: [],
    receivedAt: formatIsoLocal(receivedMs),
    closedAt: null,
    appliedEvents: [event.id],
  };
  // The first step runs from the reception, or from the clock's start when that is later (a cut-off
  // hour, a Saturday desk): never before the dossier is at the centre, never before its time counts.
  const firstStart = Math.max(receivedMs, clock.startedAt.getTime());
  if (first) openRun(d, first.id, first.unitCode, formatIsoLocal(firstStart));
  const deadlineSet = settle(d, clock, "received", event.type, receivedMs, ctx);
  return { dossier: d, deadlineSet, verdict: null };
}

/**
 * Folds one lifecycle event into a received dossier's clock. Pure: returns the new record and what
 * to publish. An event the clock cannot take (out of order, a pause while paused) leaves the clock
 * as it was and is noted in the history. An event already folded in (its id in `appliedEvents`)
 * returns null: a duplicate changes nothing, whenever it comes.
 */
export function applyEvent(
  current: DossierClock | null,
  event: CurrentEvent,
  partition: number,
  ctx: FoldContext,
): Applied | null {
  if (current?.appliedEvents.includes(event.id)) return null;
  const applied = fold(current, event, partition, ctx);
  if (applied && current) applied.dossier.appliedEvents = [...current.appliedEvents, event.id];
  return applied;
}

function fold(
  current: DossierClock | null,
  event: CurrentEvent,
  partition: number,
  ctx: FoldContext,
): Applied | null {
  if (event.type === "dossier.received") return current ? null : received(event, partition, ctx);
  if (!current || current.status === "closed") return null;
  const d: DossierClock = { ...current };
  const clock = clockOf(d, ctx.calendars);
  const occurred = toEpochMs(event.occurredAt);
  const at = formatIsoLocal(occurred);
  const none = { deadlineSet: null, verdict: null };
  try {
    switch (event.type) {
      case "dossier.assigned":
        d.assignee = event.payload.assigneeStaffId;
        d.runs = d.runs.map((r) => (r.endedAt === null ? { ...r, staffId: d.assignee } : r));
        return { dossier: d, ...none };
      case "dossier.transferred": {
        const p = event.payload;
        closeRun(d, at);
        d.steps = d.steps.map((s) => (s.id === p.toStepId ? { ...s, unitCode: p.toUnitCode } : s));
        d.competentUnitCode = competentUnitOf(d.steps, d.receivingUnitCode);
        d.holdingUnitCode = p.toUnitCode;
        d.assignee = p.assigneeStaffId;
        openRun(d, p.toStepId, p.toUnitCode, at);
        return {
          dossier: d,
          deadlineSet: settle(d, clock, "transferred", event.type, occurred, ctx),
          verdict: null,
        };
      }
      case "dossier.supplement-requested":
      case "dossier.payment-requested": {
        const reason = event.type === "dossier.supplement-requested" ? "supplement" : "payment";
        const paused = clock.pause(occurred, reason);
        d.pauses = [...d.pauses, { from: at, to: null, reason }];
        return {
          dossier: d,
          deadlineSet: settle(d, paused, "paused", event.type, occurred, ctx),
          verdict: null,
        };
      }
      case "dossier.supplement-received":
      case "dossier.payment-received": {
        const t =
          event.type === "dossier.supplement-received"
            ? toEpochMs(event.payload.suppliedAt)
            : toEpochMs(event.payload.paidAt);
        const tIso = formatIsoLocal(t);
        const resetRule =
          event.type === "dossier.supplement-received" && event.payload.supplementRule === "reset";
        const next = resetRule ? clock.reset(t) : clock.isPaused ? clock.resume(t) : clock;
        d.pauses = d.pauses.map((p) => (p.to === null ? { ...p, to: tIso } : p));
        const wasReset = next.startedAt.getTime() !== clock.startedAt.getTime();
        if (wasReset) {
          // Counted again from the complete dossier: the current step starts over with fresh budgets.
          const run = d.runs.at(-1);
          closeRun(d, tIso);
          d.resets = [...d.resets, formatIsoLocal(next.startedAt.getTime())];
          if (run) openRun(d, run.stepId, run.unitCode, formatIsoLocal(next.startedAt.getTime()));
        }
        return {
          dossier: d,
          deadlineSet: settle(d, next, wasReset ? "reset" : "resumed", event.type, t, ctx),
          verdict: null,
        };
      }
      case "dossier.extended": {
        const extended = clock.extend(occurred, event.payload.newDueAt, event.payload.reason);
        return {
          dossier: d,
          deadlineSet: settle(d, extended, "extended", event.type, occurred, ctx),
          verdict: null,
        };
      }
      case "dossier.resolved":
      case "dossier.stopped": {
        const end = event.type === "dossier.resolved" ? toEpochMs(event.payload.resolvedAt) : occurred;
        const endIso = formatIsoLocal(end);
        closeRun(d, endIso);
        d.pauses = d.pauses.map((p) => (p.to === null ? { ...p, to: endIso } : p));
        const verdict = judge(d, clock, end, event.type === "dossier.resolved" ? "resolved" : "stopped", ctx);
        d.status = "closed";
        d.closedAt = endIso;
        d.verdict = verdict;
        // The due instant judged against (known even when the dossier ended during an open pause).
        d.dueAt = verdict.dueAt;
        d.history = [
          ...d.history,
          { at: endIso, event: event.type, dueAt: d.dueAt, previousDueAt: d.dueAt, note: verdict.verdict },
        ];
        return { dossier: d, deadlineSet: null, verdict };
      }
      default:
        return null;
    }
  } catch (err) {
    const note = `ignored: ${(err as Error).message}`;
    const history = [
      ...current.history,
      { at, event: event.type, dueAt: current.dueAt, previousDueAt: current.dueAt, note },
    ];
    return { dossier: { ...current, history }, ...none };
  }
}
