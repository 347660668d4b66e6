import { z } from "zod";
import { ReturnChannel } from "./channels.js";
import { defineEvent } from "./envelope.js";
import { AmountVnd, DossierCode, Instant, isLater, StaffId, StepId, UnitCode } from "./formats.js";
import { noPersonalData } from "./personal-data.js";
import { SupplementRule } from "./procedure-terms.js";

/**
 * Events of the processing service: the life of a received dossier until its result is returned.
 * Each names the dossier code so that an alert, a log line or a dead letter can be read alone.
 */

const dossierCode = { dossierCode: DossierCode };

/** Historical: older events carried a step deadline computed by processing; the monitor decides them now. */
const stepDeadline = {
  stepDeadlineAt: Instant.optional().meta({
    description:
      "Historical: older events carried the step run's deadline. The deadline monitor decides step deadlines (sla.deadline-set); no reader uses this",
  }),
};

/** 2 → 4, or within 4: a staff member was put in charge of the dossier's current step. */
export const DossierAssignedPayload = z
  .object({
    ...dossierCode,
    stepId: StepId,
    assigneeStaffId: StaffId,
    assigneeName: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: "The civil servant's name as the portal shows it (NguoiXuLy), if known" }),
    previousAssigneeStaffId: StaffId.nullable(),
    ...noPersonalData,
  })
  .meta({ description: "A staff member put in charge of the current step" });
export type DossierAssignedPayload = z.infer<typeof DossierAssignedPayload>;

export const dossierAssignedV1 = defineEvent({
  type: "dossier.assigned",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "A staff member was put in charge of the dossier's current step (2 → 4, or stays in 4).",
  payload: DossierAssignedPayload,
});

/**
 * 4 → 4: the dossier moved to another step, in the same unit (internal step change) or to another
 * unit (liên thông transfer). The step it left ends now; lateness is judged per step.
 */
export const DossierTransferredPayload = z
  .object({
    ...dossierCode,
    fromStepId: StepId,
    toStepId: StepId,
    fromUnitCode: UnitCode,
    toUnitCode: UnitCode,
    assigneeStaffId: StaffId.nullable().meta({ description: "Who takes the new step, if already known" }),
    note: z.string().nullable(),
    ...stepDeadline,
    ...noPersonalData,
  })
  .meta({ description: "A move to another step, in the same unit or another" });
export type DossierTransferredPayload = z.infer<typeof DossierTransferredPayload>;

export const dossierTransferredV1 = defineEvent({
  type: "dossier.transferred",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The dossier moved to another step, within its unit or to another unit (stays in 4).",
  payload: DossierTransferredPayload,
});

/** 4 → 5: the applicant must complete the dossier (form 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ). */
export const DossierSupplementRequestedPayload = z
  .object({
    ...dossierCode,
    requestNumber: z.int().positive().meta({
      description:
        "1 for the first request on this dossier; a second request makes it late under the 766 rules",
    }),
    missingItems: z
      .array(z.string().min(1))
      .min(1)
      .meta({ description: "What is missing or must be corrected" }),
    reason: z.string().min(1),
    supplementRule: SupplementRule.meta({
      description: "What the request does to the clock (from reception)",
    }),
    stepId: StepId.meta({ description: "The step that asked" }),
    supplyBy: Instant.nullable().meta({ description: "Deadline for the applicant, if one was set" }),
    ...noPersonalData,
  })
  .meta({ description: "A supplement requested during processing (state 5, form 02)" });
export type DossierSupplementRequestedPayload = z.infer<typeof DossierSupplementRequestedPayload>;

export const dossierSupplementRequestedV1 = defineEvent({
  type: "dossier.supplement-requested",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description:
    "The applicant was asked to complete the dossier (4 → 5, form 02); the clock pauses or will reset.",
  payload: DossierSupplementRequestedPayload,
});

/** 5 → 4: the applicant supplied what was missing; the clock resumes (pause) or restarts (reset). */
export const DossierSupplementReceivedPayload = z
  .object({
    ...dossierCode,
    requestNumber: z.int().positive(),
    requestedAt: Instant,
    suppliedAt: Instant,
    supplementRule: SupplementRule,
    stepId: StepId.meta({ description: "The step the dossier resumes at" }),
    ...stepDeadline,
    ...noPersonalData,
  })
  .refine((p) => !isLater(p.requestedAt, p.suppliedAt), {
    message: "suppliedAt must not be before requestedAt",
    path: ["suppliedAt"],
  })
  .meta({ description: "A supplement supplied (5 → 4)" });
export type DossierSupplementReceivedPayload = z.infer<typeof DossierSupplementReceivedPayload>;

export const dossierSupplementReceivedV1 = defineEvent({
  type: "dossier.supplement-received",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description:
    "The applicant supplied what was missing (5 → 4); the clock resumes (pause) or restarts (reset).",
  payload: DossierSupplementReceivedPayload,
});

/** One financial obligation (nghĩa vụ tài chính): a fee, a charge or a tax. */
export const PaymentObligation = z.object({
  kind: z
    .enum(["fee", "charge", "tax", "other"])
    .meta({ description: "fee (phí), charge (lệ phí), tax (thuế)" }),
  description: z.string().min(1),
  amountVnd: AmountVnd.nullable().meta({ description: "Amount, or null while a tax is not yet assessed" }),
});
export type PaymentObligation = z.infer<typeof PaymentObligation>;

/** 4 → 6: the applicant must pay fees or taxes; the clock pauses. */
export const DossierPaymentRequestedPayload = z
  .object({
    ...dossierCode,
    obligations: z.array(PaymentObligation).min(1),
    payBy: Instant.nullable(),
    ...noPersonalData,
  })
  .meta({ description: "Payment requested (state 6); the clock pauses" });
export type DossierPaymentRequestedPayload = z.infer<typeof DossierPaymentRequestedPayload>;

export const dossierPaymentRequestedV1 = defineEvent({
  type: "dossier.payment-requested",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The applicant must pay fees or taxes (4 → 6); the clock pauses.",
  payload: DossierPaymentRequestedPayload,
});

/** 6 → 4: the payment arrived; the clock resumes. */
export const DossierPaymentReceivedPayload = z
  .object({
    ...dossierCode,
    requestedAt: Instant,
    paidAt: Instant,
    amountVnd: AmountVnd,
    method: z.enum(["counter", "online", "bank-transfer", "other"]),
    ...stepDeadline,
    ...noPersonalData,
  })
  .meta({ description: "Payment received (6 → 4); the clock resumes" });
export type DossierPaymentReceivedPayload = z.infer<typeof DossierPaymentReceivedPayload>;

export const dossierPaymentReceivedV1 = defineEvent({
  type: "dossier.payment-received",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The payment arrived (6 → 4); the clock resumes.",
  payload: DossierPaymentReceivedPayload,
});

/**
 * → 8: processing ended without a decision. `withdrawn` (the applicant withdrew), `supplement-lapsed`
 * (the supplement deadline passed), `stop-notice` (form 05, Thông báo dừng xử lý). The 766 rules count
 * a stopped dossier as finished at its stop.
 */
export const DossierStoppedPayload = z
  .object({
    ...dossierCode,
    reason: z.enum(["withdrawn", "supplement-lapsed", "stop-notice"]),
    fromState: z.enum([
      "received",
      "processing",
      "awaiting_supplement",
      "awaiting_payment",
      "withdrawal_requested",
    ]),
    explanation: z.string().min(1),
    stopNoticeRef: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: "Reference of the stop notice (form 05)" }),
    ...noPersonalData,
  })
  .meta({ description: "Processing stopped without a decision (state 8)" });
export type DossierStoppedPayload = z.infer<typeof DossierStoppedPayload>;

export const dossierStoppedV1 = defineEvent({
  type: "dossier.stopped",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "Processing ended without a decision (state 8, Dừng xử lý); ends the clock.",
  payload: DossierStoppedPayload,
});

/**
 * Extension with apology (form 04, Văn bản xin lỗi và đề nghị gia hạn): a new promised date, at most
 * once. The verdict is still judged against the original due instant.
 */
export const DossierExtendedPayload = z
  .object({
    ...dossierCode,
    previousDueAt: Instant.meta({ description: "Promised date before the extension (NgayHenTraTruoc)" }),
    newDueAt: Instant.meta({ description: "New promised date (NgayHenTraMoi)" }),
    reason: z.string().min(1),
    faultUnitCode: UnitCode.meta({ description: "The unit that sent the apology letter" }),
    apologyLetterRef: z.string().min(1).nullable(),
    ...noPersonalData,
  })
  .refine((p) => isLater(p.newDueAt, p.previousDueAt), {
    message: "newDueAt must be after previousDueAt",
    path: ["newDueAt"],
  })
  .meta({ description: "An extension with an apology letter (form 04)" });
export type DossierExtendedPayload = z.infer<typeof DossierExtendedPayload>;

export const dossierExtendedV1 = defineEvent({
  type: "dossier.extended",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description:
    "An apology letter set a new promised date (form 04); the verdict still uses the original due instant.",
  payload: DossierExtendedPayload,
});

/** → 9: decided, approved or refused with written reasons; ends the clock. */
export const DossierResolvedPayload = z
  .object({
    ...dossierCode,
    outcome: z.enum(["approved", "refused"]),
    resolvedAt: Instant.meta({ description: "When processing ended (NgayKetThucXuLy)" }),
    refusalReasons: z
      .array(z.string().min(1))
      .meta({ description: "Written reasons; required when refused" }),
    decisionRef: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: "Number of the decision or result document" }),
    electronicResult: z
      .boolean()
      .meta({ description: "Whether an electronic result was issued (766 online criterion)" }),
    ...noPersonalData,
  })
  .refine((p) => p.outcome !== "refused" || p.refusalReasons.length > 0, {
    message: "a refusal needs its written reasons",
    path: ["refusalReasons"],
  })
  .meta({ description: "A decision (state 9); ends the clock" });
export type DossierResolvedPayload = z.infer<typeof DossierResolvedPayload>;

export const dossierResolvedV1 = defineEvent({
  type: "dossier.resolved",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The dossier was decided, approved or refused (state 9, Đã xử lý xong); ends the clock.",
  payload: DossierResolvedPayload,
});

/** 9 → 10: the result was handed over. */
export const DossierReturnedPayload = z
  .object({
    ...dossierCode,
    returnChannel: ReturnChannel,
    returnedAt: Instant.meta({ description: "When the result was handed over (NgayTra)" }),
    ...noPersonalData,
  })
  .meta({ description: "The result handed over (state 10)" });
export type DossierReturnedPayload = z.infer<typeof DossierReturnedPayload>;

export const dossierReturnedV1 = defineEvent({
  type: "dossier.returned",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The result was handed over (9 → 10, Đã trả kết quả).",
  payload: DossierReturnedPayload,
});

/** {2, 4, 5, 6} → 7: the applicant asked to withdraw the dossier; a stop (`withdrawn`) follows. */
export const DossierWithdrawalRequestedPayload = z
  .object({
    ...dossierCode,
    fromState: z.enum(["received", "processing", "awaiting_supplement", "awaiting_payment"]),
    requestedAt: Instant,
    reason: z.string().min(1).nullable(),
    ...noPersonalData,
  })
  .meta({ description: "A withdrawal requested by the applicant (state 7)" });
export type DossierWithdrawalRequestedPayload = z.infer<typeof DossierWithdrawalRequestedPayload>;

export const dossierWithdrawalRequestedV1 = defineEvent({
  type: "dossier.withdrawal-requested",
  version: 1,
  topic: "dossier.events",
  producer: "processing",
  description: "The applicant asked to withdraw the dossier (state 7); a stop with reason withdrawn follows.",
  payload: DossierWithdrawalRequestedPayload,
});

export type DossierAssigned = z.infer<typeof dossierAssignedV1.schema>;
export type DossierTransferred = z.infer<typeof dossierTransferredV1.schema>;
export type DossierSupplementRequested = z.infer<typeof dossierSupplementRequestedV1.schema>;
export type DossierSupplementReceived = z.infer<typeof dossierSupplementReceivedV1.schema>;
export type DossierPaymentRequested = z.infer<typeof dossierPaymentRequestedV1.schema>;
export type DossierPaymentReceived = z.infer<typeof dossierPaymentReceivedV1.schema>;
export type DossierStopped = z.infer<typeof dossierStoppedV1.schema>;
export type DossierExtended = z.infer<typeof dossierExtendedV1.schema>;
export type DossierResolved = z.infer<typeof dossierResolvedV1.schema>;
export type DossierReturned = z.infer<typeof dossierReturnedV1.schema>;
export type DossierWithdrawalRequested = z.infer<typeof dossierWithdrawalRequestedV1.schema>;
