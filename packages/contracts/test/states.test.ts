import { describe, expect, it } from "vitest";
import { stateAfterEvent } from "../src/event-states.js";
import { eventTypes } from "../src/registry.js";
import {
  dossierStates,
  isCountedAsReceived,
  nationalStatusCode,
  stateFromNationalCode,
  stateLabelVi,
} from "../src/states.js";

describe("states of record", () => {
  it("are the national portal's codes 1–10, submitted = 1 … returned = 10", () => {
    expect(dossierStates.map((s) => nationalStatusCode[s])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(nationalStatusCode.submitted).toBe(1);
    expect(nationalStatusCode.refused).toBe(3);
    expect(nationalStatusCode.returned).toBe(10);
  });

  it("map back from the portal's code", () => {
    for (const state of dossierStates) expect(stateFromNationalCode(nationalStatusCode[state])).toBe(state);
    expect(stateFromNationalCode(0)).toBeUndefined();
    expect(stateFromNationalCode(11)).toBeUndefined();
    expect(stateFromNationalCode(2.5)).toBeUndefined();
  });

  it("carry the portal's Vietnamese names", () => {
    expect(stateLabelVi.received).toBe("Được tiếp nhận");
    expect(stateLabelVi.refused).toBe("Không được tiếp nhận");
  });

  it("a submission not accepted, or refused at reception, is never counted as received", () => {
    expect(isCountedAsReceived("submitted")).toBe(false);
    expect(isCountedAsReceived("refused")).toBe(false);
    expect(isCountedAsReceived("received")).toBe(true);
    expect(isCountedAsReceived("returned")).toBe(true);
  });
});

describe("the state of record after each event", () => {
  it("follows docs/domain.md: reception is 2, a refusal at reception 3, a decision 9, the return 10", () => {
    expect(nationalStatusCode[stateAfterEvent["dossier.received"] ?? "submitted"]).toBe(2);
    expect(nationalStatusCode[stateAfterEvent["dossier.submission-refused"] ?? "submitted"]).toBe(3);
    expect(nationalStatusCode[stateAfterEvent["dossier.resolved"] ?? "submitted"]).toBe(9);
    expect(nationalStatusCode[stateAfterEvent["dossier.returned"] ?? "submitted"]).toBe(10);
  });

  it("assignment and transfers keep a dossier in 4; extensions and SLA facts change nothing", () => {
    expect(stateAfterEvent["dossier.assigned"]).toBe("processing");
    expect(stateAfterEvent["dossier.transferred"]).toBe("processing");
    expect(stateAfterEvent["dossier.extended"]).toBeNull();
    for (const type of eventTypes.filter((t) => t.startsWith("sla.")))
      expect(stateAfterEvent[type]).toBeNull();
  });

  it("names a state for every event type", () => {
    expect(Object.keys(stateAfterEvent).sort()).toEqual([...eventTypes]);
  });
});
