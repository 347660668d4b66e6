import {
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
  assign: z.object({
    ...version,
    assigneeStaffId: staffId,
    assigneeName: text(200).optional(),
  }),
  transfer: z.object({
    ...version,
    toStepId: StepId.optional().meta({ description: "Default: the next step of the process" }),
    toUnitCode: UnitCode.optional().meta({
      description: "Another unit for the step, where the procedure leaves its unit open",
    }),
    assigneeStaffId: staffId.optional(),
    note: note.optional(),
  }),
  "request-supplement": z.object({
    ...version,
    missingItems: z.array(text(500)).min(1).max(50),
    reason: note,
    supplyBy: instant.optional(),
  }),
  "receive-supplement": z.object({
    ...version,
    suppliedAt: instant.optional().meta({
      description: "When the applicant supplied; default now. Not before the request, not in the future",
    }),
  }),
  "request-payment": z.object({
    ...version,
    obligations: z.array(obligation).min(1).max(20),
    payBy: instant.optional(),
  }),
  "receive-payment": z.object({
    ...version,
    amountVnd: z.int().nonnegative(),
    method: z.enum(["counter", "online", "bank-transfer", "other"]),
    paidAt: instant.optional().meta({
      description: "When the applicant paid; default now. Not before the request, not in the future",
    }),
  }),
  extend: z.object({
    ...version,
    newDueAt: instant,
    reason: note,
    apologyLetterRef: text(100).optional(),
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
    }),
  return: z.object({ ...version, returnChannel: ReturnChannel }),
  withdraw: z.object({ ...version, reason: note.optional() }),
  stop: z.object({
    ...version,
    reason: z.enum(["withdrawn", "supplement-lapsed", "stop-notice"]),
    explanation: note,
    stopNoticeRef: text(100).optional(),
  }),
} as const satisfies Record<Action, z.ZodType>;

export type ActionBody<A extends Action> = z.output<(typeof actionBodies)[A]>;
