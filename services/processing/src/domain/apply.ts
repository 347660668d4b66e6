import { type AnyEvent, type DossierState, type EventOf, formatInstant } from "@tthc/contracts";
import { type Dossier, iso, openRun, type StepRun, type TimelineEntry } from "./dossier.js";
import { DomainError } from "./errors.js";
import { actionOfEvent, actionRules, allowedActions } from "./transitions.js";
import { addPause, defaultCalendars, stepDeadline, type UnitCalendars } from "./working-time.js";

export interface Applied {
  dossier: Dossier;
  entry: TimelineEntry;
}

/** Event types processing folds into a dossier: the reception, and its own lifecycle events. */
export function isFolded(type: AnyEvent["type"]): boolean {
  return type === "dossier.received" || actionOfEvent(type) !== undefined;
}

/**
 * The one fold of a dossier: the state after `event`. The live path (an action) and the replay path
 * (the topic from the beginning) both call it, so both write the same rows. Pure: time comes from
 * the event's `occurredAt`. A step's deadline comes from the event when it carries one
 * (`stepDeadlineAt`, `firstStepDeadlineAt`); otherwise it is computed with `calendars`.
 */
export function apply(before: Dossier | null, event: AnyEvent, calendars = defaultCalendars): Applied {
  if (event.type === "dossier.received") {
    if (before) throw new DomainError("ALREADY_RECEIVED", `dossier ${event.dossierId} is already received`);
    const dossier = received(event, calendars);
    return { dossier, entry: entryOf(dossier, event, `Tiếp nhận hồ sơ ${event.payload.dossierCode}`) };
  }
  if (!before) throw new DomainError("NOT_RECEIVED_YET", `dossier ${event.dossierId} was never received`);
  const action = actionOfEvent(event.type);
  if (!action) throw new DomainError("INVALID_EVENT", `processing does not fold ${event.type}`);
  const rule = actionRules[action];
  if (!rule.from.includes(before.state)) {
    throw new DomainError("TRANSITION_FORBIDDEN", `${action} is not allowed in state ${before.state}`, {
      state: before.state,
      allowed: allowedActions(before.state),
    });
  }
  const at = iso(event.occurredAt);
  const base: Dossier = {
    ...before,
    state: rule.to ?? before.state,
    version: before.version + 1,
    updatedAt: at,
    runs: before.runs.map((r) => ({ ...r })),
  };
  const note = change(base, before, event, at, calendars);
  return { dossier: base, entry: entryOf(base, event, note) };
}

function received(event: EventOf<"dossier.received">, calendars: UnitCalendars): Dossier {
  const p = event.payload;
  const at = iso(p.receivedAt);
  const first = p.steps[0];
  if (!first) throw new DomainError("INVALID_EVENT", "a received dossier has at least one step");
  return {
    id: event.dossierId,
    code: p.dossierCode,
    procedureCode: p.procedureCode,
    procedureName: p.procedureName,
    receivingUnitCode: p.receivingUnitCode,
    currentUnitCode: first.unitCode,
    assigneeStaffId: null,
    assigneeName: null,
    state: "received",
    version: 1,
    steps: p.steps,
    stepIndex: 0,
    supplementRule: p.supplementRule,
    maxSupplementRequests: p.maxSupplementRequests,
    receivedAt: at,
    dueAt: iso(p.dueAt),
    extendedDueAt: null,
    extendedAt: null,
    extensionReason: null,
    supplementRequests: 0,
    pausedAt: null,
    withdrawalFromState: null,
    outcome: null,
    resolvedAt: null,
    returnChannel: null,
    returnedAt: null,
    stopReason: null,
    stoppedAt: null,
    updatedAt: iso(event.occurredAt),
    runs: [
      {
        runNo: 1,
        stepId: first.id,
        unitCode: first.unitCode,
        staffId: event.actor?.staffId ?? null,
        startedAt: at,
        endedAt: null,
        deadlineAt: p.firstStepDeadlineAt
          ? iso(p.firstStepDeadlineAt)
          : stepDeadline(calendars.at(at, first.unitCode), at, first.budget),
      },
    ],
  };
}

/** Ends the open step run at `at`, credited to the staff member holding the dossier. */
function endRun(d: Dossier, at: string, staffId: string | null): void {
  const run = openRun(d);
  if (!run) return;
  run.endedAt = at;
  run.staffId = d.assigneeStaffId ?? staffId ?? run.staffId;
}

function startRun(d: Dossier, at: string, given: string | undefined, calendars: UnitCalendars): void {
  const step = d.steps[d.stepIndex];
  if (!step) throw new DomainError("UNKNOWN_STEP", `step ${d.stepIndex} does not exist`);
  const run: StepRun = {
    runNo: d.runs.length + 1,
    stepId: step.id,
    unitCode: step.unitCode,
    staffId: d.assigneeStaffId,
    startedAt: at,
    endedAt: null,
    deadlineAt: given ? iso(given) : stepDeadline(calendars.at(at, step.unitCode), at, step.budget),
  };
  d.runs.push(run);
}

function resume(d: Dossier, at: string, given: string | undefined, calendars: UnitCalendars): void {
  const run = openRun(d);
  if (run && given) run.deadlineAt = iso(given);
  else if (run && d.pausedAt)
    run.deadlineAt = addPause(calendars.at(d.pausedAt, run.unitCode), run.deadlineAt, d.pausedAt, at);
  d.pausedAt = null;
}

/** Applies the event's own change to `d` (a copy) and returns the timeline note. */
function change(
  d: Dossier,
  before: Dossier,
  event: AnyEvent,
  at: string,
  calendars: UnitCalendars,
): string | null {
  const staff = event.actor?.staffId ?? null;
  switch (event.type) {
    case "dossier.assigned": {
      const p = event.payload;
      d.assigneeStaffId = p.assigneeStaffId;
      d.assigneeName = p.assigneeName;
      const run = openRun(d);
      if (run) run.staffId = p.assigneeStaffId;
      return `Phân công ${p.assigneeStaffId}`;
    }
    case "dossier.transferred": {
      const p = event.payload;
      const index = d.steps.findIndex((s) => s.id === p.toStepId);
      if (index < 0) throw new DomainError("UNKNOWN_STEP", `step ${p.toStepId} is not in the process`);
      endRun(d, at, staff);
      d.stepIndex = index;
      d.steps = d.steps.map((s, i) => (i === index ? { ...s, unitCode: p.toUnitCode } : s));
      d.currentUnitCode = p.toUnitCode;
      d.assigneeStaffId = p.assigneeStaffId;
      d.assigneeName = null;
      startRun(d, at, p.stepDeadlineAt, calendars);
      return p.note ?? `Chuyển ${p.fromUnitCode} → ${p.toUnitCode}`;
    }
    case "dossier.supplement-requested":
      d.supplementRequests = event.payload.requestNumber;
      d.pausedAt = at;
      return `${event.payload.reason}: ${event.payload.missingItems.join("; ")}`;
    case "dossier.supplement-received":
      resume(d, at, event.payload.stepDeadlineAt, calendars);
      return `Bổ sung lần ${event.payload.requestNumber} (${event.payload.supplementRule})`;
    case "dossier.payment-requested":
      d.pausedAt = at;
      return event.payload.obligations.map((o) => o.description).join("; ");
    case "dossier.payment-received":
      resume(d, at, event.payload.stepDeadlineAt, calendars);
      return `Đã nộp ${event.payload.amountVnd} VND (${event.payload.method})`;
    case "dossier.extended":
      d.extendedDueAt = iso(event.payload.newDueAt);
      d.extendedAt = at;
      d.extensionReason = event.payload.reason;
      return event.payload.reason;
    case "dossier.resolved":
      endRun(d, at, staff);
      d.outcome = event.payload.outcome;
      d.resolvedAt = iso(event.payload.resolvedAt);
      return event.payload.outcome === "refused" ? event.payload.refusalReasons.join("; ") : "Phê duyệt";
    case "dossier.returned":
      d.returnChannel = event.payload.returnChannel;
      d.returnedAt = iso(event.payload.returnedAt);
      return `Trả kết quả (${event.payload.returnChannel})`;
    case "dossier.withdrawal-requested":
      d.withdrawalFromState = before.state as DossierState;
      return event.payload.reason;
    case "dossier.stopped":
      endRun(d, at, staff);
      d.pausedAt = null;
      d.stopReason = event.payload.reason;
      d.stoppedAt = at;
      return event.payload.explanation;
    default:
      throw new DomainError("INVALID_EVENT", `processing does not fold ${event.type}`);
  }
}

function entryOf(d: Dossier, event: AnyEvent, note: string | null): TimelineEntry {
  return {
    eventId: event.id,
    dossierId: d.id,
    seq: d.version,
    type: event.type,
    occurredAt: iso(event.occurredAt),
    staffId: event.actor?.staffId ?? null,
    unitCode: event.actor?.unitCode ?? event.unitCode,
    stateAfter: d.state,
    note,
    details: event.payload as Record<string, unknown>,
  };
}

/** Events after which the open step run has a deadline set or moved: the ones that carry it. */
const CARRY_STEP_DEADLINE = new Set<AnyEvent["type"]>([
  "dossier.transferred",
  "dossier.supplement-received",
  "dossier.payment-received",
]);

export function carriesStepDeadline(type: AnyEvent["type"]): boolean {
  return CARRY_STEP_DEADLINE.has(type);
}

/**
 * The event with the deadline of the step run it opens or resumes, computed with the unit's own
 * calendar, so that every later reader (a replay, the portal synchronisation) takes it as written
 * instead of recomputing it with whatever catalogue it has then. Other events come back unchanged.
 */
export function withStepDeadline(before: Dossier, event: AnyEvent, calendars: UnitCalendars): AnyEvent {
  if (!carriesStepDeadline(event.type)) return event;
  const run = openRun(apply(before, event, calendars).dossier);
  if (!run) return event;
  return {
    ...event,
    payload: { ...event.payload, stepDeadlineAt: formatInstant(new Date(run.deadlineAt)) },
  } as AnyEvent;
}
