import { createEvent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { foldDossierEvents } from "../src/domain/dossier-status.js";
import { at, history } from "./dossier-history.js";
import { UNIT } from "./fixtures.js";

const A = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a01";
const B = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a02";

describe("a batch of events folded per dossier", () => {
  it("keeps each dossier's lifecycle events in delivery order, each id once, and its highest deadline", () => {
    const a = history(A);
    const b = history(B);
    const changes = foldDossierEvents([...a, b[0]!, ...a, b[1]!, b[0]!]);
    expect(changes.map((c) => c.dossierId)).toEqual([A, B]);
    const [ofA, ofB] = changes;
    expect(ofA?.steps.map((s) => s.state)).toEqual([
      "processing",
      "processing",
      "awaiting_supplement",
      "processing",
    ]);
    expect(ofA?.steps.map((s) => s.handlingUnitCode)).toEqual([null, "H44.04", null, null]);
    expect(new Set(ofA?.steps.map((s) => s.eventId)).size).toBe(4);
    expect(ofA?.deadline).toEqual({ sequence: 2, dueAt: at("10:00", "26") });
    expect(ofB?.steps).toHaveLength(2);
    expect(ofB?.deadline).toBeNull();
  });

  it("leaves out intake's own events and a deadline still unknown", () => {
    const received = createEvent(
      "dossier.submitted",
      {
        dossierId: A,
        unitCode: UNIT,
        correlationId: "fold",
        occurredAt: at("09:00", "10"),
        payload: {
          procedureCode: "9.000002",
          submittedAt: at("09:00", "10"),
          portalRef: "DVCQG-1",
          field: "Đất đai",
          channel: "online",
          onlineServiceLevel: "full",
          acceptanceTime: { amount: 8, unit: "hours" },
        },
      },
      { now: () => new Date(at("09:00", "10")) },
    );
    expect(foldDossierEvents([received])).toEqual([]);
  });
});
