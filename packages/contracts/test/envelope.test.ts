import { describe, expect, it } from "vitest";
import { createEvent } from "../src/create-event.js";
import { EventEnvelope } from "../src/envelope.js";
import { eventTypes } from "../src/registry.js";
import { fixedNow, samples } from "./fixtures.js";

describe("the envelope", () => {
  it.each([...eventTypes])("holds every %s event before its type is known", (type) => {
    const event = createEvent(type, samples[type], { now: () => fixedNow });
    expect(EventEnvelope.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
  });

  it("needs an id, a correlation id and the dossier it is about", () => {
    const event = JSON.parse(
      JSON.stringify(createEvent("dossier.returned", samples["dossier.returned"])),
    ) as Record<string, unknown>;
    for (const field of ["id", "correlationId", "dossierId", "unitCode", "occurredAt", "recordedAt"]) {
      const { [field]: _gone, ...rest } = event;
      expect(EventEnvelope.safeParse(rest).error?.issues[0]?.path).toEqual([field]);
    }
  });

  it("the actor is optional but, when there, names a staff member and their unit", () => {
    const event = createEvent("dossier.assigned", samples["dossier.assigned"]);
    expect(event.actor).toEqual({ staffId: "staff-0042", unitCode: "H44.100", roles: ["reception"] });
    const bad = { ...event, actor: { staffId: "staff-0042" } };
    expect(EventEnvelope.safeParse(bad).error?.issues[0]?.path).toEqual(["actor", "unitCode"]);
    const { actor: _none, ...system } = event;
    expect(EventEnvelope.safeParse(system).success).toBe(true);
  });
});
