import { toEpochMs } from "@tthc/calendar";
import { type AnyEvent, createEvent, toCurrent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import {
  type AcceptanceApplied,
  applySubmissionEvent,
  type SubmissionClock,
} from "../../src/domain/acceptance-clock.js";
import { MonitorCalendars } from "../../src/domain/calendars.js";

const ID = "5b2f9a61-7c3d-4e8f-9a1b-2c3d4e5f6a7b";
const calendars = new MonitorCalendars([]);
const envelope = (at: string) => ({ dossierId: ID, unitCode: "H44.101", correlationId: "c", occurredAt: at });

const submitted = (at: string, acceptanceTime?: { amount: number; unit: "hours" | "days" }) =>
  createEvent("dossier.submitted", {
    ...envelope(at),
    payload: {
      procedureCode: "1.001234",
      submittedAt: at,
      portalRef: null,
      field: "Hộ tịch",
      channel: "online",
      onlineServiceLevel: "full",
      ...(acceptanceTime ? { acceptanceTime } : {}),
    },
  });
const askSupplement = (at: string) =>
  createEvent("dossier.submission-supplement-requested", {
    ...envelope(at),
    payload: {
      procedureCode: "1.001234",
      submittedAt: "2026-11-16T09:00:00+07:00",
      portalRef: null,
      requestNumber: 1,
      missingItems: ["Bản sao"],
      reason: "Thiếu",
      supplyBy: null,
    },
  });
const supplied = (requestedAt: string, at: string) =>
  createEvent("dossier.submission-supplement-received", {
    ...envelope(at),
    payload: { procedureCode: "1.001234", requestNumber: 1, requestedAt, suppliedAt: at },
  });
const refused = (at: string) =>
  createEvent("dossier.submission-refused", {
    ...envelope(at),
    payload: {
      procedureCode: "1.001234",
      submittedAt: "2026-11-16T09:00:00+07:00",
      portalRef: null,
      refusedAt: at,
      reasons: ["Không thuộc thẩm quyền"],
    },
  });

function fold(events: AnyEvent[]) {
  let s: SubmissionClock | null = null;
  const out: AcceptanceApplied[] = [];
  for (const e of events) {
    const a = applySubmissionEvent(s, toCurrent(e), 1, calendars, { share: null });
    if (a) {
      s = a.submission;
      out.push(a);
    }
  }
  return { s: s as SubmissionClock, out };
}

describe("the centre's acceptance deadline of an online submission", () => {
  it("is 8 working hours by default: submitted Mon 16/11/2026 09:00, due Tue 17/11 09:30", () => {
    const { s, out } = fold([submitted("2026-11-16T09:00:00+07:00")]);
    expect(toEpochMs(s.dueAt as string)).toBe(toEpochMs("2026-11-17T09:30:00+07:00"));
    expect(out[0]?.deadlineSet).toMatchObject({ reason: "submitted", sequence: 1, acceptanceMinutes: 480 });
  });

  it("counts from Monday's opening for a submission on Saturday night, and takes the procedure's own time", () => {
    const { s } = fold([submitted("2026-11-21T22:00:00+07:00", { amount: 1, unit: "days" })]);
    expect(toEpochMs(s.dueAt as string)).toBe(toEpochMs("2026-11-23T17:00:00+07:00"));
  });

  it("does not run while the applicant supplies, then gives the centre its whole time again", () => {
    const { s, out } = fold([
      submitted("2026-11-16T09:00:00+07:00"),
      askSupplement("2026-11-16T10:00:00+07:00"),
      supplied("2026-11-16T10:00:00+07:00", "2026-11-19T14:00:00+07:00"),
    ]);
    expect(out[1]?.deadlineSet?.dueAt).toBeNull();
    expect(toEpochMs(s.dueAt as string)).toBe(toEpochMs("2026-11-20T14:30:00+07:00"));
  });

  it("judges an acceptance after the deadline late, and a refusal within it on time", () => {
    const accepted = createEvent("dossier.received", {
      ...envelope("2026-11-17T10:00:00+07:00"),
      payload: {
        dossierCode: "000.00.101.H44-261117-0001",
        procedureCode: "1.001234",
        procedureName: "P",
        field: "Hộ tịch",
        channel: "online",
        receivingUnitCode: "H44.101",
        submittedAt: "2026-11-16T09:00:00+07:00",
        receivedAt: "2026-11-17T10:00:00+07:00",
        clockStartsAt: "2026-11-17T10:00:00+07:00",
        dueAt: "2026-11-18T10:00:00+07:00",
        statutoryTime: { amount: 1, unit: "days" },
        cutOff: null,
        supplementRule: "pause",
        maxSupplementRequests: null,
        steps: [
          {
            id: "r",
            name: "R",
            unitRole: "handling",
            unitCode: "H44.101",
            budget: { amount: 1, unit: "days" },
          },
        ],
        onlineServiceLevel: "full",
        requestedReturnChannel: null,
        procedureRevision: 1,
      },
    });
    const late = fold([submitted("2026-11-16T09:00:00+07:00"), accepted]);
    expect(late.out[1]?.verdict).toMatchObject({ outcome: "accepted", verdict: "late", sequence: 2 });
    const onTime = fold([submitted("2026-11-16T09:00:00+07:00"), refused("2026-11-17T09:30:00+07:00")]);
    expect(onTime.out[1]?.verdict).toMatchObject({ outcome: "refused", verdict: "on_time" });
    expect(onTime.s.status).toBe("closed");
  });

  it("a supplement asked after the deadline clears no lateness", () => {
    const { out } = fold([
      submitted("2026-11-16T09:00:00+07:00"),
      askSupplement("2026-11-18T09:00:00+07:00"),
      supplied("2026-11-18T09:00:00+07:00", "2026-11-18T10:00:00+07:00"),
      refused("2026-11-18T11:00:00+07:00"),
    ]);
    expect(out.at(-1)?.verdict?.verdict).toBe("late");
  });
});

describe("a copy of a submission event folded again", () => {
  it("changes nothing, even after newer events: a supplement asked again after it was supplied", () => {
    const events = [
      submitted("2026-11-16T09:00:00+07:00"),
      askSupplement("2026-11-16T10:00:00+07:00"),
      supplied("2026-11-16T10:00:00+07:00", "2026-11-17T08:00:00+07:00"),
    ];
    const once = fold(events);
    const copies = fold([...events, events[1] as AnyEvent, events[0] as AnyEvent, events[2] as AnyEvent]);
    expect(copies.s).toEqual(once.s);
    expect(copies.out.length).toBe(3);
    // A second request (another id) after the supply does pause the clock again.
    const second = fold([...events, { ...askSupplement("2026-11-17T09:00:00+07:00") }]);
    expect(second.s.status).toBe("awaiting-applicant");
  });
});
