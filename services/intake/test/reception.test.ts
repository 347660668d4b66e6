import { readFileSync } from "node:fs";
import { createCalendarSet, unitSessionsFromCatalog } from "@tthc/calendar";
import { Procedure, Unit } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { receivedPayload } from "../src/domain/reception.js";

const load = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../data/${file}`, import.meta.url), "utf8")) as T;

const units = load<{ units: unknown[] }>("units.json").units.map((u) => Unit.parse(u));
const procedures = load<{ procedures: unknown[] }>("procedures.json").procedures.map((p) =>
  Procedure.parse(p),
);

// Phường Việt Trì (H44.100) also works Saturday mornings; birth registration's first step is half an hour.
const ward = units.find((u) => u.code === "H44.100") as Unit;
const birth = procedures.find((p) => p.code === "1.001193") as Procedure;
const calendars = createCalendarSet({ units: units.map(unitSessionsFromCatalog) });

function facts(receivedAt: string) {
  const at = new Date(receivedAt);
  return {
    dossierId: "0b6c2a52-5f53-4d6e-9a0e-1d2c3b4a5f60",
    dossierCode: "000.00.01.H44-260508-0001",
    channel: "direct" as const,
    procedure: birth,
    procedureRevision: 1,
    unit: ward,
    submittedAt: at,
    receivedAt: at,
    requestedReturnChannel: null,
  };
}

describe("the received event's first step deadline", () => {
  it("is counted in the first step unit's own sessions: Fri 16:45 + 30 min is Sat 07:45 at the ward", () => {
    expect(birth.steps[0]?.budget).toEqual({ amount: 0.5, unit: "hours" });
    expect(ward.workingSessions?.sessions.some((s) => s.weekdays.includes(6))).toBe(true);
    const received = facts("2026-05-08T16:45:00+07:00");
    const at = received.receivedAt.getTime();
    const own = receivedPayload(received, calendars.asOf(at, ward.code), (code) => calendars.asOf(at, code));
    expect(own.firstStepDeadlineAt).toBe("2026-05-09T07:45:00.000+07:00");
    // With the default sessions it would have been Mon 11/05 07:45.
    const byDefault = receivedPayload(received, calendars.asOf(at));
    expect(byDefault.firstStepDeadlineAt).toBe("2026-05-11T07:45:00.000+07:00");
  });
});
