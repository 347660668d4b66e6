import type { EventFields } from "../src/create-event.js";
import type { EventType } from "../src/registry.js";

/**
 * One valid event of each type, following docs/domain.md worked example 2: a 15-working-day procedure
 * received at Phường Việt Trì (H44.100) on Mon 04/05/2026 10:00, due Mon 25/05/2026 10:00; a supplement
 * requested Tue 12/05 and supplied Tue 19/05 moves the due instant to Mon 01/06/2026 10:00; resolved
 * Fri 29/05: early.
 */

export const dossierId = "0f8e6c1e-4b7a-4c2d-9e3f-1a2b3c4d5e6f";
export const dossierCode = "000.00.100.H44-260504-0007";
export const fixedNow = new Date("2026-05-04T03:00:05.000Z");
export const fixedId = "7d0c2b8a-3f4e-4a6b-8c9d-0e1f2a3b4c5d";

const actor = { staffId: "staff-0042", unitCode: "H44.100", roles: ["reception" as const] };
const system = { dossierId, unitCode: "H44.100", correlationId: "req-8f2c" };
const common = { ...system, actor };

const steps = [
  {
    id: "reception",
    name: "Tiếp nhận",
    unitRole: "receiving",
    unitCode: "H44.100",
    budget: { amount: 0.5, unit: "days" },
  },
  {
    id: "review",
    name: "Thẩm định",
    unitRole: "handling",
    unitCode: "H44.100",
    budget: { amount: 12, unit: "days" },
  },
  {
    id: "approval",
    name: "Phê duyệt",
    unitRole: "deciding",
    unitCode: "H44.100",
    budget: { amount: 2.5, unit: "days" },
  },
] as const;

/** The runs of worked example 2 (every step in H44.100), as sla.deadline-set v2 gives them. */
const stepRuns = [
  {
    runNo: 1,
    stepId: "reception",
    unitCode: "H44.100",
    startedAt: "2026-05-04T10:00:00+07:00",
    endedAt: "2026-05-04T14:00:00+07:00",
    dueAt: "2026-05-04T15:15:00+07:00",
    budgetMinutes: 225,
    staffId: "staff-0042",
    late: false,
    overMinutes: 0,
  },
  {
    runNo: 2,
    stepId: "review",
    unitCode: "H44.100",
    startedAt: "2026-05-04T14:00:00+07:00",
    endedAt: null,
    dueAt: "2026-05-27T15:15:00+07:00",
    budgetMinutes: 5400,
    staffId: "staff-0107",
    late: false,
    overMinutes: 0,
  },
];

const stepDeadlines = [
  {
    stepId: "reception",
    unitCode: "H44.100",
    startsAt: "2026-05-04T10:00:00+07:00",
    dueAt: "2026-05-04T15:15:00+07:00",
  },
  { stepId: "review", unitCode: "H44.100", startsAt: null, dueAt: "2026-05-27T15:15:00+07:00" },
  { stepId: "approval", unitCode: "H44.100", startsAt: null, dueAt: "2026-06-01T10:00:00+07:00" },
];

export const samples: { readonly [T in EventType]: EventFields<T> } = {
  "dossier.submitted": {
    ...system,
    occurredAt: "2026-05-03T21:14:00+07:00",
    payload: {
      procedureCode: "1.001234",
      submittedAt: "2026-05-03T21:14:00+07:00",
      portalRef: "G22.99-260503-1234",
      field: "Hộ tịch",
      channel: "online",
      onlineServiceLevel: "full",
    },
  },
  "dossier.submission-refused": {
    ...common,
    payload: {
      procedureCode: "1.001234",
      submittedAt: "2026-05-03T21:14:00+07:00",
      portalRef: null,
      refusedAt: "2026-05-04T09:00:00+07:00",
      reasons: ["Thủ tục không thuộc thẩm quyền giải quyết của đơn vị"],
    },
  },
  "dossier.submission-supplement-requested": {
    ...common,
    payload: {
      procedureCode: "1.001234",
      submittedAt: "2026-05-03T21:14:00+07:00",
      portalRef: null,
      requestNumber: 1,
      missingItems: ["Bản sao giấy khai sinh"],
      reason: "Thiếu thành phần hồ sơ",
      supplyBy: null,
    },
  },
  "dossier.submission-supplement-received": {
    ...system,
    payload: {
      procedureCode: "1.001234",
      requestNumber: 1,
      requestedAt: "2026-05-04T09:00:00+07:00",
      suppliedAt: "2026-05-04T09:40:00+07:00",
    },
  },
  "dossier.submission-stopped": {
    ...system,
    payload: { procedureCode: "1.001234", reason: "supplement-lapsed", explanation: "Quá hạn bổ sung" },
  },
  "dossier.received": {
    ...common,
    occurredAt: "2026-05-04T10:00:00+07:00",
    payload: {
      dossierCode,
      procedureCode: "1.001234",
      procedureName: "Đăng ký kết hôn có yếu tố nước ngoài",
      field: "Hộ tịch",
      channel: "direct",
      receivingUnitCode: "H44.100",
      submittedAt: "2026-05-04T10:00:00+07:00",
      receivedAt: "2026-05-04T10:00:00+07:00",
      clockStartsAt: "2026-05-04T10:00:00+07:00",
      dueAt: "2026-05-25T10:00:00+07:00",
      statutoryTime: { amount: 15, unit: "days" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: null,
      steps: [...steps],
      onlineServiceLevel: "partial",
      requestedReturnChannel: "counter",
      procedureRevision: 3,
    },
  },
  "dossier.assigned": {
    ...common,
    payload: {
      dossierCode,
      stepId: "review",
      assigneeStaffId: "staff-0107",
      assigneeName: "Trần Thị B",
      previousAssigneeStaffId: null,
    },
  },
  "dossier.transferred": {
    ...common,
    payload: {
      dossierCode,
      fromStepId: "review",
      toStepId: "approval",
      fromUnitCode: "H44.100",
      toUnitCode: "H44.100",
      assigneeStaffId: null,
      note: null,
    },
  },
  "dossier.supplement-requested": {
    ...common,
    occurredAt: "2026-05-12T10:00:00+07:00",
    payload: {
      dossierCode,
      requestNumber: 1,
      missingItems: ["Giấy xác nhận tình trạng hôn nhân"],
      reason: "Hồ sơ chưa đầy đủ",
      supplementRule: "pause",
      stepId: "review",
      supplyBy: "2026-05-26T17:00:00+07:00",
    },
  },
  "dossier.supplement-received": {
    ...common,
    occurredAt: "2026-05-19T10:00:00+07:00",
    payload: {
      dossierCode,
      requestNumber: 1,
      requestedAt: "2026-05-12T10:00:00+07:00",
      suppliedAt: "2026-05-19T10:00:00+07:00",
      supplementRule: "pause",
      stepId: "review",
    },
  },
  "dossier.payment-requested": {
    ...common,
    payload: {
      dossierCode,
      obligations: [{ kind: "charge", description: "Lệ phí đăng ký kết hôn", amountVnd: 1_000_000 }],
      payBy: null,
    },
  },
  "dossier.payment-received": {
    ...common,
    payload: {
      dossierCode,
      requestedAt: "2026-05-20T08:00:00+07:00",
      paidAt: "2026-05-20T09:30:00+07:00",
      amountVnd: 1_000_000,
      method: "online",
    },
  },
  "dossier.stopped": {
    ...common,
    payload: {
      dossierCode,
      reason: "withdrawn",
      fromState: "withdrawal_requested",
      explanation: "Công dân rút hồ sơ",
      stopNoticeRef: null,
    },
  },
  "dossier.extended": {
    ...common,
    payload: {
      dossierCode,
      previousDueAt: "2026-06-01T10:00:00+07:00",
      newDueAt: "2026-06-05T10:00:00+07:00",
      reason: "Chờ kết quả xác minh của cơ quan phối hợp",
      faultUnitCode: "H44.100",
      apologyLetterRef: "12/XL-UBND",
    },
  },
  "dossier.resolved": {
    ...common,
    occurredAt: "2026-05-29T14:00:00+07:00",
    payload: {
      dossierCode,
      outcome: "approved",
      resolvedAt: "2026-05-29T14:00:00+07:00",
      refusalReasons: [],
      decisionRef: "45/GCNKH",
      electronicResult: true,
    },
  },
  "dossier.returned": {
    ...common,
    payload: { dossierCode, returnChannel: "counter", returnedAt: "2026-05-29T15:00:00+07:00" },
  },
  "dossier.withdrawal-requested": {
    ...common,
    payload: {
      dossierCode,
      fromState: "processing",
      requestedAt: "2026-05-13T08:00:00+07:00",
      reason: null,
    },
  },
  "sla.deadline-set": {
    ...system,
    payload: {
      dossierCode,
      sequence: 3,
      reason: "resumed",
      explanation: "Supplement 12/05 10:00 – 19/05 10:00 paused 5 working days",
      receivingUnitCode: "H44.100",
      competentUnitCode: "H44.100",
      holdingUnitCode: "H44.100",
      clockBasis: "acceptance",
      clockStartsAt: "2026-05-04T10:00:00+07:00",
      dueAt: "2026-06-01T10:00:00+07:00",
      dueSoonAt: "2026-05-29T10:00:00+07:00",
      previousDueAt: null,
      paused: false,
      lateSince: null,
      promisedAt: null,
      statutoryMinutes: 6750,
      pausedMinutes: 2250,
      steps: stepRuns,
      calendarVersions: [{ year: 2026, version: 2 }],
    },
  },
  "sla.due-soon": {
    ...system,
    payload: {
      dossierCode,
      deadline: { kind: "dossier", stepId: null, unitCode: "H44.100", dueAt: "2026-06-01T10:00:00+07:00" },
      assigneeStaffId: "staff-0107",
      remainingMinutes: 1260,
    },
  },
  "sla.overdue": {
    ...system,
    payload: {
      dossierCode,
      deadline: { kind: "step", stepId: "review", unitCode: "H44.100", dueAt: "2026-05-27T15:15:00+07:00" },
      assigneeStaffId: "staff-0107",
    },
  },
  "sla.verdict": {
    ...system,
    payload: {
      dossierCode,
      sequence: 4,
      receivingUnitCode: "H44.100",
      competentUnitCode: "H44.100",
      verdict: "early",
      endKind: "resolved",
      endedAt: "2026-05-29T14:00:00+07:00",
      effectiveEndAt: "2026-05-22T14:00:00+07:00",
      dueAt: "2026-06-01T10:00:00+07:00",
      usedMinutes: 6420,
      statutoryMinutes: 6750,
      pausedMinutes: 2250,
      unitAtFaultCode: null,
      steps: stepRuns,
      reason: "Resolved Fri 29/05/2026, a working day before the due day Mon 01/06/2026",
      secondSupplement: false,
      lateSince: null,
      extendedDueAt: null,
      extensionPromiseKept: null,
    },
  },
  "sla.acceptance-deadline-set": {
    ...system,
    occurredAt: "2026-05-03T21:14:00+07:00",
    payload: {
      procedureCode: "1.001234",
      receivingUnitCode: "H44.100",
      submittedAt: "2026-05-03T21:14:00+07:00",
      sequence: 1,
      reason: "submitted",
      waitingSince: "2026-05-04T07:30:00+07:00",
      dueAt: "2026-05-04T17:00:00+07:00",
      dueSoonAt: "2026-05-04T15:15:00+07:00",
      acceptanceMinutes: 480,
    },
  },
  "sla.acceptance-verdict": {
    ...system,
    occurredAt: "2026-05-04T10:00:00+07:00",
    payload: {
      procedureCode: "1.001234",
      receivingUnitCode: "H44.100",
      submittedAt: "2026-05-03T21:14:00+07:00",
      sequence: 2,
      outcome: "accepted",
      decidedAt: "2026-05-04T10:00:00+07:00",
      dueAt: "2026-05-04T17:00:00+07:00",
      verdict: "on_time",
      usedMinutes: 150,
      reason:
        "On time: accepted Mon 04/05/2026 10:00, not after the acceptance deadline Mon 04/05/2026 17:00",
    },
  },
};

/** Version 1 of the monitor's events, as the history on sla.events holds them (sla-upcast.ts). */
export const samplesV1 = {
  "sla.deadline-set": {
    ...system,
    payload: {
      dossierCode,
      dueAt: "2026-06-01T10:00:00+07:00",
      dueSoonAt: "2026-05-29T10:00:00+07:00",
      previousDueAt: "2026-05-25T10:00:00+07:00",
      reason: "resumed",
      explanation: "Supplement 12/05 10:00 – 19/05 10:00 paused 5 working days",
      clockStartsAt: "2026-05-04T10:00:00+07:00",
      statutoryMinutes: 6750,
      pausedMinutes: 2250,
      steps: stepDeadlines,
      calendarVersions: [{ year: 2026, version: 2 }],
    },
  },
  "sla.due-soon": {
    ...system,
    payload: {
      dossierCode,
      deadline: { kind: "dossier", stepId: null, unitCode: "H44.100", dueAt: "2026-06-01T10:00:00+07:00" },
      assigneeStaffId: "staff-0107",
      remainingMinutes: 1260,
    },
  },
  "sla.overdue": {
    ...system,
    payload: {
      dossierCode,
      deadline: { kind: "step", stepId: "review", unitCode: "H44.100", dueAt: "2026-05-27T15:15:00+07:00" },
      assigneeStaffId: "staff-0107",
    },
  },
  "sla.verdict": {
    ...system,
    payload: {
      dossierCode,
      verdict: "early",
      endKind: "resolved",
      endedAt: "2026-05-29T14:00:00+07:00",
      effectiveEndAt: "2026-05-22T14:00:00+07:00",
      dueAt: "2026-06-01T10:00:00+07:00",
      usedMinutes: 6420,
      statutoryMinutes: 6750,
      pausedMinutes: 2250,
      unitAtFaultCode: null,
      lateSteps: [],
      reason: "Resolved Fri 29/05/2026, a working day before the due day Mon 01/06/2026",
      secondSupplement: false,
      extendedDueAt: null,
      extensionPromiseKept: null,
    },
  },
} as const;
