import {
  type Actor,
  type AnyEvent,
  createEvent,
  formatInstant,
  freeText,
  Instant,
  PaymentObligation,
  type Procedure,
  ReturnChannel,
  StaffId,
  StepId,
  UnitCode,
} from "@tthc/contracts";
import { z } from "zod";
import { currentStep, type Dossier } from "./dossier.js";
import { DomainError } from "./errors.js";
import { type Action, actionRules, allowedActions } from "./transitions.js";
import { atLeastOneWorkingDayBefore } from "./working-time.js";

const version = { expectedVersion: z.int().positive().meta({ description: "The dossier version read" }) };
/** Free text that is published: no identity or phone number in it (a 400 naming the field). */
const note = freeText(z.string().min(1).max(2000));
const text = (max: number) => freeText(z.string().min(1).max(max));
const Obligation = PaymentObligation.extend({ description: freeText(z.string().min(1)) });

/** The body of each action. Every one carries `expectedVersion` (optimistic concurrency). */
export const actionBodies = {
  assign: z.object({
    ...version,
    assigneeStaffId: StaffId,
    assigneeName: text(200).optional(),
  }),
  transfer: z.object({
    ...version,
    toStepId: StepId.optional().meta({ description: "Default: the next step of the process" }),
    toUnitCode: UnitCode.optional().meta({
      description: "Another unit for the step, where the procedure leaves its unit open",
    }),
    assigneeStaffId: StaffId.optional(),
    note: note.optional(),
  }),
  "request-supplement": z.object({
    ...version,
    missingItems: z.array(text(500)).min(1).max(50),
    reason: note,
    supplyBy: Instant.optional(),
  }),
  "receive-supplement": z.object({ ...version, suppliedAt: Instant.optional() }),
  "request-payment": z.object({
    ...version,
    obligations: z.array(Obligation).min(1).max(20),
    payBy: Instant.optional(),
  }),
  "receive-payment": z.object({
    ...version,
    amountVnd: z.int().nonnegative(),
    method: z.enum(["counter", "online", "bank-transfer", "other"]),
    paidAt: Instant.optional(),
  }),
  extend: z.object({
    ...version,
    newDueAt: Instant,
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

/** What the catalogue says, where an action needs it (a transfer to a named unit). */
export interface CatalogFacts {
  procedure?: Procedure;
  unitKnown?: (code: string) => boolean;
}

export interface Command<A extends Action> {
  action: A;
  body: ActionBody<A>;
  actor: Actor;
  correlationId: string;
  now: Date;
  catalog?: CatalogFacts;
}

/** The state check alone: 409 with the actions the state allows. */
export function assertAllowed(d: Dossier, action: Action): void {
  if (!actionRules[action].from.includes(d.state)) {
    throw new DomainError(
      "TRANSITION_FORBIDDEN",
      `${action} is not allowed while the dossier is ${d.state}`,
      {
        state: d.state,
        allowed: allowedActions(d.state),
      },
    );
  }
}

/** Decides the event an action produces on a dossier, or refuses it. Pure. */
export function decide<A extends Action>(d: Dossier, cmd: Command<A>): AnyEvent {
  assertAllowed(d, cmd.action);
  const at = formatInstant(cmd.now);
  const envelope = {
    dossierId: d.id,
    unitCode: cmd.actor.unitCode,
    actor: cmd.actor,
    correlationId: cmd.correlationId,
    occurredAt: at,
  };
  const code = { dossierCode: d.code };
  const step = currentStep(d);
  // Each branch narrows `cmd.body` by re-reading it as its action's body.
  const body = cmd.body as Record<string, unknown>;
  switch (cmd.action) {
    case "assign": {
      const b = body as ActionBody<"assign">;
      return createEvent("dossier.assigned", {
        ...envelope,
        payload: {
          ...code,
          stepId: step.id,
          assigneeStaffId: b.assigneeStaffId,
          assigneeName: b.assigneeName ?? null,
          previousAssigneeStaffId: d.assigneeStaffId,
        },
      });
    }
    case "transfer":
      return transfer(d, body as ActionBody<"transfer">, envelope, cmd.catalog);
    case "request-supplement": {
      const b = body as ActionBody<"request-supplement">;
      if (d.maxSupplementRequests !== null && d.supplementRequests >= d.maxSupplementRequests) {
        throw new DomainError("SUPPLEMENT_LIMIT", "the procedure allows no further supplement request", {
          maxSupplementRequests: d.maxSupplementRequests,
          made: d.supplementRequests,
        });
      }
      return createEvent("dossier.supplement-requested", {
        ...envelope,
        payload: {
          ...code,
          requestNumber: d.supplementRequests + 1,
          missingItems: b.missingItems,
          reason: b.reason,
          supplementRule: d.supplementRule,
          stepId: step.id,
          supplyBy: b.supplyBy ?? null,
        },
      });
    }
    case "receive-supplement": {
      const b = body as ActionBody<"receive-supplement">;
      return createEvent("dossier.supplement-received", {
        ...envelope,
        payload: {
          ...code,
          requestNumber: d.supplementRequests,
          requestedAt: formatInstant(new Date(d.pausedAt ?? d.updatedAt)),
          suppliedAt: b.suppliedAt ?? at,
          supplementRule: d.supplementRule,
          stepId: step.id,
        },
      });
    }
    case "request-payment": {
      const b = body as ActionBody<"request-payment">;
      return createEvent("dossier.payment-requested", {
        ...envelope,
        payload: { ...code, obligations: b.obligations, payBy: b.payBy ?? null },
      });
    }
    case "receive-payment": {
      const b = body as ActionBody<"receive-payment">;
      return createEvent("dossier.payment-received", {
        ...envelope,
        payload: {
          ...code,
          requestedAt: formatInstant(new Date(d.pausedAt ?? d.updatedAt)),
          paidAt: b.paidAt ?? at,
          amountVnd: b.amountVnd,
          method: b.method,
        },
      });
    }
    case "extend":
      return extend(d, body as ActionBody<"extend">, envelope, at);
    case "resolve": {
      const b = body as ActionBody<"resolve">;
      return createEvent("dossier.resolved", {
        ...envelope,
        payload: {
          ...code,
          outcome: b.outcome,
          resolvedAt: at,
          refusalReasons: b.outcome === "refused" ? b.refusalReasons : [],
          decisionRef: b.decisionRef ?? null,
          electronicResult: b.electronicResult,
        },
      });
    }
    case "return": {
      const b = body as ActionBody<"return">;
      return createEvent("dossier.returned", {
        ...envelope,
        payload: { ...code, returnChannel: b.returnChannel, returnedAt: at },
      });
    }
    case "withdraw": {
      const b = body as ActionBody<"withdraw">;
      return createEvent("dossier.withdrawal-requested", {
        ...envelope,
        payload: {
          ...code,
          fromState: d.state as "received" | "processing" | "awaiting_supplement" | "awaiting_payment",
          requestedAt: at,
          reason: b.reason ?? null,
        },
      });
    }
    case "stop":
      return stop(d, body as ActionBody<"stop">, envelope);
  }
  throw new DomainError("INVALID_EVENT", `unknown action ${String(cmd.action)}`);
}

type Envelope = {
  dossierId: string;
  unitCode: string;
  actor: Actor;
  correlationId: string;
  occurredAt: string;
};

/**
 * A transfer (liên thông) moves the dossier to the next step of its process (or a named step) and
 * that step's unit. Naming another unit is allowed only where the catalogue leaves the step's unit
 * open (fixed per dossier) or the step is a coordinating one.
 */
function transfer(
  d: Dossier,
  b: ActionBody<"transfer">,
  envelope: Envelope,
  catalog: CatalogFacts | undefined,
): AnyEvent {
  const from = currentStep(d);
  let index = d.stepIndex + 1;
  if (b.toStepId !== undefined) {
    index = d.steps.findIndex((s) => s.id === b.toStepId);
    if (index < 0) {
      throw new DomainError("UNKNOWN_STEP", `step ${b.toStepId} is not in the dossier's process`, {
        steps: d.steps.map((s) => s.id),
      });
    }
  }
  const to = d.steps[index];
  if (!to)
    throw new DomainError("NO_NEXT_STEP", "the dossier is at its last step: resolve it", { stepId: from.id });
  let toUnit = to.unitCode;
  if (b.toUnitCode !== undefined && b.toUnitCode !== to.unitCode) {
    const defined = catalog?.procedure?.steps.find((s) => s.id === to.id);
    const open = to.unitRole === "coordinating" || (defined !== undefined && defined.unitCode === null);
    if (!open) {
      throw new DomainError("UNIT_FIXED", `the procedure fixes the unit of step ${to.id}`, {
        stepId: to.id,
        unitCode: to.unitCode,
      });
    }
    if (catalog?.unitKnown && !catalog.unitKnown(b.toUnitCode)) {
      throw new DomainError("UNIT_FIXED", `unit ${b.toUnitCode} is not in the catalogue`, {
        unitCode: b.toUnitCode,
      });
    }
    toUnit = b.toUnitCode;
  }
  return createEvent("dossier.transferred", {
    ...envelope,
    payload: {
      dossierCode: d.code,
      fromStepId: from.id,
      toStepId: to.id,
      fromUnitCode: d.currentUnitCode,
      toUnitCode: toUnit,
      assigneeStaffId: b.assigneeStaffId ?? null,
      note: b.note ?? null,
    },
  });
}

/**
 * Extension with apology (form 04): once per dossier, sent at least one working day before the
 * due instant, with a new date after it.
 */
function extend(d: Dossier, b: ActionBody<"extend">, envelope: Envelope, at: string): AnyEvent {
  if (d.extendedDueAt !== null) {
    throw new DomainError("ALREADY_EXTENDED", "the promised date may be moved only once", {
      extendedAt: d.extendedAt,
      extendedDueAt: d.extendedDueAt,
      reason: d.extensionReason,
    });
  }
  if (!atLeastOneWorkingDayBefore(at, d.dueAt)) {
    throw new DomainError(
      "EXTENSION_TOO_LATE",
      "the apology letter must come at least one working day before the due date",
      {
        dueAt: d.dueAt,
      },
    );
  }
  if (Date.parse(b.newDueAt) <= Date.parse(d.dueAt)) {
    throw new DomainError("EXTENSION_NOT_LATER", "the new date must be after the due date", {
      dueAt: d.dueAt,
    });
  }
  return createEvent("dossier.extended", {
    ...envelope,
    payload: {
      dossierCode: d.code,
      previousDueAt: formatInstant(new Date(d.dueAt)),
      newDueAt: b.newDueAt,
      reason: b.reason,
      faultUnitCode: d.currentUnitCode,
      apologyLetterRef: b.apologyLetterRef ?? null,
    },
  });
}

const stopReasons = {
  withdrawal_requested: ["withdrawn"],
  awaiting_supplement: ["supplement-lapsed", "stop-notice"],
  processing: ["stop-notice"],
} as const;

function stop(d: Dossier, b: ActionBody<"stop">, envelope: Envelope): AnyEvent {
  const fitting: readonly string[] = stopReasons[d.state as keyof typeof stopReasons] ?? [];
  if (!fitting.includes(b.reason)) {
    throw new DomainError(
      "STOP_REASON_MISMATCH",
      `a stop from ${d.state} must have reason ${fitting.join(" or ")}`,
      {
        state: d.state,
        reasons: fitting,
      },
    );
  }
  return createEvent("dossier.stopped", {
    ...envelope,
    payload: {
      dossierCode: d.code,
      reason: b.reason,
      fromState: d.state as "processing" | "awaiting_supplement" | "withdrawal_requested",
      explanation: b.explanation,
      stopNoticeRef: b.stopNoticeRef ?? null,
    },
  });
}
