import {
  DossierCode,
  DossierId,
  DossierState,
  DossierStep,
  EventId,
  examples,
  Instant,
  nationalStatusCode,
  ProcedureCode,
  ReturnChannel,
  StaffId,
  StepId,
  SupplementRule,
  UnitCode,
} from "@tthc/contracts";
import { z } from "zod";
import { deadlineFacts } from "../domain/deadline-facts.js";
import type { Dossier, TimelineEntry } from "../domain/dossier.js";
import type { SlaRecord } from "../domain/sla.js";
import { actions, allowedActions } from "../domain/transitions.js";

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

/* The answers' schemas: what `dossierView` and `timelineView` give. Instants are written in UTC. */

const utc = (instant: string) => new Date(instant).toISOString();
const receivedAt = utc(examples.dossier.receivedAt);
const assignedAt = "2026-03-10T02:40:00.000Z";
const dueAt = utc(examples.dossier.dueAt);
const unit = examples.unit.code;

const stepsExample = examples.steps.map((step) => ({ ...step, unitCode: unit }));

/** A dossier being examined at Phường Việt Trì, the morning after its reception. */
export const dossierExample = {
  id: examples.dossier.id,
  code: examples.dossier.code,
  procedureCode: examples.procedure.code,
  procedureName: examples.procedure.name,
  state: "processing",
  nationalStatusCode: 4,
  version: 2,
  receivingUnitCode: unit,
  competentUnitCode: unit,
  currentUnitCode: unit,
  assigneeStaffId: examples.staff.specialist,
  assigneeName: "Trần Thị Hương",
  currentStep: { id: "review", name: "Thẩm định hồ sơ", unitCode: unit },
  steps: stepsExample,
  receivedAt,
  dueAt,
  dueSoonAt: utc(examples.dossier.dueSoonAt),
  overdue: false,
  dueSoon: false,
  paused: false,
  lateSince: null,
  promisedAt: null,
  extension: null,
  verdict: null,
  slaSequence: 2,
  supplementRequests: 0,
  supplementRule: "pause",
  maxSupplementRequests: null,
  pausedAt: null,
  outcome: null,
  resolvedAt: null,
  returnChannel: null,
  returnedAt: null,
  stopReason: null,
  stoppedAt: null,
  updatedAt: assignedAt,
  allowedActions: [
    "assign",
    "transfer",
    "request-supplement",
    "request-payment",
    "extend",
    "resolve",
    "withdraw",
    "stop",
  ],
  stepRuns: [
    {
      runNo: 1,
      stepId: "receive",
      unitCode: unit,
      staffId: examples.staff.reception,
      startedAt: receivedAt,
      endedAt: assignedAt,
      dueAt: "2026-03-10T04:04:30.000Z",
      late: false,
      overdue: false,
    },
    {
      runNo: 2,
      stepId: "review",
      unitCode: unit,
      staffId: examples.staff.specialist,
      startedAt: assignedAt,
      endedAt: null,
      dueAt: "2026-03-12T08:34:30.000Z",
      late: false,
      overdue: false,
    },
  ],
};

const nullableInstant = Instant.nullable();

/** A dossier as every answer of processing shows it, with the actions its state allows. */
export const DossierView = z
  .object({
    id: DossierId,
    code: DossierCode,
    procedureCode: ProcedureCode,
    procedureName: z.string(),
    state: DossierState,
    nationalStatusCode: z.int().min(1).max(10).meta({ description: "TrangThaiHoSo, 1–10" }),
    version: z.int().min(1).meta({ description: "The `expectedVersion` of the next action" }),
    receivingUnitCode: UnitCode,
    competentUnitCode: UnitCode,
    currentUnitCode: UnitCode.meta({ description: "The unit holding the dossier now (DonViXuLy)" }),
    assigneeStaffId: StaffId.nullable(),
    assigneeName: z.string().nullable(),
    currentStep: z.object({ id: StepId, name: z.string(), unitCode: UnitCode }).nullable(),
    steps: z.array(DossierStep),
    receivedAt: Instant,
    dueAt: nullableInstant.meta({
      description: "Due instant (NgayHenTra); null while a pause that began before it is open",
    }),
    dueSoonAt: nullableInstant,
    overdue: z.boolean(),
    dueSoon: z.boolean(),
    paused: z.boolean(),
    lateSince: nullableInstant,
    promisedAt: nullableInstant.meta({ description: "The apology letter's new date, once extended" }),
    extension: z
      .object({
        previousDueAt: nullableInstant,
        newDueAt: Instant,
        at: nullableInstant,
        reason: z.string().nullable(),
      })
      .nullable(),
    verdict: z
      .object({
        verdict: z.enum(["early", "on_time", "late"]),
        reason: z.string(),
        effectiveEndAt: Instant,
        unitAtFaultCode: UnitCode.nullable(),
      })
      .nullable()
      .meta({ description: "The deadline monitor's verdict once the dossier is finished" }),
    slaSequence: z
      .int()
      .nullable()
      .meta({ description: "Sequence of the monitor's data shown; null before any" }),
    supplementRequests: z.int().min(0),
    supplementRule: SupplementRule,
    maxSupplementRequests: z.int().positive().nullable(),
    pausedAt: nullableInstant,
    outcome: z.enum(["approved", "refused"]).nullable(),
    resolvedAt: nullableInstant,
    returnChannel: ReturnChannel.nullable(),
    returnedAt: nullableInstant,
    stopReason: z.string().nullable(),
    stoppedAt: nullableInstant,
    updatedAt: Instant,
    allowedActions: z.array(z.enum(actions)),
    stepRuns: z.array(
      z.object({
        runNo: z.int().min(1),
        stepId: StepId,
        unitCode: UnitCode,
        staffId: StaffId.nullable(),
        startedAt: Instant,
        endedAt: nullableInstant,
        dueAt: nullableInstant.meta({ description: "The run's deadline, as the deadline monitor set it" }),
        late: z.boolean(),
        overdue: z.boolean(),
      }),
    ),
  })
  .meta({
    description: "A dossier, with its deadlines and the actions its state allows",
    examples: [dossierExample],
  });

/** One line of a dossier's timeline. */
export const TimelineLine = z.object({
  seq: z.int().min(1),
  eventId: EventId,
  type: z.string().meta({ description: "The event, e.g. dossier.assigned" }),
  occurredAt: Instant,
  staffId: StaffId.nullable(),
  unitCode: UnitCode,
  stateAfter: DossierState,
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

/** A dossier with its timeline, as `GET /v1/dossiers/{id}` answers. */
export const DossierWithTimeline = DossierView.extend({ timeline: z.array(TimelineLine) }).meta({
  description: "A dossier with its deadlines, steps and timeline",
  examples: [
    {
      ...dossierExample,
      timeline: [
        {
          seq: 1,
          eventId: "0b7d3c52-58a1-4f0e-9c2b-7e4f1a6d8c93",
          type: "dossier.received",
          occurredAt: receivedAt,
          staffId: examples.staff.reception,
          unitCode: unit,
          stateAfter: "received",
          note: null,
          details: { channel: "direct" },
        },
        {
          seq: 2,
          eventId: "9e2a6f14-3b8c-4d57-a1e0-5c6b7d8e9f02",
          type: "dossier.assigned",
          occurredAt: assignedAt,
          staffId: examples.staff.leader,
          unitCode: unit,
          stateAfter: "processing",
          note: null,
          details: { assigneeStaffId: examples.staff.specialist },
        },
      ],
    },
  ],
});
