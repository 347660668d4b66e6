import { toEpochMs } from "@tthc/calendar";
import { type AnyEvent, type CatalogRecord, createEvent, toCurrent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { MonitorCalendars } from "../../src/domain/calendars.js";
import { applyEvent, type DossierClock } from "../../src/domain/dossier-clock.js";
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

function fold(events: AnyEvent[], c = calendars) {
  let d: DossierClock | null = null;
  const out = [];
  for (const e of events) {
    const a = applyEvent(d, toCurrent(e), 3, { calendars: c, rule });
    if (a) {
      d = a.dossier;
      out.push(a);
    }
  }
  return { d: d as DossierClock, out };
}

describe("the clock of a dossier (docs/domain.md, worked example 2)", () => {
  it("received Mon 04/05/2026 10:00 with 15 working days is due Mon 25/05/2026 10:00, warned a working day before", () => {
    const { d, out } = fold([received()]);
    expect(toEpochMs(d.dueAt as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
    expect(toEpochMs(d.dueSoonAt as string)).toBe(toEpochMs("2026-05-22T10:00:00+07:00"));
    expect(out[0]?.deadlineSet?.reason).toBe("received");
    expect(out[0]?.deadlineSet?.statutoryMinutes).toBe(6750);
    expect(d.partition).toBe(3);
  });

  it("an online dossier submitted Mon 04/05 and accepted Wed 06/05/2026 09:00 counts from its acceptance (finding 1)", () => {
    const { d, out } = fold([
      received({
        channel: "online",
        onlineServiceLevel: "full",
        submittedAt: "2026-05-04T10:00:00+07:00",
        receivedAt: "2026-05-06T09:00:00+07:00",
      }),
    ]);
    expect(toEpochMs(d.dueAt as string)).toBe(toEpochMs("2026-05-27T09:00:00+07:00"));
    expect(out[0]?.deadlineSet?.clockBasis).toBe("acceptance");
  });

  it("a procedure counted from the portal submission starts from it", () => {
    const { d } = fold([
      received({
        channel: "online",
        clockBasis: "submission",
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
        toCurrent(
          next("dossier.assigned", "2026-05-05T10:00:00+07:00", {
            stepId: "review",
            assigneeStaffId: "s1",
            assigneeName: null,
            previousAssigneeStaffId: null,
          }),
        ),
        0,
        { calendars, rule },
      ),
    ).toBeNull();
    const { d } = fold([received()]);
    expect(applyEvent(d, toCurrent(received()), 0, { calendars, rule })).toBeNull();
  });
});

describe("webhooks", () => {
  it("backs off by doubling", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 1_000))).toEqual([1_000, 2_000, 4_000]);
  });
});

/** A three-step process: reception at the commune, review by a department, approval back at the commune. */
const threeSteps = {
  statutoryTime: { amount: 3, unit: "days" },
  dueAt: "2026-05-07T10:00:00+07:00",
  steps: [
    {
      id: "reception",
      name: "Tiếp nhận",
      unitRole: "receiving",
      unitCode: "H44.100",
      budget: { amount: 0.5, unit: "days" },
    },
    {
      id: "review",
      name: "Thẩm định",
      unitRole: "handling",
      unitCode: "H44.100",
      budget: { amount: 2, unit: "days" },
    },
    {
      id: "approval",
      name: "Phê duyệt",
      unitRole: "deciding",
      unitCode: "H44.100",
      budget: { amount: 0.5, unit: "days" },
    },
  ],
};
const transfer = (at: string, from: string, to: string, toUnitCode: string) =>
  next("dossier.transferred", at, {
    fromStepId: from,
    toStepId: to,
    fromUnitCode: "H44.100",
    toUnitCode,
    assigneeStaffId: null,
    note: null,
  });
const resolve = (at: string) =>
  next("dossier.resolved", at, {
    outcome: "approved",
    resolvedAt: at,
    refusalReasons: [],
    decisionRef: null,
    electronicResult: true,
  });

describe("steps, transfers and the unit at fault", () => {
  it("files a step transferred to a department under that department, and blames it when it overruns (finding 2)", () => {
    const { out } = fold([
      received(threeSteps),
      transfer("2026-05-04T12:00:00+07:00", "reception", "review", "H44.07"),
      transfer("2026-05-08T10:00:00+07:00", "review", "approval", "H44.100"),
      resolve("2026-05-08T11:00:00+07:00"),
    ]);
    const verdict = out.at(-1)?.verdict;
    expect(verdict?.verdict).toBe("late");
    expect(verdict?.steps.map((s) => [s.runNo, s.stepId, s.unitCode, s.late])).toEqual([
      [1, "reception", "H44.100", false],
      [2, "review", "H44.07", true],
      // Started late because the review overran, the approval is not blamed for it.
      [3, "approval", "H44.100", false],
    ]);
    // The review overran by far the most: the department is at fault, not the receiving commune.
    expect(verdict?.unitAtFaultCode).toBe("H44.07");
  });

  it("counts a transferred step in the working time of the unit holding it", () => {
    // The department is closed on the make-up Saturday 22/08/2026 that the default calendar works.
    const department: CatalogRecord = {
      type: "unit",
      version: 1,
      key: "unit:H44.07",
      revision: 1,
      updatedAt: "2026-01-01T00:00:00+07:00",
      data: {
        code: "H44.07",
        name: "Sở Công Thương",
        level: "department",
        parentCode: "H44",
        electronicId: "000.00.07.H44",
        workingSessions: {
          sessions: [
            { weekdays: [1, 2, 3, 4, 5], from: "07:30", to: "11:30" },
            { weekdays: [1, 2, 3, 4, 5], from: "13:30", to: "17:00" },
          ],
          makeUpDaysAreWorking: false,
        },
        active: true,
      },
    };
    const events = [
      received({
        ...threeSteps,
        receivedAt: "2026-08-20T08:00:00+07:00",
        submittedAt: "2026-08-20T08:00:00+07:00",
      }),
      transfer("2026-08-21T10:00:00+07:00", "reception", "review", "H44.07"),
    ];
    const own = fold(events, new MonitorCalendars([department]));
    const byDefault = fold(events);
    const review = (f: typeof own) =>
      f.out.at(-1)?.deadlineSet?.steps.find((s) => s.stepId === "review")?.dueAt;
    // Two working days from Fri 21/08 10:00: Tue 25/08 10:00 in the department's time, Mon 24/08 10:00 had
    // the make-up Saturday counted.
    expect(toEpochMs(review(own) as string)).toBe(toEpochMs("2026-08-25T10:00:00+07:00"));
    expect(toEpochMs(review(byDefault) as string)).toBe(toEpochMs("2026-08-24T10:00:00+07:00"));
  });

  it("publishes every change with a growing sequence: received, transferred, paused, resumed, extended, then the verdict", () => {
    const { out } = fold([
      received(threeSteps),
      transfer("2026-05-04T12:00:00+07:00", "reception", "review", "H44.100"),
      next("dossier.supplement-requested", "2026-05-05T10:00:00+07:00", {
        requestNumber: 1,
        missingItems: ["x"],
        reason: "r",
        supplementRule: "pause",
        stepId: "review",
        supplyBy: null,
      }),
      next("dossier.supplement-received", "2026-05-06T10:00:00+07:00", {
        requestNumber: 1,
        requestedAt: "2026-05-05T10:00:00+07:00",
        suppliedAt: "2026-05-06T10:00:00+07:00",
        supplementRule: "pause",
        stepId: "review",
      }),
      next("dossier.extended", "2026-05-06T11:00:00+07:00", {
        previousDueAt: "2026-05-08T10:00:00+07:00",
        newDueAt: "2026-05-12T10:00:00+07:00",
        reason: "Cần xác minh thêm",
        faultUnitCode: "H44.100",
        apologyLetterRef: null,
      }),
      resolve("2026-05-11T10:00:00+07:00"),
    ]);
    expect(out.map((a) => a.deadlineSet?.reason ?? (a.verdict ? "verdict" : null))).toEqual([
      "received",
      "transferred",
      "paused",
      "resumed",
      "extended",
      "verdict",
    ]);
    expect(out.map((a) => (a.deadlineSet ?? a.verdict)?.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out[4]?.deadlineSet?.promisedAt).not.toBeNull();
    // Late against the original due instant, Fri 08/05 10:00, but the apology's promise was kept.
    expect(out[5]?.verdict).toMatchObject({ verdict: "late", extensionPromiseKept: true });
  });
});

describe("a supplement asked after the due instant clears no lateness (finding 6)", () => {
  const ask = (at: string, rule: "pause" | "reset") =>
    next("dossier.supplement-requested", at, {
      requestNumber: 1,
      missingItems: ["x"],
      reason: "r",
      supplementRule: rule,
      stepId: "review",
      supplyBy: null,
    });
  const supply = (requestedAt: string, at: string, rule: "pause" | "reset") =>
    next("dossier.supplement-received", at, {
      requestNumber: 1,
      requestedAt,
      suppliedAt: at,
      supplementRule: rule,
      stepId: "review",
    });

  it("under the reset rule, asked on Tue 26/05 after the due instant Mon 25/05 10:00: not counted again, late", () => {
    const { d, out } = fold([
      received({ supplementRule: "reset" }),
      ask("2026-05-26T10:00:00+07:00", "reset"),
      supply("2026-05-26T10:00:00+07:00", "2026-05-27T10:00:00+07:00", "reset"),
      resolve("2026-05-27T11:00:00+07:00"),
    ]);
    expect(out[2]?.deadlineSet?.reason).toBe("resumed");
    expect(toEpochMs(out[2]?.deadlineSet?.dueAt as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
    expect(out[3]?.verdict?.verdict).toBe("late");
    expect(toEpochMs(out[3]?.verdict?.lateSince as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
    expect(d.resets).toEqual([]);
  });

  it("under the reset rule, asked before the due instant: counted again in full from the complete dossier", () => {
    const { d, out } = fold([
      received({ supplementRule: "reset" }),
      ask("2026-05-20T10:00:00+07:00", "reset"),
      supply("2026-05-20T10:00:00+07:00", "2026-05-27T10:00:00+07:00", "reset"),
      resolve("2026-06-10T10:00:00+07:00"),
    ]);
    expect(out[2]?.deadlineSet?.reason).toBe("reset");
    // Fifteen working days again from Wed 27/05 10:00.
    expect(toEpochMs(out[2]?.deadlineSet?.dueAt as string)).toBe(toEpochMs("2026-06-17T10:00:00+07:00"));
    expect(out[3]?.verdict?.verdict).toBe("early");
    expect(d.runs.map((r) => r.stepId)).toEqual(["review", "review"]);
  });

  it("under the pause rule, asked after the due instant: overdue while paused, late when resolved", () => {
    const { d, out } = fold([received(), ask("2026-05-26T10:00:00+07:00", "pause")]);
    expect(toEpochMs(d.dueAt as string)).toBe(toEpochMs("2026-05-25T10:00:00+07:00"));
    expect(out[1]?.deadlineSet?.lateSince).not.toBeNull();
  });
});

describe("a copy of an event folded again (the bus delivers at least once)", () => {
  const ask = next("dossier.supplement-requested", "2026-05-12T10:00:00+07:00", {
    requestNumber: 1,
    missingItems: ["x"],
    reason: "r",
    supplementRule: "pause",
    stepId: "review",
    supplyBy: null,
  });
  const supply = next("dossier.supplement-received", "2026-05-19T10:00:00+07:00", {
    requestNumber: 1,
    requestedAt: "2026-05-12T10:00:00+07:00",
    suppliedAt: "2026-05-19T10:00:00+07:00",
    supplementRule: "pause",
    stepId: "review",
  });
  const move = next("dossier.transferred", "2026-05-13T10:00:00+07:00", {
    fromStepId: "review",
    toStepId: "review",
    fromUnitCode: "H44.100",
    toUnitCode: "H44.04",
    assigneeStaffId: null,
    note: null,
  });
  const again = (e: AnyEvent): AnyEvent => ({ ...e, id: crypto.randomUUID() }) as AnyEvent;
  const r = received();

  it("another transfer or supplement (a new id) moves the clock again: a run, a deadline, a note", () => {
    const once = fold([r, move, ask, supply]);
    const twice = fold([r, move, again(move), ask, again(ask), supply, again(supply)]);
    expect(twice.d.runs.length).toBe(once.d.runs.length + 1);
    expect(twice.d.sequence).toBeGreaterThan(once.d.sequence);
    expect(twice.d.history.some((h) => h.note?.startsWith("ignored"))).toBe(true);
  });

  it("the same transfer, pause or supply again, now or after newer events, changes nothing", () => {
    const once = fold([r, move, ask, supply]);
    const copies = fold([r, move, move, ask, move, ask, supply, ask, move, supply, r]);
    expect(copies.d).toEqual(once.d);
    expect(copies.out.length).toBe(once.out.length);
    expect(once.d.appliedEvents.length).toBe(4);
  });
});
