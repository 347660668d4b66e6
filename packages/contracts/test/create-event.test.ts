import { describe, expect, it } from "vitest";
import { createEvent } from "../src/create-event.js";
import { ContractViolation } from "../src/parse-result.js";
import { fixedId, fixedNow, samples } from "./fixtures.js";

describe("createEvent", () => {
  it("fills id, version and recordedAt (Vietnam time), and occurredAt when absent", () => {
    const { occurredAt: _none, ...fields } = samples["dossier.assigned"];
    const event = createEvent("dossier.assigned", fields, { now: () => fixedNow, newId: () => fixedId });
    expect(event.id).toBe(fixedId);
    expect(event.type).toBe("dossier.assigned");
    expect(event.version).toBe(1);
    expect(event.recordedAt).toBe("2026-05-04T10:00:05.000+07:00");
    expect(event.occurredAt).toBe(event.recordedAt);
  });

  it("keeps the occurredAt it is given", () => {
    const event = createEvent("dossier.received", samples["dossier.received"], { now: () => fixedNow });
    expect(event.occurredAt).toBe("2026-05-04T10:00:00+07:00");
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("throws a ContractViolation naming the bad field", () => {
    const fields = samples["dossier.extended"];
    const backwards = { ...fields, payload: { ...fields.payload, newDueAt: "2026-05-20T10:00:00+07:00" } };
    let thrown: unknown;
    try {
      createEvent("dossier.extended", backwards);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ContractViolation);
    expect((thrown as ContractViolation).message).toBe(
      "payload.newDueAt: newDueAt must be after previousDueAt",
    );
    expect((thrown as ContractViolation).error.issues[0]?.path).toEqual(["payload", "newDueAt"]);
  });

  it("cannot be talked into another type or version by its fields", () => {
    const sneaky = {
      ...samples["dossier.returned"],
      type: "sla.verdict",
      version: 9,
    } as (typeof samples)["dossier.returned"];
    const event = createEvent("dossier.returned", sneaky);
    expect(event.type).toBe("dossier.returned");
    expect(event.version).toBe(1);
  });
});
