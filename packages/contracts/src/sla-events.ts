import { z } from "zod";
import { defineEvent } from "./envelope.js";
import {
  DossierCode,
  Instant,
  isLater,
  ProcedureCode,
  StaffId,
  StepId,
  UnitCode,
  WorkingMinutes,
} from "./formats.js";
import { ClockBasis } from "./procedure-terms.js";
import { CalendarVersionRef } from "./sla-events-v1.js";

/**
 * Events of the deadline monitor, on `sla.events`. The monitor is the one owner of every deadline
 * (docs/domain.md, "One owner of the clock"): it decides a dossier's due instant and each step's
 * deadline once the dossier is received, and an online submission's acceptance deadline before, and
 * publishes every change. Processing and statistics take these instants as written and never
 * compute their own. No actor: the monitor acts on its own.
 *
 * Each dossier's events carry a `sequence` that grows with every deadline or verdict the monitor
 * writes for it: a reader keeps the highest it has seen, so a duplicate or a late delivery of an
 * older one changes nothing.
 */

export { CalendarVersionRef };

const sequence = {
  sequence: z.int().nonnegative().meta({
    description:
      "Grows with each deadline or verdict the monitor writes for this dossier; readers keep the highest. 0 for events upcast from version 1",
  }),
};

/** One run of a step (NgayBatDau → NgayKetThucTheoQuyDinh), in the working time of the unit holding it. */
export const StepRunDeadline = z
  .object({
    runNo: z.int().positive().meta({ description: "1-based position of the run in time order" }),
    stepId: StepId,
    unitCode: UnitCode.meta({ description: "The unit that held the step in this run (after transfers)" }),
    startedAt: Instant.meta({ description: "When the run started (NgayBatDau)" }),
    endedAt: Instant.nullable().meta({ description: "When the run ended; null while it is open" }),
    dueAt: Instant.nullable().meta({
      description:
        "The run's deadline (NgayKetThucTheoQuyDinh); null while a pause that began before it is open",
    }),
    budgetMinutes: WorkingMinutes.meta({ description: "The step's budget left when the run started" }),
    staffId: StaffId.nullable().meta({
      description:
        "The staff member holding the dossier at the run's end, or now for an open run (NguoiXuLy)",
    }),
    late: z.boolean().meta({ description: "The run ended after its deadline (false while open)" }),
    overMinutes: WorkingMinutes.meta({ description: "Working minutes past the deadline at the run's end" }),
  })
  .meta({ description: "The deadline of one run of one step" });
export type StepRunDeadline = z.infer<typeof StepRunDeadline>;

const units = {
  receivingUnitCode: UnitCode.meta({ description: "The one-stop centre that received it" }),
  competentUnitCode: UnitCode.meta({
    description: "The unit whose procedure it is and that decides it (scored by the 766 index)",
  }),
};

/** Why a dossier's deadlines were (re)set. */
export const DeadlineSetReason = z
  .enum([
    "received",
    "paused",
    "resumed",
    "reset",
    "extended",
    "transferred",
    "calendar-changed",
    "corrected",
  ])
  .meta({ description: "What moved the deadlines" });
export type DeadlineSetReason = z.infer<typeof DeadlineSetReason>;

/** A dossier's due instant and every step run's deadline, after each change of its clock. */
export const SlaDeadlineSetPayload = z
  .object({
    dossierCode: DossierCode,
    ...sequence,
    reason: DeadlineSetReason,
    explanation: z.string().min(1).nullable(),
    ...units,
    holdingUnitCode: UnitCode.meta({ description: "The unit holding the dossier now (DonViXuLy)" }),
    clockBasis: ClockBasis,
    clockStartsAt: Instant.meta({ description: "Where counting (re)started" }),
    dueAt: Instant.nullable().meta({
      description: "Due instant (NgayHenTra); null while a pause that began before it is open",
    }),
    dueSoonAt: Instant.nullable().meta({ description: "When the due-soon warning comes; null with dueAt" }),
    previousDueAt: Instant.nullable().meta({ description: "The due instant before this change" }),
    paused: z.boolean().meta({ description: "The applicant's time is running (supplement or payment)" }),
    lateSince: Instant.nullable().meta({
      description:
        "The due instant that had passed before the applicant's time began: late whatever a supplement does",
    }),
    promisedAt: Instant.nullable().meta({
      description: "The new date of an extension with apology (NgayHenTraMoi); null without one",
    }),
    statutoryMinutes: WorkingMinutes.meta({ description: "Statutory time in working minutes" }),
    pausedMinutes: WorkingMinutes.meta({
      description: "Working minutes paused so far (the applicant's time)",
    }),
    steps: z.array(StepRunDeadline).meta({ description: "Every run of every step so far, in time order" }),
    calendarVersions: z.array(CalendarVersionRef).min(1),
  })
  .refine((p) => p.dueAt === null || p.dueSoonAt === null || !isLater(p.dueSoonAt, p.dueAt), {
    message: "dueSoonAt must not be after dueAt",
    path: ["dueSoonAt"],
  })
  .meta({ description: "The dossier's due instant and its steps' deadlines" });
export type SlaDeadlineSetPayload = z.infer<typeof SlaDeadlineSetPayload>;

export const slaDeadlineSetV2 = defineEvent({
  type: "sla.deadline-set",
  version: 2,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "The due instant of a dossier and the deadline of each step run, after reception and after each pause, resumption, reset, extension and transfer.",
  payload: SlaDeadlineSetPayload,
});

/**
 * The deadline an alert is about: the dossier's due instant, a step's, or the centre's deadline to
 * accept an online submission. An alert is raised once per dossier and deadline (`alertKey`).
 */
export const DeadlineRef = z
  .object({
    kind: z.enum(["dossier", "step", "acceptance"]),
    stepId: StepId.nullable().meta({ description: "The step, for a step deadline; null otherwise" }),
    unitCode: UnitCode.meta({ description: "The unit that must meet the deadline" }),
    dueAt: Instant,
  })
  .refine((d) => (d.kind === "step") === (d.stepId !== null), {
    message: "stepId is set for a step deadline and only then",
    path: ["stepId"],
  })
  .meta({ description: "The deadline an alert is about" });
export type DeadlineRef = z.infer<typeof DeadlineRef>;

const alertFields = {
  dossierCode: DossierCode.nullable().meta({
    description: "The dossier code; null for an online submission not yet accepted",
  }),
  deadline: DeadlineRef,
  assigneeStaffId: StaffId.nullable().meta({ description: "Who holds the dossier now, if assigned" }),
};

/** A deadline is near: raised once per dossier and deadline. */
export const SlaDueSoonPayload = z
  .object({
    ...alertFields,
    remainingMinutes: WorkingMinutes.meta({ description: "Working minutes left before the deadline" }),
  })
  .meta({ description: "A deadline is near" });
export type SlaDueSoonPayload = z.infer<typeof SlaDueSoonPayload>;

export const slaDueSoonV2 = defineEvent({
  type: "sla.due-soon",
  version: 2,
  topic: "sla.events",
  producer: "deadline-monitor",
  description: "A deadline of an open dossier or submission is near. Once per dossier and deadline.",
  payload: SlaDueSoonPayload,
});

/** A deadline passed with the dossier, step or submission still open: once per dossier and deadline. */
export const SlaOverduePayload = z
  .object({ ...alertFields })
  .meta({ description: "A deadline passed with the dossier, step or submission still open" });
export type SlaOverduePayload = z.infer<typeof SlaOverduePayload>;

export const slaOverdueV2 = defineEvent({
  type: "sla.overdue",
  version: 2,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "A deadline passed with the dossier, step or submission still open. occurredAt is the deadline; once per dossier and deadline.",
  payload: SlaOverduePayload,
});

/**
 * The verdict on a finished dossier (resolved, or stopped): `early` if the effective end falls on a
 * day before the due day, `on_time` if on the due day and not after the due instant, `late`
 * otherwise; judged against the original due instant, even after an extension.
 */
export const SlaVerdictPayload = z
  .object({
    dossierCode: DossierCode,
    ...sequence,
    ...units,
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
    unitAtFaultCode: UnitCode.nullable().meta({
      description: "The unit whose steps ran over the most; null when none did",
    }),
    steps: z.array(StepRunDeadline).meta({ description: "Every step run, ended, with its deadline" }),
    reason: z.string().min(1).meta({ description: "The verdict in words, for the list behind a figure" }),
    secondSupplement: z
      .boolean()
      .meta({ description: "A second supplement request: late under the 766 rules" }),
    lateSince: Instant.nullable().meta({
      description: "The due instant had passed before a supplement or payment was requested",
    }),
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
export type SlaVerdictPayload = z.infer<typeof SlaVerdictPayload>;

export const slaVerdictV2 = defineEvent({
  type: "sla.verdict",
  version: 2,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "The verdict on a finished dossier: early, on_time or late, with the reason, each step run and the unit at fault.",
  payload: SlaVerdictPayload,
});

const submission = {
  procedureCode: ProcedureCode,
  receivingUnitCode: UnitCode.meta({ description: "The centre that must accept or refuse" }),
  submittedAt: Instant.meta({ description: "When the applicant submitted online (NgayNopHoSo)" }),
};

/**
 * The centre's deadline to accept or refuse an online submission (state 1), set when it arrives
 * and set again when the applicant supplies what was missing before acceptance; while the
 * submission waits for the applicant (state 5) the centre's clock does not run.
 */
export const SlaAcceptanceDeadlineSetPayload = z
  .object({
    ...submission,
    ...sequence,
    reason: z.enum(["submitted", "supplement-requested", "supplement-received"]),
    waitingSince: Instant.meta({ description: "From when the centre's time counts" }),
    dueAt: Instant.nullable().meta({
      description: "Acceptance deadline; null while the applicant must supply",
    }),
    dueSoonAt: Instant.nullable(),
    acceptanceMinutes: WorkingMinutes.meta({
      description: "The centre's acceptance time in working minutes",
    }),
  })
  .meta({ description: "The deadline to accept or refuse an online submission" });
export type SlaAcceptanceDeadlineSetPayload = z.infer<typeof SlaAcceptanceDeadlineSetPayload>;

export const slaAcceptanceDeadlineSetV1 = defineEvent({
  type: "sla.acceptance-deadline-set",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "The centre's deadline to accept or refuse an online submission, set on arrival and after a supplement before acceptance.",
  payload: SlaAcceptanceDeadlineSetPayload,
});

/** How the wait for acceptance ended, judged against the acceptance deadline. */
export const SlaAcceptanceVerdictPayload = z
  .object({
    ...submission,
    ...sequence,
    outcome: z.enum(["accepted", "refused", "stopped"]),
    decidedAt: Instant.meta({ description: "When the centre accepted or refused, or the submission closed" }),
    dueAt: Instant.nullable().meta({ description: "The acceptance deadline; null if it was not running" }),
    verdict: z.enum(["early", "on_time", "late"]).nullable().meta({
      description:
        "Against the acceptance deadline; null for a submission the applicant closed while waiting",
    }),
    usedMinutes: WorkingMinutes.meta({ description: "The centre's working time used" }),
    reason: z.string().min(1),
  })
  .meta({ description: "The end of the wait for acceptance, judged" });
export type SlaAcceptanceVerdictPayload = z.infer<typeof SlaAcceptanceVerdictPayload>;

export const slaAcceptanceVerdictV1 = defineEvent({
  type: "sla.acceptance-verdict",
  version: 1,
  topic: "sla.events",
  producer: "deadline-monitor",
  description:
    "An online submission was accepted, refused or closed: the centre's acceptance time judged early, on time or late.",
  payload: SlaAcceptanceVerdictPayload,
});

export type SlaDeadlineSet = z.infer<typeof slaDeadlineSetV2.schema>;
export type SlaDueSoon = z.infer<typeof slaDueSoonV2.schema>;
export type SlaOverdue = z.infer<typeof slaOverdueV2.schema>;
export type SlaVerdict = z.infer<typeof slaVerdictV2.schema>;
export type SlaAcceptanceDeadlineSet = z.infer<typeof slaAcceptanceDeadlineSetV1.schema>;
export type SlaAcceptanceVerdict = z.infer<typeof slaAcceptanceVerdictV1.schema>;

/** The key that makes an alert once per dossier and deadline (same instant written differently, same key). */
export function alertKey(dossierId: string, deadline: DeadlineRef): string {
  return [dossierId, deadline.kind, deadline.stepId ?? "-", new Date(deadline.dueAt).toISOString()].join("|");
}
