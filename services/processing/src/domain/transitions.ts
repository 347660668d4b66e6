import { type DossierState, type EventType, type StaffRole, stateAfterEvent } from "@tthc/contracts";

/** The actions staff take on a dossier: `POST /v1/dossiers/:id/<action>`. */
export const actions = [
  "assign",
  "transfer",
  "request-supplement",
  "receive-supplement",
  "request-payment",
  "receive-payment",
  "extend",
  "resolve",
  "return",
  "withdraw",
  "stop",
] as const;
export type Action = (typeof actions)[number];

/**
 * Whose staff may act: the unit holding the dossier (`handling`), or also the one-stop centre that
 * received it (`handling-or-receiving`), where the applicant comes to the counter: a supplement, a
 * withdrawal, the hand-over of the result.
 */
export type ActingUnit = "handling" | "handling-or-receiving";

export interface ActionRule {
  /** States the action is allowed from (docs/domain.md, "States"). */
  from: readonly DossierState[];
  /**
   * State after the action, as contracts' `stateAfterEvent` says of its event; `null` when the
   * event keeps the state (the extension).
   */
  to: DossierState | null;
  event: EventType;
  roles: readonly StaffRole[];
  unit: ActingUnit;
}

/** The open states (contracts' `openStates`) before any withdrawal request: where an extension or a withdrawal may come. */
const openBeforeWithdrawal = ["received", "processing", "awaiting_supplement", "awaiting_payment"] as const;

/** A rule whose state after is the one its event leads to (contracts' event-states.ts), written once. */
function rule(
  event: EventType,
  from: readonly DossierState[],
  roles: readonly StaffRole[],
  unit: ActingUnit,
): ActionRule {
  return { from, to: stateAfterEvent[event], event, roles, unit };
}

/**
 * The state machine of a received dossier (national status codes): 2→4 assign, 4→4 assign or
 * transfer, 4→5→4 supplement, 4→6→4 payment, 4→9 resolve, 9→10 return, {2,4,5,6}→7 withdraw,
 * {4,5,7}→8 stop. The extension with apology (form 04) is an event in an open state.
 */
export const actionRules: Readonly<Record<Action, ActionRule>> = {
  assign: rule("dossier.assigned", ["received", "processing"], ["leader", "specialist"], "handling"),
  transfer: rule("dossier.transferred", ["processing"], ["specialist", "leader"], "handling"),
  "request-supplement": rule(
    "dossier.supplement-requested",
    ["processing"],
    ["specialist", "leader"],
    "handling",
  ),
  "receive-supplement": rule(
    "dossier.supplement-received",
    ["awaiting_supplement"],
    ["reception", "specialist", "leader"],
    "handling-or-receiving",
  ),
  "request-payment": rule("dossier.payment-requested", ["processing"], ["specialist", "leader"], "handling"),
  "receive-payment": rule(
    "dossier.payment-received",
    ["awaiting_payment"],
    ["reception", "specialist", "leader"],
    "handling-or-receiving",
  ),
  extend: rule("dossier.extended", openBeforeWithdrawal, ["leader"], "handling"),
  resolve: rule("dossier.resolved", ["processing"], ["leader"], "handling"),
  return: rule("dossier.returned", ["resolved"], ["reception", "leader"], "handling-or-receiving"),
  withdraw: rule(
    "dossier.withdrawal-requested",
    openBeforeWithdrawal,
    ["reception", "leader"],
    "handling-or-receiving",
  ),
  stop: rule(
    "dossier.stopped",
    ["processing", "awaiting_supplement", "withdrawal_requested"],
    ["leader"],
    "handling-or-receiving",
  ),
};

/** The actions a state allows, in the order of `actions` (what a 409 lists). */
export function allowedActions(state: DossierState): Action[] {
  return actions.filter((a) => actionRules[a].from.includes(state));
}

export function isAllowed(action: Action, state: DossierState): boolean {
  return actionRules[action].from.includes(state);
}

/** The action whose event this is, for events processing produces. */
export function actionOfEvent(type: EventType): Action | undefined {
  return actions.find((a) => actionRules[a].event === type);
}
