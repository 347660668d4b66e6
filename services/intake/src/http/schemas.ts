import { Channel, freeText, Instant, ProcedureCode, ReturnChannel, UnitCode } from "@tthc/contracts";
import { z } from "zod";

/**
 * Request bodies of intake's endpoints. Personal data is accepted in `applicant` and kept in
 * intake's tables; free text that is published (reasons, missing items, explanations) must not
 * carry an identity or phone number (`freeText`, a 400 naming the field).
 */

export const ApplicantBody = z
  .object({
    name: z.string().trim().min(1).max(200).meta({ description: "Full name (họ và tên)" }),
    identityNumber: z
      .string()
      .regex(/^\d{12}$/, "expected the 12-digit personal identification number (số định danh cá nhân)"),
    phone: z
      .string()
      .regex(/^0\d{9}$/, "expected a 10-digit phone number starting with 0")
      .optional(),
    address: z.string().trim().min(1).max(500),
  })
  .meta({ description: "The applicant (stays in intake; never published)" });

export const DocumentBody = z.object({
  name: z.string().trim().min(1).max(300).meta({ description: "Tên giấy tờ" }),
  copies: z.int().min(1).max(100).default(1),
  original: z.boolean().default(false).meta({ description: "Bản chính (true) or bản sao" }),
});

const PortalRef = z
  .string()
  .regex(/^[\w.:/-]{1,100}$/, "expected the portal's reference: letters, digits and . : / - _ (at most 100)")
  .meta({ description: "The public-service portal's reference of the online dossier" });

export const ReceptionBody = z
  .object({
    channel: Channel,
    procedureCode: ProcedureCode,
    receivingUnitCode: UnitCode,
    applicant: ApplicantBody,
    submittedAt: Instant.optional().meta({
      description: "Required online (the portal's submission instant, which starts the clock)",
    }),
    portalRef: PortalRef.optional(),
    documents: z.array(DocumentBody).max(100).default([]),
    requestedReturnChannel: ReturnChannel.nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.channel === "online" && b.submittedAt === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["submittedAt"],
        message: "an online dossier carries its submission instant",
      });
    if (b.channel !== "online" && b.portalRef !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["portalRef"],
        message: "only an online dossier has a portal reference",
      });
  });
export type ReceptionBody = z.infer<typeof ReceptionBody>;

export const FormatQuery = z.object({
  format: z.enum(["json", "html"]).default("json").meta({ description: "html: the printable receipt" }),
});

export const SubmissionBody = z.object({
  portalRef: PortalRef,
  procedureCode: ProcedureCode,
  receivingUnitCode: UnitCode,
  applicant: ApplicantBody,
  submittedAt: Instant,
  documents: z.array(DocumentBody).max(100).default([]),
});
export type SubmissionBody = z.infer<typeof SubmissionBody>;

export const SubmissionParams = z.object({ id: z.uuid() });

export const RefuseBody = z.object({
  reasons: z
    .array(freeText(z.string().trim().min(1).max(1000)))
    .min(1)
    .max(20)
    .meta({ description: "Reasons (form 03)" }),
});

export const SupplementRequestBody = z.object({
  missingItems: z
    .array(freeText(z.string().trim().min(1).max(500)))
    .min(1)
    .max(50),
  reason: freeText(z.string().trim().min(1).max(1000)),
  supplyBy: Instant.nullable().default(null),
});

export const SupplementSuppliedBody = z.object({
  suppliedAt: Instant.optional().meta({ description: "When the applicant supplied it; now by default" }),
});

export const StopBody = z.object({
  reason: z.enum(["supplement-lapsed", "withdrawn"]),
  explanation: freeText(z.string().trim().min(1).max(1000)),
});

export const AcceptBody = z
  .object({ requestedReturnChannel: ReturnChannel.nullable().default(null) })
  .default({ requestedReturnChannel: null });
