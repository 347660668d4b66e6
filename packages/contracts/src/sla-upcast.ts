import type { SlaDeadlineSet, SlaDueSoon, SlaOverdue, SlaVerdict, StepRunDeadline } from "./sla-events.js";
import type { SlaDeadlineSetV1, SlaDueSoonV1, SlaOverdueV1, SlaVerdictV1 } from "./sla-events-v1.js";

/**
 * Version 1 of the monitor's events read as version 2, so that consumers handle one shape. What
 * version 1 did not record is filled as its readers then understood it: the unit named by the
 * envelope for every unit, the acceptance as the clock's basis, sequence 0 (older than any version 2
 * event of the same dossier), the step deadlines as runs with nothing known of their end.
 */

const reasonOf: Record<SlaDeadlineSetV1["payload"]["reason"], SlaDeadlineSet["payload"]["reason"]> = {
  received: "received",
  resumed: "resumed",
  reset: "reset",
  "step-changed": "transferred",
  "calendar-changed": "calendar-changed",
  corrected: "corrected",
};

export function upcastDeadlineSet(e: SlaDeadlineSetV1): SlaDeadlineSet {
  const p = e.payload;
  const steps: StepRunDeadline[] = p.steps.map((s, i) => ({
    runNo: i + 1,
    stepId: s.stepId,
    unitCode: s.unitCode,
    startedAt: s.startsAt ?? p.clockStartsAt,
    endedAt: null,
    dueAt: s.dueAt,
    budgetMinutes: 0,
    staffId: null,
    late: false,
    overMinutes: 0,
  }));
  return {
    ...e,
    version: 2,
    payload: {
      dossierCode: p.dossierCode,
      sequence: 0,
      reason: reasonOf[p.reason],
      explanation: p.explanation,
      receivingUnitCode: e.unitCode,
      competentUnitCode: e.unitCode,
      holdingUnitCode: e.unitCode,
      clockBasis: "acceptance",
      clockStartsAt: p.clockStartsAt,
      dueAt: p.dueAt,
      dueSoonAt: p.dueSoonAt,
      previousDueAt: p.previousDueAt,
      paused: false,
      lateSince: null,
      promisedAt: null,
      statutoryMinutes: p.statutoryMinutes,
      pausedMinutes: p.pausedMinutes,
      steps,
      calendarVersions: p.calendarVersions,
    },
  };
}

export function upcastDueSoon(e: SlaDueSoonV1): SlaDueSoon {
  return { ...e, version: 2 };
}

export function upcastOverdue(e: SlaOverdueV1): SlaOverdue {
  return { ...e, version: 2 };
}

export function upcastVerdict(e: SlaVerdictV1): SlaVerdict {
  const { lateSteps, ...p } = e.payload;
  return {
    ...e,
    version: 2,
    payload: {
      ...p,
      sequence: 0,
      receivingUnitCode: e.unitCode,
      competentUnitCode: e.unitCode,
      lateSince: null,
      steps: lateSteps.map((s, i) => ({
        runNo: i + 1,
        stepId: s.stepId,
        unitCode: s.unitCode,
        startedAt: s.dueAt,
        endedAt: s.endedAt,
        dueAt: s.dueAt,
        budgetMinutes: 0,
        staffId: null,
        late: true,
        overMinutes: s.overMinutes,
      })),
    },
  };
}
