import type { WorkingCalendar } from "@tthc/calendar";
import {
  type Actor,
  type AnyEvent,
  type CreateEventOptions,
  createEvent,
  formatInstant,
  type Procedure,
} from "@tthc/contracts";
import type { ActionBody } from "./action-bodies.js";
import { currentStep, type Dossier } from "./dossier.js";
import { DomainError } from "./errors.js";
import { extend } from "./extension.js";
import { reportedInstant } from "./reported-instant.js";
import { type Action, actionRules, allowedActions } from "./transitions.js";

/** What the catalogue says, where an action needs it. */
export interface CatalogFacts {
  /** The procedure, for a transfer to a named unit. */
  procedure?: Procedure;
  unitKnown?: (code: string) => boolean;
  /**
   * The working calendar of the dossier's clock (its receiving unit's, in force now), for the
   * extension's notice.
   */
  clockCalendar?: WorkingCalendar;
}

export interface Command<A extends Action> {
  action: A;
  body: ActionBody<A>;
  actor: Actor;
  correlationId: string;
  /** The service clock's instant: the event's occurredAt and recordedAt. */
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
  // recordedAt from the service clock too, never the machine's
  const clock: CreateEventOptions = { now: () => cmd.now };
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
      return createEvent(
        "dossier.assigned",
        {
          ...envelope,
          payload: {
            ...code,
            stepId: step.id,
            assigneeStaffId: b.assigneeStaffId,
            assigneeName: b.assigneeName ?? null,
            previousAssigneeStaffId: d.assigneeStaffId,
          },
        },
        clock,
      );
    }
    case "transfer":
      return transfer(d, body as ActionBody<"transfer">, envelope, cmd.catalog, clock);
    case "request-supplement": {
      const b = body as ActionBody<"request-supplement">;
      if (d.maxSupplementRequests !== null && d.supplementRequests >= d.maxSupplementRequests) {
        throw new DomainError("SUPPLEMENT_LIMIT", "the procedure allows no further supplement request", {
          maxSupplementRequests: d.maxSupplementRequests,
          made: d.supplementRequests,
        });
      }
      return createEvent(
        "dossier.supplement-requested",
        {
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
        },
        clock,
      );
    }
    case "receive-supplement": {
      const b = body as ActionBody<"receive-supplement">;
      const requestedAt = formatInstant(new Date(d.pausedAt ?? d.updatedAt));
      return createEvent(
        "dossier.supplement-received",
        {
          ...envelope,
          payload: {
            ...code,
            requestNumber: d.supplementRequests,
            requestedAt,
            suppliedAt: reportedInstant("suppliedAt", b.suppliedAt, requestedAt, cmd.now),
            supplementRule: d.supplementRule,
            stepId: step.id,
          },
        },
        clock,
      );
    }
    case "request-payment": {
      const b = body as ActionBody<"request-payment">;
      return createEvent(
        "dossier.payment-requested",
        {
          ...envelope,
          payload: { ...code, obligations: b.obligations, payBy: b.payBy ?? null },
        },
        clock,
      );
    }
    case "receive-payment": {
      const b = body as ActionBody<"receive-payment">;
      const requestedAt = formatInstant(new Date(d.pausedAt ?? d.updatedAt));
      return createEvent(
        "dossier.payment-received",
        {
          ...envelope,
          payload: {
            ...code,
            requestedAt,
            paidAt: reportedInstant("paidAt", b.paidAt, requestedAt, cmd.now),
            amountVnd: b.amountVnd,
            method: b.method,
          },
        },
        clock,
      );
    }
    case "extend":
      return extend(d, body as ActionBody<"extend">, envelope, {
        now: cmd.now,
        clockCalendar: cmd.catalog?.clockCalendar,
        clock,
      });
    case "resolve": {
      const b = body as ActionBody<"resolve">;
      return createEvent(
        "dossier.resolved",
        {
          ...envelope,
          payload: {
            ...code,
            outcome: b.outcome,
            resolvedAt: at,
            refusalReasons: b.outcome === "refused" ? b.refusalReasons : [],
            decisionRef: b.decisionRef ?? null,
            electronicResult: b.electronicResult,
          },
        },
        clock,
      );
    }
    case "return": {
      const b = body as ActionBody<"return">;
      return createEvent(
        "dossier.returned",
        {
          ...envelope,
          payload: { ...code, returnChannel: b.returnChannel, returnedAt: at },
        },
        clock,
      );
    }
    case "withdraw": {
      const b = body as ActionBody<"withdraw">;
      return createEvent(
        "dossier.withdrawal-requested",
        {
          ...envelope,
          payload: {
            ...code,
            fromState: d.state as "received" | "processing" | "awaiting_supplement" | "awaiting_payment",
            requestedAt: at,
            reason: b.reason ?? null,
          },
        },
        clock,
      );
    }
    case "stop":
      return stop(d, body as ActionBody<"stop">, envelope, clock);
  }
  throw new DomainError("INVALID_EVENT", `unknown action ${String(cmd.action)}`);
}

export type Envelope = {
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
  clock: CreateEventOptions,
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
  return createEvent(
    "dossier.transferred",
    {
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
    },
    clock,
  );
}

const stopReasons = {
  withdrawal_requested: ["withdrawn"],
  awaiting_supplement: ["supplement-lapsed", "stop-notice"],
  processing: ["stop-notice"],
} as const;

function stop(d: Dossier, b: ActionBody<"stop">, envelope: Envelope, clock: CreateEventOptions): AnyEvent {
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
  return createEvent(
    "dossier.stopped",
    {
      ...envelope,
      payload: {
        dossierCode: d.code,
        reason: b.reason,
        fromState: d.state as "processing" | "awaiting_supplement" | "withdrawal_requested",
        explanation: b.explanation,
        stopNoticeRef: b.stopNoticeRef ?? null,
      },
    },
    clock,
  );
}
