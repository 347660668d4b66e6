import { dossierStates } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { allowedActions } from "../../src/domain/transitions.js";

// DOMAIN.md "Allowed": 2→4, 4→4, 4→5, 4→6, 6→4, 5→4, 5→8, 4→8, 4→9, 9→10, {2,4,5,6}→7→8.
describe("the state machine of a received dossier (DOMAIN.md, Allowed)", () => {
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
});
