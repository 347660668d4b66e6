import type { DossierState, EventType, StaffRole } from "@tthc/contracts";

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
  /** States the action is allowed from (DOMAIN.md "Allowed"). */
  from: readonly DossierState[];
  /** State after the action; `null` when the action is an event that keeps the state (extension). */
  to: DossierState | null;
  event: EventType;
  roles: readonly StaffRole[];
  unit: ActingUnit;
}

const open = ["received", "processing", "awaiting_supplement", "awaiting_payment"] as const;

/**
 * The state machine of a received dossier (national status codes): 2→4 assign, 4→4 assign or
 * transfer, 4→5→4 supplement, 4→6→4 payment, 4→9 resolve, 9→10 return, {2,4,5,6}→7 withdraw,
 * {4,5,7}→8 stop. The extension with apology (form 04) is an event in an open state.
 */
export const actionRules: Readonly<Record<Action, ActionRule>> = {
  assign: {
    from: ["received", "processing"],
    to: "processing",
    event: "dossier.assigned",
    roles: ["leader", "specialist"],
    unit: "handling",
  },
  transfer: {
    from: ["processing"],
    to: "processing",
    event: "dossier.transferred",
    roles: ["specialist", "leader"],
    unit: "handling",
  },
  "request-supplement": {
    from: ["processing"],
    to: "awaiting_supplement",
    event: "dossier.supplement-requested",
    roles: ["specialist", "leader"],
    unit: "handling",
  },
  "receive-supplement": {
    from: ["awaiting_supplement"],
    to: "processing",
    event: "dossier.supplement-received",
    roles: ["reception", "specialist", "leader"],
    unit: "handling-or-receiving",
  },
  "request-payment": {
    from: ["processing"],
    to: "awaiting_payment",
    event: "dossier.payment-requested",
    roles: ["specialist", "leader"],
    unit: "handling",
  },
  "receive-payment": {
    from: ["awaiting_payment"],
    to: "processing",
    event: "dossier.payment-received",
    roles: ["reception", "specialist", "leader"],
    unit: "handling-or-receiving",
  },
  extend: { from: open, to: null, event: "dossier.extended", roles: ["leader"], unit: "handling" },
  resolve: {
    from: ["processing"],
    to: "resolved",
    event: "dossier.resolved",
    roles: ["leader"],
    unit: "handling",
  },
  return: {
    from: ["resolved"],
    to: "returned",
    event: "dossier.returned",
    roles: ["reception", "leader"],
    unit: "handling-or-receiving",
  },
  withdraw: {
    from: open,
    to: "withdrawal_requested",
    event: "dossier.withdrawal-requested",
    roles: ["reception", "leader"],
    unit: "handling-or-receiving",
  },
  stop: {
    from: ["processing", "awaiting_supplement", "withdrawal_requested"],
    to: "stopped",
    event: "dossier.stopped",
    roles: ["leader"],
    unit: "handling-or-receiving",
  },
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
