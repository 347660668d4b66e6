import { readFileSync } from "node:fs";
import { calendarSetFromCatalog } from "@tthc/calendar";
import { Procedure, Unit } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { receivedPayload } from "../src/domain/reception.js";

const load = <T>(file: string): T =>
  JSON.parse(readFileSync(new URL(`../data/${file}`, import.meta.url), "utf8")) as T;

const units = load<{ units: unknown[] }>("units.json").units.map((u) => Unit.parse(u));
const procedures = load<{ procedures: unknown[] }>("procedures.json").procedures.map((p) =>
  Procedure.parse(p),
);
const calendars = calendarSetFromCatalog({
  calendars: [],
  units: units.map((data) => ({ data, revision: 1 })),
});

// Phường Việt Trì (H44.100) opens its counter on Saturday mornings; its handling staff do not work then.
const ward = units.find((u) => u.code === "H44.100") as Unit;
const procedure = (code: string) => procedures.find((p) => p.code === code) as Procedure;

function facts(
  p: Procedure,
  submittedAt: string,
  receivedAt: string,
  channel: "direct" | "online" = "direct",
) {
  return {
    dossierId: "0b6c2a52-5f53-4d6e-9a0e-1d2c3b4a5f60",
    dossierCode: "000.00.100.H44-260508-0001",
    channel,
    procedure: p,
    procedureRevision: 1,
    unit: ward,
    submittedAt: new Date(submittedAt),
    receivedAt: new Date(receivedAt),
    requestedReturnChannel: null,
  };
}

const payload = (f: ReturnType<typeof facts>) =>
  receivedPayload(f, calendars.calendarFor(ward.code, f.receivedAt.getTime()));

describe("the receipt's due date", () => {
  // A 3-working-day procedure of the ward, counted from acceptance.
  const threeDays = procedures.find(
    (p) => p.statutoryTime.unit === "days" && p.statutoryTime.amount === 3 && !p.clockStartsFrom && !p.cutOff,
  ) as Procedure;

  it("a Saturday-morning reception adds no statutory time: received Sat 09/05/2026 09:00 counts from Mon 11/05 07:30", () => {
    const p = payload(facts(threeDays, "2026-05-09T09:00:00+07:00", "2026-05-09T09:00:00+07:00"));
    expect(p.clockStartsAt).toBe("2026-05-11T07:30:00.000+07:00");
    expect(p.dueAt).toBe("2026-05-13T17:00:00.000+07:00");
  });

  it("an online dossier submitted weeks ago and accepted Wed 25/11/2026 09:00 gets a whole clock from its acceptance", () => {
    const p = payload(facts(threeDays, "2026-11-02T20:00:00+07:00", "2026-11-25T09:00:00+07:00", "online"));
    expect(p.clockBasis).toBe("acceptance");
    expect(p.submittedAt).toBe("2026-11-02T20:00:00.000+07:00");
    expect(p.clockStartsAt).toBe("2026-11-25T09:00:00.000+07:00");
    expect(p.dueAt).toBe("2026-11-30T09:00:00.000+07:00");
  });

  it("a procedure counted from the portal submission (Nghị định 297/2025) starts from it, after 17:00 at the next working day", () => {
    const household = procedure("1.001612");
    expect(household.clockStartsFrom).toBe("submission");
    const p = payload(facts(household, "2026-05-04T18:10:00+07:00", "2026-05-06T09:00:00+07:00", "online"));
    expect(p.clockBasis).toBe("submission");
    expect(p.clockStartsAt).toBe("2026-05-05T07:30:00.000+07:00");
    expect(p.dueAt).toBe("2026-05-07T17:00:00.000+07:00");
  });

  it("names the competent unit: the department that decides, for a dossier the provincial centre receives", () => {
    const department = procedures.find((p) => p.steps.some((s) => s.unitRole === "deciding" && s.unitCode));
    expect(department).toBeDefined();
    const p = payload(
      facts(department as Procedure, "2026-05-04T09:00:00+07:00", "2026-05-04T09:00:00+07:00"),
    );
    const deciding = (department as Procedure).steps.find((s) => s.unitRole === "deciding");
    expect(p.competentUnitCode).toBe(deciding?.unitCode);
    expect(p.firstStepDeadlineAt).toBeUndefined();
  });
});
