import {
  Calendar,
  Channel,
  DossierCode,
  DossierId,
  DossierState,
  examples,
  freeText,
  Instant,
  Page,
  Procedure,
  ProcedureCode,
  ReturnChannel,
  StaffId,
  StatutoryTime,
  Unit,
  UnitCode,
} from "@tthc/contracts";
import { z } from "zod";

/**
 * Request bodies of intake's endpoints. Personal data is accepted in `applicant` and kept in
 * intake's tables; free text that is published (reasons, missing items, explanations) must not
 * carry an identity or phone number (`freeText`, a 400 naming the field).
 */

export const ApplicantBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ description: "Full name (họ và tên)", examples: [examples.applicant.name] }),
    identityNumber: z
      .string()
      .regex(/^\d{12}$/, "expected the 12-digit personal identification number (số định danh cá nhân)")
      .meta({ examples: [examples.applicant.identityNumber] }),
    phone: z
      .string()
      .regex(/^0\d{9}$/, "expected a 10-digit phone number starting with 0")
      .optional()
      .meta({
        description: "Phone number; notifications by SMS or Zalo go to it",
        examples: [examples.applicant.phone],
      }),
    email: z
      .email("expected an e-mail address")
      .max(254)
      .optional()
      .meta({
        description: "E-mail address; notifications by e-mail go to it",
        examples: ["nguyenvanan@example.vn"],
      }),
    address: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .meta({ examples: [examples.applicant.address] }),
  })
  .meta({ description: "The applicant (stays in intake; never published)" });

export const DocumentBody = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .meta({ description: "Tên giấy tờ", examples: [examples.documents[0].name] }),
  copies: z.int().min(1).max(100).default(1),
  original: z.boolean().default(false).meta({ description: "Bản chính (true) or bản sao" }),
});

const PortalRef = z
  .string()
  .regex(/^[\w.:/-]{1,100}$/, "expected the portal's reference: letters, digits and . : / - _ (at most 100)")
  .meta({
    description: "The public-service portal's reference of the online dossier",
    examples: [examples.submission.portalRef],
  });

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
  })
  .meta({
    examples: [
      {
        channel: "direct",
        procedureCode: examples.procedure.code,
        receivingUnitCode: examples.unit.code,
        applicant: examples.applicant,
        documents: examples.documents,
        requestedReturnChannel: "counter",
      },
    ],
  });
export type ReceptionBody = z.infer<typeof ReceptionBody>;

export const FormatQuery = z.object({
  format: z.enum(["json", "html"]).default("json").meta({ description: "html: the printable receipt" }),
});

export const SubmissionBody = z
  .object({
    portalRef: PortalRef,
    procedureCode: ProcedureCode,
    receivingUnitCode: UnitCode,
    applicant: ApplicantBody,
    submittedAt: Instant,
    documents: z.array(DocumentBody).max(100).default([]),
  })
  .meta({
    examples: [
      {
        portalRef: examples.submission.portalRef,
        procedureCode: examples.procedure.code,
        receivingUnitCode: examples.unit.code,
        applicant: examples.applicant,
        submittedAt: examples.submission.submittedAt,
        documents: examples.documents,
      },
    ],
  });
export type SubmissionBody = z.infer<typeof SubmissionBody>;

export const SubmissionParams = z.object({ id: z.uuid() });

export const RefuseBody = z.object({
  reasons: z
    .array(freeText(z.string().trim().min(1).max(1000)))
    .min(1)
    .max(20)
    .meta({
      description: "Reasons (form 03)",
      examples: [["Người yêu cầu đã có Giấy xác nhận tình trạng hôn nhân còn giá trị sử dụng"]],
    }),
});

export const SupplementRequestBody = z.object({
  missingItems: z
    .array(freeText(z.string().trim().min(1).max(500)))
    .min(1)
    .max(50)
    .meta({ examples: [["Bản sao Giấy chứng nhận ly hôn đã có hiệu lực pháp luật"]] }),
  reason: freeText(z.string().trim().min(1).max(1000)).meta({
    examples: ["Tờ khai ghi đã ly hôn nhưng hồ sơ chưa có giấy tờ chứng minh"],
  }),
  supplyBy: Instant.nullable().default(null),
});

export const SupplementSuppliedBody = z.object({
  suppliedAt: Instant.optional().meta({ description: "When the applicant supplied it; now by default" }),
});

export const StopBody = z.object({
  reason: z.enum(["supplement-lapsed", "withdrawn"]),
  explanation: freeText(z.string().trim().min(1).max(1000)).meta({
    examples: ["Người nộp rút hồ sơ để nộp trực tiếp tại Bộ phận một cửa"],
  }),
});

export const AcceptBody = z
  .object({ requestedReturnChannel: ReturnChannel.nullable().default(null) })
  .default({ requestedReturnChannel: null });

/* The answers. */

const procedureExample = {
  code: examples.procedure.code,
  name: examples.procedure.name,
  field: examples.procedure.field,
  statutoryTime: { amount: 3, unit: "days" },
} as const;

const receiptExample = {
  form: "01",
  dossierId: examples.dossier.id,
  code: examples.dossier.code,
  status: "received",
  channel: "direct",
  procedure: procedureExample,
  receivingUnit: { code: examples.unit.code, name: examples.unit.name },
  applicantName: examples.applicant.name,
  submittedAt: examples.dossier.receivedAt,
  receivedAt: examples.dossier.receivedAt,
  clockStartsAt: examples.dossier.receivedAt,
  dueAt: examples.dossier.dueAt,
  documents: examples.documents,
  requestedReturnChannel: "counter",
  receivedBy: examples.staff.reception,
};

/** The receipt (form 01): what the counter prints and hands over. */
export const Receipt = z
  .object({
    form: z.literal("01"),
    dossierId: DossierId,
    code: DossierCode,
    status: z.literal("received"),
    channel: Channel,
    procedure: z.object({
      code: ProcedureCode,
      name: z.string(),
      field: z.string(),
      statutoryTime: StatutoryTime,
    }),
    receivingUnit: z.object({ code: UnitCode, name: z.string() }),
    applicantName: z.string(),
    submittedAt: Instant,
    receivedAt: Instant,
    clockStartsAt: Instant.meta({ description: "When the statutory time starts to count" }),
    dueAt: Instant.meta({ description: "The due instant printed on the receipt (ngày hẹn trả)" }),
    documents: z.array(DocumentBody),
    requestedReturnChannel: ReturnChannel.nullable(),
    receivedBy: StaffId,
  })
  .meta({
    description: "The receipt (form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
    examples: [receiptExample],
  });

/** A receipt as JSON, or with `?format=html` the page the counter prints. */
export function receiptAnswer(description: string) {
  return {
    description,
    content: {
      "application/json": { schema: Receipt },
      "text/html": { schema: z.string().meta({ description: "The printable receipt (form 01)" }) },
    },
  };
}

const unitName = z.object({ code: UnitCode, name: z.string() });

/** What anyone may look up by a dossier's code: no personal data. */
export const PublicStatus = z
  .object({
    code: DossierCode,
    status: DossierState,
    statusCode: z.int().min(1).max(10).meta({ description: "National status code (TrangThaiHoSo), 1–10" }),
    statusLabel: z.string().meta({ description: "The status in Vietnamese" }),
    procedure: z.object({ code: ProcedureCode, name: z.string() }),
    receivingUnit: unitName,
    handlingUnit: unitName,
    receivedAt: Instant,
    dueAt: Instant,
    statusSince: Instant,
  })
  .meta({
    description: "A dossier's status and dates (tra cứu hồ sơ)",
    examples: [
      {
        code: examples.dossier.code,
        status: "processing",
        statusCode: 4,
        statusLabel: "Đang xử lý",
        procedure: { code: examples.procedure.code, name: examples.procedure.name },
        receivingUnit: { code: examples.unit.code, name: examples.unit.name },
        handlingUnit: { code: examples.unit.code, name: examples.unit.name },
        receivedAt: examples.dossier.receivedAt,
        dueAt: examples.dossier.dueAt,
        statusSince: "2026-03-10T14:05:00.000+07:00",
      },
    ],
  });

const submissionExample = {
  id: examples.submission.id,
  portalRef: examples.submission.portalRef,
  procedureCode: examples.procedure.code,
  receivingUnitCode: examples.unit.code,
  state: "submitted",
  submittedAt: examples.submission.submittedAt,
  applicantName: examples.applicant.name,
  documents: examples.documents,
  supplementRequests: 0,
  dossierCode: null,
} as const;

const submissionFields = {
  id: z.uuid(),
  portalRef: PortalRef,
  procedureCode: ProcedureCode,
  receivingUnitCode: UnitCode,
  state: z
    .enum(["submitted", "awaiting_supplement", "refused", "received", "stopped"])
    .meta({ description: "submitted (1), awaiting_supplement (5), refused (3), received (2), stopped (8)" }),
  submittedAt: Instant,
  applicantName: z.string(),
  documents: z.array(DocumentBody),
  supplementRequests: z.int().min(0),
  dossierCode: DossierCode.nullable().meta({ description: "The dossier's code once accepted" }),
};

/** An online submission awaiting acceptance, as the counter sees it. */
export const SubmissionView = z
  .object(submissionFields)
  .meta({ description: "An online submission", examples: [submissionExample] });

/** A refusal at reception: the submission with form 03. */
export const RefusalView = z
  .object({
    ...submissionFields,
    form: z.literal("03"),
    refusedAt: Instant,
    reasons: z.array(z.string()),
  })
  .meta({
    description: "The submission refused, with form 03 (Phiếu từ chối tiếp nhận giải quyết hồ sơ)",
    examples: [
      {
        ...submissionExample,
        state: "refused",
        form: "03",
        refusedAt: "2026-03-10T08:05:00.000+07:00",
        reasons: ["Người yêu cầu đã có Giấy xác nhận tình trạng hôn nhân còn giá trị sử dụng"],
      },
    ],
  });

/** A supplement asked for before acceptance: the submission with form 02. */
export const SupplementRequestView = z
  .object({
    ...submissionFields,
    form: z.literal("02"),
    missingItems: z.array(z.string()),
    reason: z.string(),
  })
  .meta({
    description:
      "The submission awaiting a supplement, with form 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)",
    examples: [
      {
        ...submissionExample,
        state: "awaiting_supplement",
        supplementRequests: 1,
        form: "02",
        missingItems: ["Bản sao Giấy chứng nhận ly hôn đã có hiệu lực pháp luật"],
        reason: "Tờ khai ghi đã ly hôn nhưng hồ sơ chưa có giấy tờ chứng minh",
      },
    ],
  });

const entryFields = {
  key: z.string().meta({ description: "procedure:<code>, unit:<code> or calendar:<year>" }),
  revision: z.int().positive().meta({ description: "Raised by one at each change" }),
  updatedAt: Instant,
};

/** A catalogue entry as the API shows it: its key, revision and data. */
export function CatalogEntry<T extends z.ZodType>(data: T, example: { key: string; data: unknown }) {
  return z
    .object({ ...entryFields, data })
    .meta({ examples: [{ ...example, revision: 1, updatedAt: "2026-01-05T08:00:00.000+07:00" }] });
}

/** A catalogue entry after a change: `changed` is false when the body was what the catalogue held. */
export function ChangedEntry<T extends z.ZodType>(data: T, example: { key: string; data: unknown }) {
  return z.object({ ...entryFields, data, changed: z.boolean() }).meta({
    examples: [{ ...example, revision: 2, updatedAt: "2026-03-10T09:12:00.000+07:00", changed: true }],
  });
}

export const procedureEntryExample = {
  key: `procedure:${examples.procedure.code}`,
  data: {
    ...procedureExample,
    cutOff: null,
    supplementRule: "pause",
    maxSupplementRequests: null,
    steps: examples.steps.map((step) => ({ ...step, unitCode: null })),
    onlineServiceLevel: "full",
    active: true,
  },
};

export const unitEntryExample = {
  key: `unit:${examples.unit.code}`,
  data: {
    code: examples.unit.code,
    name: examples.unit.name,
    level: examples.unit.level,
    parentCode: examples.unit.parentCode,
    electronicId: examples.unit.electronicId,
    workingSessions: null,
    active: true,
  },
};

export const calendarEntryExample = {
  key: "calendar:2026",
  data: {
    year: 2026,
    version: 2,
    effectiveFrom: "2025-12-25T00:00:00.000+07:00",
    source: "Công văn 12729/VPCP-KGVX, Công văn 9859/VPCP-KGVX",
    daysOff: [
      "2026-01-01",
      "2026-01-02",
      { date: "2026-02-16", name: "Tết Nguyên đán Bính Ngọ" },
      "2026-04-27",
    ],
    workingDays: ["2026-01-10", "2026-08-22"],
  },
};

export const ProcedureEntry = CatalogEntry(Procedure, procedureEntryExample);
export const UnitEntry = CatalogEntry(Unit, unitEntryExample);
export const CalendarEntry = CatalogEntry(Calendar, calendarEntryExample);
export const ProcedurePage = Page(ProcedureEntry);
export const UnitPage = Page(UnitEntry);
export const CalendarPage = Page(CalendarEntry);
