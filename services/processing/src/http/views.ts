import { nationalStatusCode } from "@tthc/contracts";
import { deadlineFacts } from "../domain/deadline-facts.js";
import type { Dossier, TimelineEntry } from "../domain/dossier.js";
import type { SlaRecord } from "../domain/sla.js";
import { allowedActions } from "../domain/transitions.js";

/**
 * A dossier as the API shows it at `now` (the service clock), with the actions its state allows.
 * The due instants, step runs and verdict are the deadline monitor's (src/domain/deadline-facts.ts).
 */
export function dossierView(d: Dossier, sla: SlaRecord | null, now: Date) {
  const step = d.steps[d.stepIndex];
  const facts = deadlineFacts(d, sla, now);
  return {
    id: d.id,
    code: d.code,
    procedureCode: d.procedureCode,
    procedureName: d.procedureName,
    state: d.state,
    nationalStatusCode: nationalStatusCode[d.state],
    version: d.version,
    receivingUnitCode: d.receivingUnitCode,
    competentUnitCode: facts.competentUnitCode,
    currentUnitCode: d.currentUnitCode,
    assigneeStaffId: d.assigneeStaffId,
    assigneeName: d.assigneeName,
    currentStep: step ? { id: step.id, name: step.name, unitCode: step.unitCode } : null,
    steps: d.steps,
    receivedAt: d.receivedAt,
    dueAt: facts.dueAt,
    dueSoonAt: facts.dueSoonAt,
    overdue: facts.overdue,
    dueSoon: facts.dueSoon,
    paused: facts.paused,
    lateSince: facts.lateSince,
    promisedAt: facts.promisedAt,
    extension:
      d.extendedDueAt === null
        ? null
        : {
            previousDueAt: d.extensionPreviousDueAt,
            newDueAt: d.extendedDueAt,
            at: d.extendedAt,
            reason: d.extensionReason,
          },
    verdict: facts.verdict,
    slaSequence: facts.slaSequence,
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
    stepRuns: facts.stepRuns.map((r) => ({
      runNo: r.runNo,
      stepId: r.stepId,
      unitCode: r.unitCode,
      staffId: r.staffId,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      dueAt: r.dueAt,
      late: r.late,
      overdue: r.overdue,
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
