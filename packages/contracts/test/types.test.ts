import { describe, expectTypeOf, it } from "vitest";
import type { LatestEvent } from "../src/create-event.js";
import type { DossierReceived } from "../src/reception-events.js";
import type { AnyEvent, DossierEvent, EventOf, EventType, SlaEvent } from "../src/registry.js";
import type { SlaVerdict } from "../src/sla-events.js";

describe("inferred types", () => {
  it("name each event by its type", () => {
    expectTypeOf<EventOf<"dossier.received">>().toEqualTypeOf<DossierReceived>();
    expectTypeOf<LatestEvent<"sla.verdict">>().toEqualTypeOf<SlaVerdict>();
    expectTypeOf<DossierReceived["payload"]["channel"]>().toEqualTypeOf<"direct" | "online" | "postal">();
    expectTypeOf<SlaVerdict["payload"]["verdict"]>().toEqualTypeOf<"early" | "on_time" | "late">();
  });

  it("split the union by topic", () => {
    expectTypeOf<DossierReceived>().toExtend<DossierEvent>();
    expectTypeOf<SlaVerdict>().not.toExtend<DossierEvent>();
    expectTypeOf<SlaVerdict>().toExtend<SlaEvent>();
    expectTypeOf<AnyEvent["type"]>().toEqualTypeOf<EventType>();
  });
});
