import { dossierStates, stateAfterEvent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { actionRules, actions, allowedActions } from "../../src/domain/transitions.js";

// docs/domain.md, "States": 2→4, 4→4, 4→5, 5→4, 4→6, 6→4, 4→8, 5→8, 4→9, 9→10, {2,4,5,6}→7→8.
describe("the state machine of a received dossier (docs/domain.md, States)", () => {
  const table: Record<string, string[]> = {
    submitted: [],
    refused: [],
    received: ["assign", "extend", "withdraw"],
    processing: [
      "assign",
      "transfer",
      "request-supplement",
      "request-payment",
      "extend",
      "resolve",
      "withdraw",
      "stop",
    ],
    awaiting_supplement: ["receive-supplement", "extend", "withdraw", "stop"],
    awaiting_payment: ["receive-payment", "extend", "withdraw"],
    withdrawal_requested: ["stop"],
    stopped: [],
    resolved: ["return"],
    returned: [],
  };
  for (const state of dossierStates) {
    it(`${state} allows ${table[state]?.join(", ") || "nothing"}`, () => {
      expect(allowedActions(state)).toEqual(table[state]);
    });
  }

  const code = (s: string) => dossierStates.indexOf(s as never) + 1;
  const allowedMoves = new Set([
    "2→4",
    "4→4",
    "4→5",
    "5→4",
    "4→6",
    "6→4",
    "4→8",
    "5→8",
    "4→9",
    "9→10",
    "2→7",
    "4→7",
    "5→7",
    "6→7",
    "7→8",
  ]);

  it("each action leads where contracts' stateAfterEvent says its event does, by a move the domain allows", () => {
    for (const action of actions) {
      const rule = actionRules[action];
      expect(rule.to, action).toBe(stateAfterEvent[rule.event]);
      for (const from of rule.from) {
        const to = rule.to ?? from;
        // an extension keeps the state: an event, not a move
        if (rule.to === null) continue;
        expect(allowedMoves.has(`${code(from)}→${code(to)}`), `${action}: ${from} → ${to}`).toBe(true);
      }
    }
  });
});
