import { nationalStatusCode } from "@tthc/contracts";
import type { Dossier, TimelineEntry } from "../domain/dossier.js";
import { allowedActions } from "../domain/transitions.js";

/** A dossier as the API shows it, with the actions its state allows. */
export function dossierView(d: Dossier, now: Date = new Date()) {
  const step = d.steps[d.stepIndex];
  return {
    id: d.id,
    code: d.code,
    procedureCode: d.procedureCode,
    procedureName: d.procedureName,
    state: d.state,
    nationalStatusCode: nationalStatusCode[d.state],
    version: d.version,
    receivingUnitCode: d.receivingUnitCode,
    currentUnitCode: d.currentUnitCode,
    assigneeStaffId: d.assigneeStaffId,
    assigneeName: d.assigneeName,
    currentStep: step ? { id: step.id, name: step.name, unitCode: step.unitCode } : null,
    steps: d.steps,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    overdue: (d.state === "received" || d.state === "processing") && Date.parse(d.dueAt) < now.getTime(),
    extension:
      d.extendedDueAt === null
        ? null
        : { previousDueAt: d.dueAt, newDueAt: d.extendedDueAt, at: d.extendedAt, reason: d.extensionReason },
    supplementRequests: d.supplementRequests,
    supplementRule: d.supplementRule,
    maxSupplementRequests: d.maxSupplementRequests,
    pausedAt: d.pausedAt,
    outcome: d.outcome,
    resolvedAt: d.resolvedAt,
    returnChannel: d.returnChannel,
    returnedAt: d.returnedAt,
    stopReason: d.stopReason,
    stoppedAt: d.stoppedAt,
    updatedAt: d.updatedAt,
    allowedActions: allowedActions(d.state),
    stepRuns: d.runs.map((r) => ({
      ...r,
      met: r.endedAt === null ? null : Date.parse(r.endedAt) <= Date.parse(r.deadlineAt),
    })),
  };
}

export function timelineView(entries: TimelineEntry[]) {
  return entries.map((e) => ({
    seq: e.seq,
    eventId: e.eventId,
    type: e.type,
    occurredAt: e.occurredAt,
    staffId: e.staffId,
    unitCode: e.unitCode,
    stateAfter: e.stateAfter,
    note: e.note,
    details: e.details,
  }));
}
