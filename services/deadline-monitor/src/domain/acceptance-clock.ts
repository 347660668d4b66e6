import {
  clockStart,
  computeDueAt,
  type DueSoonRule,
  dueSoonAt,
  formatIsoLocal,
  formatLocal,
  isOverdue,
  toEpochMs,
  verdictByTime,
} from "@tthc/calendar";
import {
  type CurrentEvent,
  DEFAULT_ACCEPTANCE_TIME,
  type SlaAcceptanceDeadlineSetPayload,
  type SlaAcceptanceVerdictPayload,
  type StatutoryTime,
} from "@tthc/contracts";
import type { MonitorCalendars } from "./calendars.js";

/**
 * The centre's deadline to accept or refuse an online submission (docs/domain.md, "The centre's
 * acceptance deadline"): from the submission, in the receiving centre's working time, the
 * procedure's acceptance time (8 working hours by default). While the applicant must supply
 * something the centre's clock does not run; when the supplement comes, the centre has its whole
 * acceptance time again. Asked after the deadline, a supplement clears no lateness.
 */
export interface SubmissionClock {
  id: string;
  partition: number;
  procedureCode: string;
  receivingUnitCode: string;
  submittedAt: string;
  acceptanceTime: StatutoryTime;
  status: "waiting" | "awaiting-applicant" | "closed";
  /** From when the centre's time counts (the submission, or the last supplement supplied). */
  waitingSince: string;
  dueAt: string | null;
  dueSoonAt: string | null;
  /** The deadline had already passed when a supplement was asked: late whatever follows. */
  lateSince: string | null;
  sequence: number;
  verdict: SlaAcceptanceVerdictPayload | null;
  /** The ids of the events folded into this clock: a duplicate changes nothing (as DossierClock's). */
  appliedEvents: string[];
}

export interface AcceptanceApplied {
  submission: SubmissionClock;
  deadlineSet: SlaAcceptanceDeadlineSetPayload | null;
  verdict: SlaAcceptanceVerdictPayload | null;
}

function calendarOf(s: Pick<SubmissionClock, "receivingUnitCode" | "submittedAt">, c: MonitorCalendars) {
  return c.at(s.submittedAt, s.receivingUnitCode);
}

function budgetMinutes(s: SubmissionClock, c: MonitorCalendars): number {
  const calendar = calendarOf(s, c);
  const from = clockStart(calendar, toEpochMs(s.waitingSince));
  return calendar.workingMinutesBetween(from, computeDueAt(calendar, from, s.acceptanceTime));
}

function start(s: SubmissionClock, from: number, c: MonitorCalendars, rule: DueSoonRule): void {
  const calendar = calendarOf(s, c);
  s.status = "waiting";
  s.waitingSince = formatIsoLocal(from);
  const due = computeDueAt(calendar, from, s.acceptanceTime);
  s.dueAt = formatIsoLocal(due);
  s.dueSoonAt = formatIsoLocal(
    dueSoonAt(
      calendar,
      { startedAt: clockStart(calendar, from), dueAt: due, budgetMinutes: budgetMinutes(s, c) },
      from,
      rule,
    ),
  );
}

function deadlineSet(
  s: SubmissionClock,
  reason: SlaAcceptanceDeadlineSetPayload["reason"],
  c: MonitorCalendars,
): SlaAcceptanceDeadlineSetPayload {
  s.sequence += 1;
  return {
    procedureCode: s.procedureCode,
    receivingUnitCode: s.receivingUnitCode,
    submittedAt: s.submittedAt,
    sequence: s.sequence,
    reason,
    waitingSince: s.waitingSince,
    dueAt: s.dueAt,
    dueSoonAt: s.dueSoonAt,
    acceptanceMinutes: Math.round(budgetMinutes(s, c)),
  };
}

function decide(
  s: SubmissionClock,
  outcome: SlaAcceptanceVerdictPayload["outcome"],
  at: number,
  c: MonitorCalendars,
): SlaAcceptanceVerdictPayload {
  const calendar = calendarOf(s, c);
  const running = s.status === "waiting" && s.dueAt !== null;
  const used = running ? Math.max(0, calendar.workingMinutesBetween(toEpochMs(s.waitingSince), at)) : 0;
  let verdict: SlaAcceptanceVerdictPayload["verdict"] = null;
  let reason = `Closed ${formatLocal(at)} by the applicant before a decision: not judged`;
  const dueIso = s.dueAt ?? s.lateSince;
  if (outcome !== "stopped" && dueIso !== null) {
    const due = toEpochMs(dueIso);
    verdict = s.lateSince !== null ? "late" : verdictByTime(at, due);
    reason =
      s.lateSince !== null
        ? `Late: the acceptance deadline ${formatLocal(toEpochMs(s.lateSince))} had passed before a supplement was asked`
        : `${verdict === "late" ? "Late" : verdict === "early" ? "Early" : "On time"}: ${outcome} ${formatLocal(at)}, acceptance deadline ${formatLocal(due)}`;
  }
  s.status = "closed";
  s.sequence += 1;
  const payload: SlaAcceptanceVerdictPayload = {
    procedureCode: s.procedureCode,
    receivingUnitCode: s.receivingUnitCode,
    submittedAt: s.submittedAt,
    sequence: s.sequence,
    outcome,
    decidedAt: formatIsoLocal(at),
    dueAt: s.dueAt ?? s.lateSince,
    verdict,
    usedMinutes: Math.round(used),
    reason,
  };
  s.verdict = payload;
  return payload;
}

/**
 * Folds one submission event into the centre's acceptance clock. Pure. An event already folded in
 * (its id in `appliedEvents`) returns null: a duplicate changes nothing, whenever it comes.
 */
export function applySubmissionEvent(
  current: SubmissionClock | null,
  event: CurrentEvent,
  partition: number,
  calendars: MonitorCalendars,
  rule: DueSoonRule,
): AcceptanceApplied | null {
  if (current?.appliedEvents.includes(event.id)) return null;
  const applied = foldSubmission(current, event, partition, calendars, rule);
  if (applied && current) applied.submission.appliedEvents = [...current.appliedEvents, event.id];
  return applied;
}

function foldSubmission(
  current: SubmissionClock | null,
  event: CurrentEvent,
  partition: number,
  calendars: MonitorCalendars,
  rule: DueSoonRule,
): AcceptanceApplied | null {
  if (event.type === "dossier.submitted") {
    if (current) return null;
    const p = event.payload;
    const s: SubmissionClock = {
      id: event.dossierId,
      partition,
      procedureCode: p.procedureCode,
      receivingUnitCode: event.unitCode,
      submittedAt: formatIsoLocal(toEpochMs(p.submittedAt)),
      acceptanceTime: p.acceptanceTime ?? DEFAULT_ACCEPTANCE_TIME,
      status: "waiting",
      waitingSince: p.submittedAt,
      dueAt: null,
      dueSoonAt: null,
      lateSince: null,
      sequence: 0,
      verdict: null,
      appliedEvents: [event.id],
    };
    start(s, toEpochMs(p.submittedAt), calendars, rule);
    return { submission: s, deadlineSet: deadlineSet(s, "submitted", calendars), verdict: null };
  }
  if (!current || current.status === "closed") return null;
  const s: SubmissionClock = { ...current };
  const at = toEpochMs(event.occurredAt);
  switch (event.type) {
    case "dossier.submission-supplement-requested": {
      if (s.status !== "waiting") return null;
      if (s.lateSince === null && s.dueAt !== null && isOverdue(toEpochMs(s.dueAt), at))
        s.lateSince = s.dueAt;
      s.status = "awaiting-applicant";
      s.dueAt = null;
      s.dueSoonAt = null;
      return { submission: s, deadlineSet: deadlineSet(s, "supplement-requested", calendars), verdict: null };
    }
    case "dossier.submission-supplement-received": {
      if (s.status !== "awaiting-applicant") return null;
      start(s, toEpochMs(event.payload.suppliedAt), calendars, rule);
      return { submission: s, deadlineSet: deadlineSet(s, "supplement-received", calendars), verdict: null };
    }
    case "dossier.received":
      return {
        submission: s,
        deadlineSet: null,
        verdict: decide(s, "accepted", toEpochMs(event.payload.receivedAt), calendars),
      };
    case "dossier.submission-refused":
      return {
        submission: s,
        deadlineSet: null,
        verdict: decide(s, "refused", toEpochMs(event.payload.refusedAt), calendars),
      };
    case "dossier.submission-stopped":
      return { submission: s, deadlineSet: null, verdict: decide(s, "stopped", at, calendars) };
    default:
      return null;
  }
}
