import { toEpochMs } from "@tthc/calendar";
import { type AnyEvent, createEvent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { MonitorCalendars } from "../../src/domain/calendars.js";
import { applyEvent, type DossierClock } from "../../src/domain/dossier-clock.js";
import { monthOf, onTimeRate } from "../../src/domain/rates.js";
import { backoffMs } from "../../src/webhooks/delivery.js";

const ID = "6f1c2b9e-1d2a-4c3b-8e4f-5a6b7c8d9e0f";
const calendars = new MonitorCalendars([]);
const rule = { share: null };
const code = "000.00.01.H44-260504-0001";

function received(overrides: Record<string, unknown> = {}): AnyEvent {
  return createEvent("dossier.received", {
    dossierId: ID,
    unitCode: "H44.100",
    correlationId: "c",
    occurredAt: "2026-05-04T10:00:00+07:00",
    payload: {
      dossierCode: code,
      procedureCode: "1.001234",
      procedureName: "Fifteen days",
      field: "Test",
      channel: "direct",
      receivingUnitCode: "H44.100",
      submittedAt: "2026-05-04T10:00:00+07:00",
      receivedAt: "2026-05-04T10:00:00+07:00",
      clockStartsAt: "2026-05-04T10:00:00+07:00",
      dueAt: "2026-05-25T10:00:00+07:00",
      statutoryTime: { amount: 15, unit: "days" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: null,
      steps: [
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: "H44.100",
          budget: { amount: 15, unit: "days" },
        },
      ],
      onlineServiceLevel: null,
      requestedReturnChannel: null,
      procedureRevision: 1,
      ...overrides,
    },
  }) as AnyEvent;
}

function next(type: string, at: string, payload: Record<string, unknown>): AnyEvent {
  return createEvent(
    type as "dossier.resolved",
    {
      dossierId: ID,
      unitCode: "H44.100",
      correlationId: "c",
      occurredAt: at,
      payload: { dossierCode: code, ...payload },
    } as never,
  ) as AnyEvent;
}

function fold(events: AnyEvent[]) {
  let d: DossierClock | null = null;
  const out = [];
  for (const e of events) {
    const a = applyEvent(d, e, 3, calendars, rule);
    if (a) {
      d = a.dossier;
      out.push(a);
    }
  }
  return { d: d as DossierClock, out };
}

describe("the clock of a dossier (DOMAIN.md example 2)", () => {
  it("received Mon 04/05/2026 10:00 with 15 working days is due Mon 25/05/2026 10:00, warned a working day before", () => {
    const { d, out } = fold([received()]);
    expect(toEpochMs(d.dueAt as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
    expect(toEpochMs(d.dueSoonAt as string)).toBe(toEpochMs("2026-05-22T10:00:00+07:00"));
    expect(out[0]?.deadlineSet?.reason).toBe("received");
    expect(out[0]?.deadlineSet?.statutoryMinutes).toBe(6750);
    expect(d.partition).toBe(3);
  });

  it("an online dossier counts from its submission instant, not from its later acceptance", () => {
    const { d } = fold([
      received({
        channel: "online",
        onlineServiceLevel: "full",
        submittedAt: "2026-05-04T10:00:00+07:00",
        receivedAt: "2026-05-06T09:00:00+07:00",
      }),
    ]);
    expect(toEpochMs(d.dueAt as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
  });

  it("a supplement from Tue 12/05 10:00 to Tue 19/05 10:00 pauses it: no due instant while paused, then Mon 01/06 10:00", () => {
    const paused = fold([
      received(),
      next("dossier.supplement-requested", "2026-05-12T10:00:00+07:00", {
        requestNumber: 1,
        missingItems: ["x"],
        reason: "r",
        supplementRule: "pause",
        stepId: "review",
        supplyBy: null,
      }),
    ]);
    expect(paused.d.status).toBe("paused");
    expect(paused.d.dueAt).toBeNull();
    const { d, out } = fold([
      received(),
      next("dossier.supplement-requested", "2026-05-12T10:00:00+07:00", {
        requestNumber: 1,
        missingItems: ["x"],
        reason: "r",
        supplementRule: "pause",
        stepId: "review",
        supplyBy: null,
      }),
      next("dossier.supplement-received", "2026-05-19T10:00:00+07:00", {
        requestNumber: 1,
        requestedAt: "2026-05-12T10:00:00+07:00",
        suppliedAt: "2026-05-19T10:00:00+07:00",
        supplementRule: "pause",
        stepId: "review",
      }),
      next("dossier.resolved", "2026-05-29T10:00:00+07:00", {
        outcome: "approved",
        resolvedAt: "2026-05-29T10:00:00+07:00",
        refusalReasons: [],
        decisionRef: null,
        electronicResult: true,
      }),
    ]);
    expect(out[2]?.deadlineSet?.reason).toBe("resumed");
    expect(toEpochMs(out[2]?.deadlineSet?.dueAt as string)).toBe(toEpochMs("2026-06-01T10:00:00+07:00"));
    expect(out[2]?.deadlineSet?.pausedMinutes).toBe(2250);
    expect(out[3]?.verdict?.verdict).toBe("early");
    expect(out[3]?.verdict?.usedMinutes).toBe(6300);
    expect(out[3]?.verdict?.unitAtFaultCode).toBeNull();
    expect(d.status).toBe("closed");
  });

  it("a dossier resolved after its due instant is late, and its unit is at fault", () => {
    const { out } = fold([
      received(),
      next("dossier.resolved", "2026-05-26T10:00:00+07:00", {
        outcome: "approved",
        resolvedAt: "2026-05-26T10:00:00+07:00",
        refusalReasons: [],
        decisionRef: null,
        electronicResult: true,
      }),
    ]);
    expect(out[1]?.verdict?.verdict).toBe("late");
    expect(out[1]?.verdict?.unitAtFaultCode).toBe("H44.100");
  });

  it("ignores events of a dossier it never saw received, and a second reception", () => {
    expect(
      applyEvent(
        null,
        next("dossier.assigned", "2026-05-05T10:00:00+07:00", {
          stepId: "review",
          assigneeStaffId: "s1",
          assigneeName: null,
          previousAssigneeStaffId: null,
        }),
        0,
        calendars,
        rule,
      ),
    ).toBeNull();
    const { d } = fold([received()]);
    expect(applyEvent(d, received(), 0, calendars, rule)).toBeNull();
  });
});

describe("rates and webhooks", () => {
  it("the month is Vietnam's: 31/05/2026 23:30 +07:00 is May", () => {
    expect(monthOf(toEpochMs("2026-05-31T23:30:00+07:00")).label).toBe("2026-05");
    expect(onTimeRate({ early: 2, onTime: 1, late: 1 })).toBe(0.75);
    expect(onTimeRate({ early: 0, onTime: 0, late: 0 })).toBeNull();
  });

  it("backs off by doubling", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 1_000))).toEqual([1_000, 2_000, 4_000]);
  });
});
