import { createCalendarSet, unitSessionsFromCatalog } from "@tthc/calendar";
import { type Actor, type AnyEvent, createEvent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { apply, withStepDeadline } from "../../src/domain/apply.js";
import { decide } from "../../src/domain/commands.js";
import type { Dossier } from "../../src/domain/dossier.js";
import { DomainError } from "../../src/domain/errors.js";
import { unitCalendarsOf } from "../../src/domain/working-time.js";

const DOSSIER = "0b6c2a52-5f53-4d6e-9a0e-1d2c3b4a5f60";
const actor: Actor = { staffId: "cv1@H44.100", unitCode: "H44.100", roles: ["specialist" as const] };
const leader: Actor = { staffId: "ld@H44.100", unitCode: "H44.100", roles: ["leader" as const] };

function receivedEvent(receivedAt = "2026-05-04T10:00:00+07:00"): AnyEvent {
  return createEvent("dossier.received", {
    dossierId: DOSSIER,
    unitCode: "H44.100",
    correlationId: "test",
    occurredAt: receivedAt,
    payload: {
      dossierCode: "000.00.01.H44-260504-0001",
      procedureCode: "1.001193",
      procedureName: "Thủ tục đăng ký khai sinh",
      field: "Hộ tịch",
      channel: "direct",
      receivingUnitCode: "H44.100",
      submittedAt: receivedAt,
      receivedAt,
      clockStartsAt: receivedAt,
      dueAt: "2026-05-25T10:00:00+07:00",
      statutoryTime: { amount: 15, unit: "days" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: 1,
      steps: [
        {
          id: "receive",
          name: "Tiếp nhận",
          unitRole: "receiving",
          unitCode: "H44.100",
          budget: { amount: 1, unit: "days" },
        },
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: "H44.07",
          budget: { amount: 10, unit: "days" },
        },
        {
          id: "approve",
          name: "Phê duyệt",
          unitRole: "deciding",
          unitCode: "H44.07",
          budget: { amount: 4, unit: "days" },
        },
      ],
      onlineServiceLevel: null,
      requestedReturnChannel: null,
      procedureRevision: 1,
    },
  });
}

const at = (s: string) => new Date(s);
function act(
  d: Dossier,
  action: Parameters<typeof decide>[1]["action"],
  body: object,
  when: string,
  who = actor,
) {
  const event = decide(d, {
    action,
    body: { expectedVersion: d.version, ...body } as never,
    actor: who,
    correlationId: "test",
    now: at(when),
  });
  return apply(d, event).dossier;
}

describe("apply: the fold of a dossier's events", () => {
  it("reception creates the dossier in state 2 at its first step, version 1", () => {
    const { dossier, entry } = apply(null, receivedEvent());
    expect(dossier).toMatchObject({
      state: "received",
      version: 1,
      currentUnitCode: "H44.100",
      stepIndex: 0,
    });
    // 1 working day from Mon 04/05/2026 10:00 is Tue 05/05 10:00
    expect(dossier.runs[0]).toMatchObject({ stepId: "receive", deadlineAt: "2026-05-05T03:00:00.000Z" });
    expect(entry).toMatchObject({ seq: 1, type: "dossier.received", stateAfter: "received" });
  });

  it("a transfer moves the dossier to the next step and its unit and ends the previous step", () => {
    let d = apply(null, receivedEvent()).dossier;
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    d = act(d, "transfer", {}, "2026-05-05T09:00:00+07:00");
    expect(d).toMatchObject({ state: "processing", version: 3, currentUnitCode: "H44.07", stepIndex: 1 });
    expect(d.runs[0]).toMatchObject({ staffId: "cv1@H44.100", endedAt: "2026-05-05T02:00:00.000Z" });
    expect(d.runs[1]).toMatchObject({ stepId: "review", unitCode: "H44.07", endedAt: null });
  });

  it("a supplement pause moves the open step's deadline by the paused working time", () => {
    let d = apply(null, receivedEvent()).dossier;
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    const deadline = d.runs[0]?.deadlineAt;
    d = act(
      d,
      "request-supplement",
      { missingItems: ["Tờ khai"], reason: "Thiếu" },
      "2026-05-04T14:00:00+07:00",
    );
    expect(d.state).toBe("awaiting_supplement");
    d = act(d, "receive-supplement", {}, "2026-05-06T14:00:00+07:00");
    expect(deadline).toBe("2026-05-05T03:00:00.000Z");
    // paused two working days: Tue 05/05 10:00 → Thu 07/05 10:00
    expect(d.runs[0]?.deadlineAt).toBe("2026-05-07T03:00:00.000Z");
  });

  describe("step deadlines in the step unit's own working time", () => {
    // H44.07 also works Saturday mornings, 07:30–11:30.
    const saturdays = unitCalendarsOf(
      createCalendarSet({
        units: [
          unitSessionsFromCatalog({
            code: "H44.07",
            name: "Sở",
            workingSessions: {
              makeUpDaysAreWorking: true,
              sessions: [
                { weekdays: [1, 2, 3, 4, 5, 6], from: "07:30", to: "11:30" },
                { weekdays: [1, 2, 3, 4, 5], from: "13:30", to: "17:00" },
              ],
            },
          }),
        ],
      }),
    );
    const transferredOnFriday = () => {
      let d = apply(null, receivedEvent("2026-05-07T10:00:00+07:00")).dossier;
      d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-07T11:00:00+07:00", leader);
      const event = decide(d, {
        action: "transfer",
        body: { expectedVersion: d.version } as never,
        actor,
        correlationId: "test",
        now: at("2026-05-08T16:00:00+07:00"),
      });
      return { d, event };
    };

    it("a transfer stamps the deadline computed with the new unit's sessions into the event", () => {
      const { d, event } = transferredOnFriday();
      const stamped = withStepDeadline(d, event, saturdays);
      // 10 working days of 7.5 h from Fri 08/05 16:00: with the Saturday mornings 09/05 and 16/05
      // (4 h each) Thu 21/05 15:30, against Fri 22/05 16:00 with the default sessions.
      expect(stamped.payload).toMatchObject({ stepDeadlineAt: "2026-05-21T15:30:00.000+07:00" });
      expect(apply(d, event).dossier.runs[1]?.deadlineAt).toBe("2026-05-22T09:00:00.000Z");
    });

    it("a replay with the default calendars takes the stamped deadline as written", () => {
      const { d, event } = transferredOnFriday();
      const stamped = withStepDeadline(d, event, saturdays);
      const live = apply(d, stamped, saturdays).dossier;
      const replayed = apply(d, stamped).dossier;
      expect(replayed.runs).toEqual(live.runs);
      expect(replayed.runs[1]?.deadlineAt).toBe("2026-05-21T08:30:00.000Z");
    });

    it("leaves events that open no step unchanged", () => {
      const d = apply(null, receivedEvent()).dossier;
      const event = decide(d, {
        action: "assign",
        body: { expectedVersion: d.version, assigneeStaffId: "cv1@H44.100" } as never,
        actor: leader,
        correlationId: "test",
        now: at("2026-05-04T11:00:00+07:00"),
      });
      expect(withStepDeadline(d, event, saturdays)).toBe(event);
    });
  });

  it("a second supplement request beyond the procedure's limit is refused", () => {
    let d = apply(null, receivedEvent()).dossier;
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    d = act(d, "request-supplement", { missingItems: ["A"], reason: "r" }, "2026-05-04T14:00:00+07:00");
    d = act(d, "receive-supplement", {}, "2026-05-05T14:00:00+07:00");
    expect(() =>
      act(d, "request-supplement", { missingItems: ["B"], reason: "r" }, "2026-05-05T15:00:00+07:00"),
    ).toThrow(expect.objectContaining({ code: "SUPPLEMENT_LIMIT" }));
  });

  it("an extension needs a working day's notice and happens once", () => {
    let d = apply(null, receivedEvent()).dossier;
    const ext = { newDueAt: "2026-05-29T10:00:00+07:00", reason: "Cần xác minh" };
    // Fri 22/05 10:00 is one working day (450 min) before Mon 25/05 10:00: allowed
    expect(() => act(d, "extend", ext, "2026-05-22T10:30:00+07:00", leader)).toThrow(DomainError);
    d = act(d, "extend", ext, "2026-05-22T10:00:00+07:00", leader);
    expect(d.extendedDueAt).toBe("2026-05-29T03:00:00.000Z");
    expect(() => act(d, "extend", ext, "2026-05-22T10:00:00+07:00", leader)).toThrow(
      expect.objectContaining({ code: "ALREADY_EXTENDED" }),
    );
  });

  it("a forbidden transition lists the allowed actions", () => {
    const d = apply(null, receivedEvent()).dossier;
    expect(() =>
      act(
        d,
        "resolve",
        { outcome: "approved", refusalReasons: [], electronicResult: false },
        "2026-05-04T11:00:00+07:00",
        leader,
      ),
    ).toThrow(
      expect.objectContaining({
        code: "TRANSITION_FORBIDDEN",
        details: { state: "received", allowed: ["assign", "extend", "withdraw"] },
      }),
    );
  });
});
