import { z } from "zod";
import { defineEvent } from "./envelope.js";
import { DossierCode, Instant, isLater, StaffId, StepId, UnitCode, WorkingMinutes } from "./formats.js";

/**
 * Version 1 of the deadline monitor's events, kept so that the history on `sla.events` stays
 * readable: `upcastSlaV1` (sla-upcast.ts) turns each into its current version. Producers write the
 * current versions (sla-events.ts).
 */

/** One step's deadline (NgayKetThucTheoQuyDinh): when the step must end for its unit not to be at fault. */
export const StepDeadlineV1 = z
  .object({
    stepId: StepId,
    unitCode: UnitCode,
    startsAt: Instant.nullable().meta({ description: "When the step started (NgayBatDau); null if not yet" }),
    dueAt: Instant.meta({ description: "When the step must end (NgayKetThucTheoQuyDinh)" }),
  })
  .meta({ description: "Deadline of one step of the dossier's process" });
export type StepDeadlineV1 = z.infer<typeof StepDeadlineV1>;

/**
 * The deadline an alert is about: the dossier's own due instant, or a step's. An alert is raised once
 * per dossier and deadline (`alertKey`); a deadline that moves is a new deadline.
 */
export const DeadlineRefV1 = z
  .object({
    kind: z.enum(["dossier", "step"]),
    stepId: StepId.nullable().meta({ description: "The step, for a step deadline; null for the dossier's" }),
    unitCode: UnitCode.meta({ description: "The unit that must meet the deadline" }),
    dueAt: Instant,
  })
  .refine((d) => (d.kind === "step") === (d.stepId !== null), {
    message: "stepId is set for a step deadline and only then",
    path: ["stepId"],
  })
  .meta({ description: "The deadline an alert is about" });
export type DeadlineRefV1 = z.infer<typeof DeadlineRefV1>;

/** Which calendar version of a year a computation used (a recomputation must use the same). */
export const CalendarVersionRef = z.object({
  year: z.int().min(2000).max(2100),
  version: z.int().positive(),
});
export type CalendarVersionRef = z.infer<typeof CalendarVersionRef>;

/** The due instant of a dossier was set or moved, and the deadline of each step. */
export const SlaDeadlineSetPayloadV1 = z
  .object({
    dossierCode: DossierCode,
    dueAt: Instant.meta({ description: "Due instant of the dossier (NgayHenTra) by the statutory time" }),
    dueSoonAt: Instant.meta({ description: "When the due-soon warning is raised" }),
    previousDueAt: Instant.nullable().meta({
      description: "The due instant before this change; null at first",
    }),
    reason: z.enum(["received", "resumed", "reset", "step-changed", "calendar-changed", "corrected"]).meta({
      description:
        "Why it was set: received (first), resumed (after a paused supplement or payment), reset (supplement " +
        "under the reset rule), step-changed (step deadlines redistributed), calendar-changed, corrected",
    }),
    explanation: z.string().min(1).nullable(),
    clockStartsAt: Instant,
    statutoryMinutes: WorkingMinutes.meta({ description: "Statutory time in working minutes" }),
    pausedMinutes: WorkingMinutes.meta({
      description: "Working minutes paused so far (the applicant's time)",
    }),
    steps: z.array(StepDeadlineV1),
    calendarVersions: z.array(CalendarVersionRef).min(1),
  })
  .refine((p) => !isLater(p.dueSoonAt, p.dueAt), {
    message: "dueSoonAt must not be after dueAt",
    path: ["dueSoonAt"],
  })
  .meta({ description: "The dossier's due instant and its steps' deadlines" });
export type SlaDeadlineSetPayloadV1 = z.infer<typeof SlaDeadlineSetPayloadV1>;

export const slaDeadlineSetV1 = defineEvent({
  type: "sla.deadline-set",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description: "The due instant of a dossier, and the deadline of each step, was set or moved.",
  payload: SlaDeadlineSetPayloadV1,
});

const alertFields = {
  dossierCode: DossierCode,
  deadline: DeadlineRefV1,
  assigneeStaffId: StaffId.nullable().meta({ description: "Who holds the dossier now, if assigned" }),
};

/** A deadline is near: raised once per dossier and deadline. */
export const SlaDueSoonPayloadV1 = z
  .object({
    ...alertFields,
    remainingMinutes: WorkingMinutes.meta({ description: "Working minutes left before the deadline" }),
  })
  .meta({ description: "A deadline is near" });
export type SlaDueSoonPayloadV1 = z.infer<typeof SlaDueSoonPayloadV1>;

export const slaDueSoonV1 = defineEvent({
  type: "sla.due-soon",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description: "A deadline of an open dossier is near. Once per dossier and deadline.",
  payload: SlaDueSoonPayloadV1,
});

/** A deadline passed with the dossier (or step) still open: raised once per dossier and deadline. */
export const SlaOverduePayloadV1 = z
  .object({
    ...alertFields,
  })
  .meta({ description: "A deadline passed with the dossier or step still open" });
export type SlaOverduePayloadV1 = z.infer<typeof SlaOverduePayloadV1>;

export const slaOverdueV1 = defineEvent({
  type: "sla.overdue",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "A deadline passed with the dossier or step still open (overdue). occurredAt is the deadline; once per dossier and deadline.",
  payload: SlaOverduePayloadV1,
});

/** A step that ended after its deadline, and so the unit at fault for it. */
export const LateStepV1 = z.object({
  stepId: StepId,
  unitCode: UnitCode,
  dueAt: Instant,
  endedAt: Instant,
  overMinutes: WorkingMinutes.meta({ description: "Working minutes past the step's deadline" }),
});
export type LateStepV1 = z.infer<typeof LateStepV1>;

/**
 * The verdict on a finished dossier (resolved, or stopped): `early` if the effective end falls on a
 * day before the due day, `on_time` if on the due day and not after the due instant, `late`
 * otherwise. Judged against the original due instant, even after an extension.
 */
export const SlaVerdictPayloadV1 = z
  .object({
    dossierCode: DossierCode,
    verdict: z.enum(["early", "on_time", "late"]),
    endKind: z.enum(["resolved", "stopped"]),
    endedAt: Instant.meta({ description: "Actual end (NgayKetThucXuLy)" }),
    effectiveEndAt: Instant.meta({
      description: "End minus the applicant's paused time, the instant judged",
    }),
    dueAt: Instant.meta({ description: "The original due instant (NgayHenTra), the one the verdict uses" }),
    usedMinutes: WorkingMinutes.meta({ description: "Working time used, pauses excluded" }),
    statutoryMinutes: WorkingMinutes,
    pausedMinutes: WorkingMinutes,
    unitAtFaultCode: UnitCode.nullable().meta({ description: "The unit whose step ran over; null if none" }),
    lateSteps: z.array(LateStepV1),
    reason: z.string().min(1).meta({ description: "The verdict in words, for the list behind a figure" }),
    secondSupplement: z
      .boolean()
      .meta({ description: "A second supplement request was made: late under the 766 rules" }),
    extendedDueAt: Instant.nullable().meta({
      description: "New promised date of an extension (NgayHenTraMoi)",
    }),
    extensionPromiseKept: z.boolean().nullable().meta({
      description: "Whether the dossier ended by the extension's new date; null without an extension",
    }),
  })
  .refine((p) => (p.extendedDueAt === null) === (p.extensionPromiseKept === null), {
    message: "extensionPromiseKept is set exactly when there was an extension",
    path: ["extensionPromiseKept"],
  })
  .meta({ description: "The verdict on a finished dossier" });
export type SlaVerdictPayloadV1 = z.infer<typeof SlaVerdictPayloadV1>;

export const slaVerdictV1 = defineEvent({
  type: "sla.verdict",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "The verdict on a finished dossier: early, on_time or late, with the reason and the unit at fault.",
  payload: SlaVerdictPayloadV1,
});

export type SlaDeadlineSetV1 = z.infer<typeof slaDeadlineSetV1.schema>;
export type SlaDueSoonV1 = z.infer<typeof slaDueSoonV1.schema>;
export type SlaOverdueV1 = z.infer<typeof slaOverdueV1.schema>;
export type SlaVerdictV1 = z.infer<typeof slaVerdictV1.schema>;
