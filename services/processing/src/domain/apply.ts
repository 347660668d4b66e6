import {
  type AnyEvent,
  competentUnitOf,
  type DossierState,
  type EventOf,
  stateAfterEvent,
} from "@tthc/contracts";
import { type Dossier, iso, openVisit, type StepVisit, type TimelineEntry } from "./dossier.js";
import { DomainError } from "./errors.js";
import { actionOfEvent, actionRules, allowedActions } from "./transitions.js";

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
 * the event's `occurredAt`. It computes no deadline: the receipt's due instant is taken as written,
 * and every later one comes from the deadline monitor (src/domain/sla.ts).
 */
export function apply(before: Dossier | null, event: AnyEvent): Applied {
  if (event.type === "dossier.received") {
    if (before) throw new DomainError("ALREADY_RECEIVED", `dossier ${event.dossierId} is already received`);
    const dossier = received(event);
    return { dossier, entry: entryOf(dossier, event, `Tiếp nhận hồ sơ ${event.payload.dossierCode}`) };
  }
  if (!before) throw new DomainError("NOT_RECEIVED_YET", `dossier ${event.dossierId} was never received`);
  const action = actionOfEvent(event.type);
  if (!action) throw new DomainError("INVALID_EVENT", `processing does not fold ${event.type}`);
  if (!actionRules[action].from.includes(before.state)) {
    throw new DomainError("TRANSITION_FORBIDDEN", `${action} is not allowed in state ${before.state}`, {
      state: before.state,
      allowed: allowedActions(before.state),
    });
  }
  const at = iso(event.occurredAt);
  const base: Dossier = {
    ...before,
    state: stateAfterEvent[event.type] ?? before.state,
    version: before.version + 1,
    updatedAt: at,
    visits: before.visits.map((v) => ({ ...v })),
  };
  const note = change(base, before, event, at);
  return { dossier: base, entry: entryOf(base, event, note) };
}

function received(event: EventOf<"dossier.received">): Dossier {
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
    // Older receptions did not name it: the unit of the last deciding step, as the contracts define.
    competentUnitCode: p.competentUnitCode ?? competentUnitOf(p.steps, p.receivingUnitCode),
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
    // The receipt's due instant (intake computes it with the monitor's pure function): provisional
    // until the monitor's first sla.deadline-set.
    dueAt: iso(p.dueAt),
    dueSoonAt: null,
    knownDueAt: iso(p.dueAt),
    extendedDueAt: null,
    extensionPreviousDueAt: null,
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
    visits: [
      {
        runNo: 1,
        stepId: first.id,
        unitCode: first.unitCode,
        staffId: event.actor?.staffId ?? null,
        startedAt: at,
        endedAt: null,
      },
    ],
  };
}

/** Ends the open visit at `at`, credited to the staff member holding the dossier. */
function endVisit(d: Dossier, at: string, staffId: string | null): void {
  const visit = openVisit(d);
  if (!visit) return;
  visit.endedAt = at;
  visit.staffId = d.assigneeStaffId ?? staffId ?? visit.staffId;
}

function startVisit(d: Dossier, at: string): void {
  const step = d.steps[d.stepIndex];
  if (!step) throw new DomainError("UNKNOWN_STEP", `step ${d.stepIndex} does not exist`);
  const visit: StepVisit = {
    runNo: d.visits.length + 1,
    stepId: step.id,
    unitCode: step.unitCode,
    staffId: d.assigneeStaffId,
    startedAt: at,
    endedAt: null,
  };
  d.visits.push(visit);
}

/** Applies the event's own change to `d` (a copy) and returns the timeline note. */
function change(d: Dossier, before: Dossier, event: AnyEvent, at: string): string | null {
  const staff = event.actor?.staffId ?? null;
  switch (event.type) {
    case "dossier.assigned": {
      const p = event.payload;
      d.assigneeStaffId = p.assigneeStaffId;
      d.assigneeName = p.assigneeName;
      const visit = openVisit(d);
      if (visit) visit.staffId = p.assigneeStaffId;
      return `Phân công ${p.assigneeStaffId}`;
    }
    case "dossier.transferred": {
      const p = event.payload;
      const index = d.steps.findIndex((s) => s.id === p.toStepId);
      if (index < 0) throw new DomainError("UNKNOWN_STEP", `step ${p.toStepId} is not in the process`);
      endVisit(d, at, staff);
      d.stepIndex = index;
      d.steps = d.steps.map((s, i) => (i === index ? { ...s, unitCode: p.toUnitCode } : s));
      d.currentUnitCode = p.toUnitCode;
      d.assigneeStaffId = p.assigneeStaffId;
      d.assigneeName = null;
      startVisit(d, at);
      return p.note ?? `Chuyển ${p.fromUnitCode} → ${p.toUnitCode}`;
    }
    case "dossier.supplement-requested":
      d.supplementRequests = event.payload.requestNumber;
      d.pausedAt = at;
      return `${event.payload.reason}: ${event.payload.missingItems.join("; ")}`;
    case "dossier.supplement-received":
      d.pausedAt = null;
      return `Bổ sung lần ${event.payload.requestNumber} (${event.payload.supplementRule})`;
    case "dossier.payment-requested":
      d.pausedAt = at;
      return event.payload.obligations.map((o) => o.description).join("; ");
    case "dossier.payment-received":
      d.pausedAt = null;
      return `Đã nộp ${event.payload.amountVnd} VND (${event.payload.method})`;
    case "dossier.extended":
      d.extendedDueAt = iso(event.payload.newDueAt);
      d.extensionPreviousDueAt = iso(event.payload.previousDueAt);
      d.extendedAt = at;
      d.extensionReason = event.payload.reason;
      return event.payload.reason;
    case "dossier.resolved":
      endVisit(d, at, staff);
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
      endVisit(d, at, staff);
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
