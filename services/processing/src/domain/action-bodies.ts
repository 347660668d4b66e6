import {
  examples,
  freeText,
  Instant,
  PaymentObligation,
  ReturnChannel,
  StaffId,
  StepId,
  UnitCode,
} from "@tthc/contracts";
import { z } from "zod";
import type { Action } from "./transitions.js";

const version = { expectedVersion: z.int().positive().meta({ description: "The dossier version read" }) };
// PostgreSQL stores no NUL character in text or jsonb: refused here, as a 400, rather than by the database.
const noNul = (s: string) => !s.includes("\u0000");
/** Free text that is published: no NUL, and no identity or phone number in it (a 400 naming the field). */
const text = (max: number) =>
  freeText(z.string().min(1).max(max).refine(noNul, { message: "must not contain the NUL character" }));
const note = text(2000);
const staffId = StaffId.refine(noNul, { message: "must not contain the NUL character" });
const obligation = PaymentObligation.extend({ description: text(1000) });
// Instants every service can store: ISO 8601 allows offsets up to ±23:59 and the years 0000–9999,
// which PostgreSQL's timestamptz (and a reader's) does not all take.
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(9999, 0, 1);
const instant = Instant.refine(
  (s) => {
    const at = Date.parse(s);
    return at >= FIRST && at < LAST;
  },
  { message: "must be between 1970 and 9998" },
);

/** The body of each action, as `POST /v1/dossiers/:id/<action>` takes it. Every one carries `expectedVersion` (optimistic concurrency). */
export const actionBodies = {
  assign: z
    .object({
      ...version,
      assigneeStaffId: staffId,
      assigneeName: text(200).optional(),
    })
    .meta({
      examples: [
        { expectedVersion: 1, assigneeStaffId: examples.staff.specialist, assigneeName: "Trần Thị Hương" },
      ],
    }),
  transfer: z
    .object({
      ...version,
      toStepId: StepId.optional().meta({ description: "Default: the next step of the process" }),
      toUnitCode: UnitCode.optional().meta({
        description: "Another unit for the step, where the procedure leaves its unit open",
      }),
      assigneeStaffId: staffId.optional(),
      note: note.optional(),
    })
    .meta({
      examples: [
        {
          expectedVersion: 2,
          toStepId: "approve",
          assigneeStaffId: examples.staff.leader,
          note: "Hồ sơ đủ điều kiện, trình lãnh đạo phê duyệt",
        },
      ],
    }),
  "request-supplement": z
    .object({
      ...version,
      missingItems: z.array(text(500)).min(1).max(50),
      reason: note,
      supplyBy: instant.optional(),
    })
    .meta({
      examples: [
        {
          expectedVersion: 2,
          missingItems: ["Bản sao Giấy chứng nhận ly hôn đã có hiệu lực pháp luật"],
          reason: "Tờ khai ghi đã ly hôn nhưng hồ sơ chưa có giấy tờ chứng minh",
          supplyBy: "2026-03-20T17:00:00+07:00",
        },
      ],
    }),
  "receive-supplement": z
    .object({
      ...version,
      suppliedAt: instant.optional().meta({
        description: "When the applicant supplied; default now. Not before the request, not in the future",
      }),
    })
    .meta({ examples: [{ expectedVersion: 3, suppliedAt: "2026-03-12T08:15:00+07:00" }] }),
  "request-payment": z
    .object({
      ...version,
      obligations: z.array(obligation).min(1).max(20),
      payBy: instant.optional(),
    })
    .meta({
      examples: [
        {
          expectedVersion: 2,
          obligations: [
            {
              kind: "charge",
              description: "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân",
              amountVnd: 10_000,
            },
          ],
          payBy: "2026-03-13T17:00:00+07:00",
        },
      ],
    }),
  "receive-payment": z
    .object({
      ...version,
      amountVnd: z.int().nonnegative(),
      method: z.enum(["counter", "online", "bank-transfer", "other"]),
      paidAt: instant.optional().meta({
        description: "When the applicant paid; default now. Not before the request, not in the future",
      }),
    })
    .meta({
      examples: [
        { expectedVersion: 3, amountVnd: 10_000, method: "counter", paidAt: "2026-03-11T10:20:00+07:00" },
      ],
    }),
  extend: z
    .object({
      ...version,
      newDueAt: instant,
      reason: note,
      apologyLetterRef: text(100).optional(),
    })
    .meta({
      examples: [
        {
          expectedVersion: 2,
          newDueAt: "2026-03-17T09:12:00+07:00",
          reason: "Cần xác minh thông tin hộ tịch tại nơi cư trú trước đây của người yêu cầu",
          apologyLetterRef: "15/PXL-UBND",
        },
      ],
    }),
  resolve: z
    .object({
      ...version,
      outcome: z.enum(["approved", "refused"]),
      refusalReasons: z.array(text(1000)).max(20).default([]),
      decisionRef: text(100).optional(),
      electronicResult: z.boolean().default(false),
    })
    .refine((b) => b.outcome !== "refused" || b.refusalReasons.length > 0, {
      message: "a refusal needs its written reasons",
      path: ["refusalReasons"],
    })
    .meta({
      examples: [
        { expectedVersion: 3, outcome: "approved", decisionRef: "XNHN-0312/2026", electronicResult: true },
        {
          expectedVersion: 3,
          outcome: "refused",
          refusalReasons: ["Người yêu cầu đang có đăng ký kết hôn còn hiệu lực"],
        },
      ],
    }),
  return: z
    .object({ ...version, returnChannel: ReturnChannel })
    .meta({ examples: [{ expectedVersion: 4, returnChannel: "counter" }] }),
  withdraw: z
    .object({ ...version, reason: note.optional() })
    .meta({ examples: [{ expectedVersion: 2, reason: "Người yêu cầu xin rút hồ sơ để bổ sung giấy tờ" }] }),
  stop: z
    .object({
      ...version,
      reason: z.enum(["withdrawn", "supplement-lapsed", "stop-notice"]),
      explanation: note,
      stopNoticeRef: text(100).optional(),
    })
    .meta({
      examples: [
        {
          expectedVersion: 3,
          reason: "withdrawn",
          explanation: "Người yêu cầu đã rút hồ sơ theo đơn ngày 11/03/2026",
        },
      ],
    }),
} as const satisfies Record<Action, z.ZodType>;

export type ActionBody<A extends Action> = z.output<(typeof actionBodies)[A]>;
