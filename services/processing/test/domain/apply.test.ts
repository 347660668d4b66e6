import { calendarSetFromCatalog } from "@tthc/calendar";
import { describe, expect, it } from "vitest";
import { apply } from "../../src/domain/apply.js";
import { act, decideAt, leader, receivedDossier, receivedEvent } from "./samples.js";

describe("apply: the fold of a dossier's events, which computes no deadline", () => {
  it("reception creates the dossier in state 2 at its first step, due as the receipt of Mon 04/05/2026 says", () => {
    const { dossier, entry } = apply(null, receivedEvent());
    expect(dossier).toMatchObject({
      state: "received",
      version: 1,
      currentUnitCode: "H44.100",
      stepIndex: 0,
      // the receipt's due instant, provisional until the monitor's first sla.deadline-set
      dueAt: "2026-05-25T03:00:00.000Z",
      knownDueAt: "2026-05-25T03:00:00.000Z",
      dueSoonAt: null,
    });
    expect(dossier.visits).toEqual([
      {
        runNo: 1,
        stepId: "receive",
        unitCode: "H44.100",
        staffId: null,
        startedAt: "2026-05-04T03:00:00.000Z",
        endedAt: null,
      },
    ]);
    expect(entry).toMatchObject({ seq: 1, type: "dossier.received", stateAfter: "received" });
  });

  it("a second reception of the same dossier is refused", () => {
    expect(() => apply(receivedDossier(), receivedEvent())).toThrow(
      expect.objectContaining({ code: "ALREADY_RECEIVED" }),
    );
  });

  it("a transfer on Tue 05/05/2026 09:00 moves the dossier to the next step and its unit, ending the visit", () => {
    let d = receivedDossier();
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    d = act(d, "transfer", {}, "2026-05-05T09:00:00+07:00");
    expect(d).toMatchObject({ state: "processing", version: 3, currentUnitCode: "H44.07", stepIndex: 1 });
    expect(d.visits[0]).toMatchObject({ staffId: "cv1@H44.100", endedAt: "2026-05-05T02:00:00.000Z" });
    expect(d.visits[1]).toMatchObject({ stepId: "review", unitCode: "H44.07", endedAt: null });
  });

  it("a supplement request and its supply mark the pause and leave every due instant as it was", () => {
    let d = receivedDossier();
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    d = act(
      d,
      "request-supplement",
      { missingItems: ["Tờ khai"], reason: "Thiếu" },
      "2026-05-12T10:00:00+07:00",
    );
    expect(d).toMatchObject({ state: "awaiting_supplement", pausedAt: "2026-05-12T03:00:00.000Z" });
    d = act(d, "receive-supplement", {}, "2026-05-19T10:00:00+07:00");
    // the monitor moves the due instant (worked example 2: to Mon 01/06/2026 10:00), not the fold
    expect(d).toMatchObject({ state: "processing", pausedAt: null, dueAt: "2026-05-25T03:00:00.000Z" });
  });

  it("an extension keeps the state and records both dates of the apology letter", () => {
    let d = receivedDossier();
    const event = decideAt(
      d,
      "extend",
      { newDueAt: "2026-05-29T10:00:00+07:00", reason: "Cần xác minh" },
      "2026-05-15T10:00:00+07:00",
      leader,
      {
        clockCalendar: calendarSetFromCatalog({ calendars: [], units: [] }).calendarFor(
          "H44.100",
          "2026-05-15T10:00:00+07:00",
        ),
      },
    );
    d = apply(d, event).dossier;
    expect(d).toMatchObject({
      state: "received",
      extendedDueAt: "2026-05-29T03:00:00.000Z",
      extensionPreviousDueAt: "2026-05-25T03:00:00.000Z",
      extendedAt: "2026-05-15T03:00:00.000Z",
    });
  });

  it("an event the state forbids is refused with the allowed actions, as a replay would meet it", () => {
    const d = receivedDossier();
    const resolved = decideAt(
      act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader),
      "resolve",
      { outcome: "approved", refusalReasons: [], electronicResult: false },
      "2026-05-05T11:00:00+07:00",
      leader,
    );
    expect(() => apply(d, resolved)).toThrow(
      expect.objectContaining({
        code: "TRANSITION_FORBIDDEN",
        details: { state: "received", allowed: ["assign", "extend", "withdraw"] },
      }),
    );
  });

  it("replaying the same events gives the same dossier", () => {
    const events = [receivedEvent()];
    let d = apply(null, events[0] as never).dossier;
    for (const [action, body, when, who] of [
      ["assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader],
      ["transfer", {}, "2026-05-05T09:00:00+07:00", undefined],
      [
        "request-payment",
        { obligations: [{ kind: "fee", description: "Phí", amountVnd: 1 }] },
        "2026-05-06T09:00:00+07:00",
        undefined,
      ],
    ] as const) {
      const e = decideAt(d, action, body, when, who);
      events.push(e);
      d = apply(d, e).dossier;
    }
    let replayed = apply(null, events[0] as never).dossier;
    for (const e of events.slice(1)) replayed = apply(replayed, e).dossier;
    expect(replayed).toEqual(d);
  });
});
