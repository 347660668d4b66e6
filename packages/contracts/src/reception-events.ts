import { z } from "zod";
import { Channel, OnlineServiceLevel, ReturnChannel } from "./channels.js";
import { defineEvent } from "./envelope.js";
import { DossierCode, Instant, isLater, ProcedureCode, UnitCode } from "./formats.js";
import { noPersonalData } from "./personal-data.js";
import { ClockBasis, CutOff, DossierStep, StatutoryTime, SupplementRule } from "./procedure-terms.js";

/**
 * Events of the intake service: online submissions awaiting acceptance (states 1, 3, 5 and 8 before
 * reception) and the reception itself (state 2), the one event from which every service learns a
 * dossier. Submissions that are never accepted are recorded and published but never counted as
 * received. None of these payloads carries the applicant's personal data.
 */

const procedureFacts = {
  procedureCode: ProcedureCode,
  submittedAt: Instant.meta({ description: "When the applicant submitted online (NgayNopHoSo)" }),
  portalRef: z
    .string()
    .min(1)
    .nullable()
    .meta({ description: "The online portal's reference for the submission, if it gave one" }),
};

/** State 1 (Mới đăng ký): an online submission arrived and awaits acceptance. No clock runs. */
export const DossierSubmittedPayload = z
  .object({
    ...procedureFacts,
    field: z.string().min(1).meta({ description: "Field (lĩnh vực) of the procedure" }),
    channel: z.literal("online"),
    onlineServiceLevel: OnlineServiceLevel.nullable(),
    acceptanceTime: StatutoryTime.optional().meta({
      description:
        "The centre's deadline to accept or refuse, from the procedure at submission. Absent in older events: 8 working hours",
    }),
    ...noPersonalData,
  })
  .meta({ description: "An online submission awaiting acceptance (state 1)" });
export type DossierSubmittedPayload = z.infer<typeof DossierSubmittedPayload>;

export const dossierSubmittedV1 = defineEvent({
  type: "dossier.submitted",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description: "An online submission arrived and awaits acceptance (state 1, Mới đăng ký). No clock runs.",
  payload: DossierSubmittedPayload,
});

/** 1 → 3: the submission was refused at reception (form 03, Phiếu từ chối tiếp nhận). */
export const DossierSubmissionRefusedPayload = z
  .object({
    ...procedureFacts,
    refusedAt: Instant,
    reasons: z.array(z.string().min(1)).min(1).meta({ description: "Reasons given on form 03" }),
    ...noPersonalData,
  })
  .meta({ description: "A submission refused at reception (state 3, form 03)" });
export type DossierSubmissionRefusedPayload = z.infer<typeof DossierSubmissionRefusedPayload>;

export const dossierSubmissionRefusedV1 = defineEvent({
  type: "dossier.submission-refused",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description:
    "A submission was refused at reception (state 3, Không được tiếp nhận; form 03). Never counted as received.",
  payload: DossierSubmissionRefusedPayload,
});

/** 1 → 5: before acceptance, the applicant must complete the submission (form 02). */
export const DossierSubmissionSupplementRequestedPayload = z
  .object({
    ...procedureFacts,
    requestNumber: z
      .int()
      .positive()
      .meta({ description: "1 for the first request on this submission, then 2…" }),
    missingItems: z
      .array(z.string().min(1))
      .min(1)
      .meta({ description: "What is missing or must be corrected" }),
    reason: z.string().min(1),
    supplyBy: Instant.nullable().meta({ description: "Deadline for the applicant, if one was set" }),
    ...noPersonalData,
  })
  .meta({ description: "A supplement requested before acceptance (state 5, form 02)" });
export type DossierSubmissionSupplementRequestedPayload = z.infer<
  typeof DossierSubmissionSupplementRequestedPayload
>;

export const dossierSubmissionSupplementRequestedV1 = defineEvent({
  type: "dossier.submission-supplement-requested",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description:
    "Before acceptance, the applicant was asked to complete the submission (1 → 5, form 02). No clock runs.",
  payload: DossierSubmissionSupplementRequestedPayload,
});

/** 5 → 1: the applicant supplied what was missing; the submission awaits acceptance again. */
export const DossierSubmissionSupplementReceivedPayload = z
  .object({
    procedureCode: ProcedureCode,
    requestNumber: z.int().positive(),
    requestedAt: Instant,
    suppliedAt: Instant,
    ...noPersonalData,
  })
  .meta({ description: "A supplement supplied before acceptance (5 → 1)" });
export type DossierSubmissionSupplementReceivedPayload = z.infer<
  typeof DossierSubmissionSupplementReceivedPayload
>;

export const dossierSubmissionSupplementReceivedV1 = defineEvent({
  type: "dossier.submission-supplement-received",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description:
    "The applicant supplied what was missing before acceptance (5 → 1); the submission awaits acceptance.",
  payload: DossierSubmissionSupplementReceivedPayload,
});

/** 5 → 8 (or 1 → 8) before acceptance: the supplement deadline lapsed, or the applicant withdrew. */
export const DossierSubmissionStoppedPayload = z
  .object({
    procedureCode: ProcedureCode,
    reason: z.enum(["supplement-lapsed", "withdrawn"]),
    explanation: z.string().min(1),
    ...noPersonalData,
  })
  .meta({ description: "A submission closed before acceptance (state 8 without reception)" });
export type DossierSubmissionStoppedPayload = z.infer<typeof DossierSubmissionStoppedPayload>;

export const dossierSubmissionStoppedV1 = defineEvent({
  type: "dossier.submission-stopped",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description:
    "A submission was closed before acceptance: supplement lapsed or withdrawn (state 8). Never counted as received.",
  payload: DossierSubmissionStoppedPayload,
});

/**
 * State 2 (Được tiếp nhận): the dossier was received and its receipt (form 01, Giấy tiếp nhận hồ sơ
 * và hẹn trả kết quả) issued; the clock starts. Carries the procedure's terms as they were at
 * reception, so that no consumer needs the catalogue to judge this dossier.
 */
export const DossierReceivedPayload = z
  .object({
    dossierCode: DossierCode,
    procedureCode: ProcedureCode,
    procedureName: z.string().min(1).meta({ description: "Procedure name (TenTTHC) at reception" }),
    field: z.string().min(1).meta({ description: "Field (lĩnh vực) of the procedure" }),
    channel: Channel,
    receivingUnitCode: UnitCode.meta({ description: "The one-stop centre that received it (DonViTiepNhan)" }),
    submittedAt: Instant.meta({
      description: "When the applicant handed it in: online submission instant, or the counter/post arrival",
    }),
    receivedAt: Instant.meta({
      description: "Reception instant (NgayTiepNhan): at the counter, or the acceptance of an online dossier",
    }),
    clockBasis: ClockBasis.optional().meta({
      description:
        "What the clock counts from: acceptance (receivedAt) or the portal submission (submittedAt). Absent in older events: acceptance",
    }),
    clockStartsAt: Instant.meta({
      description: "First working instant the clock counts from (after working hours and cut-off rules)",
    }),
    dueAt: Instant.meta({ description: "Promised return instant on the receipt (NgayHenTra)" }),
    statutoryTime: StatutoryTime,
    cutOff: CutOff,
    supplementRule: SupplementRule,
    maxSupplementRequests: z
      .int()
      .positive()
      .nullable()
      .meta({ description: "How many supplement requests the procedure allows; null for no limit" }),
    steps: z.array(DossierStep).min(1).meta({ description: "The internal process, with units fixed" }),
    competentUnitCode: UnitCode.optional().meta({
      description:
        "The competent unit (whose procedure it is and that decides it), scored by the 766 index. Absent in older events: competentUnitOf(steps)",
    }),
    firstStepDeadlineAt: Instant.optional().meta({
      description:
        "Historical: older events carried the first step's deadline. The deadline monitor decides step deadlines (sla.deadline-set); no reader uses this",
    }),
    onlineServiceLevel: OnlineServiceLevel.nullable().meta({
      description: "The procedure's online service level at reception; null when not offered online",
    }),
    requestedReturnChannel: ReturnChannel.nullable(),
    procedureRevision: z.int().positive().meta({ description: "Catalogue revision of the procedure used" }),
    ...noPersonalData,
  })
  .refine((p) => !isLater(p.submittedAt, p.receivedAt), {
    message: "submittedAt must not be after receivedAt",
    path: ["submittedAt"],
  })
  .refine((p) => isLater(p.dueAt, p.clockStartsAt), {
    message: "dueAt must be after clockStartsAt",
    path: ["dueAt"],
  })
  .meta({ description: "A received dossier (state 2), with the procedure's terms at reception" });
export type DossierReceivedPayload = z.infer<typeof DossierReceivedPayload>;

export const dossierReceivedV1 = defineEvent({
  type: "dossier.received",
  version: 1,
  topic: "dossier.events",
  producer: "intake",
  description:
    "The dossier was received (state 2, Được tiếp nhận), its receipt (form 01) issued; the clock starts. " +
    "Counted as received, by channel.",
  payload: DossierReceivedPayload,
});

export type DossierSubmitted = z.infer<typeof dossierSubmittedV1.schema>;
export type DossierSubmissionRefused = z.infer<typeof dossierSubmissionRefusedV1.schema>;
export type DossierSubmissionSupplementRequested = z.infer<
  typeof dossierSubmissionSupplementRequestedV1.schema
>;
export type DossierSubmissionSupplementReceived = z.infer<
  typeof dossierSubmissionSupplementReceivedV1.schema
>;
export type DossierSubmissionStopped = z.infer<typeof dossierSubmissionStoppedV1.schema>;
export type DossierReceived = z.infer<typeof dossierReceivedV1.schema>;
