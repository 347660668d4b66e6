import { calendarSetFromCatalog } from "@tthc/calendar";
import { describe, expect, it } from "vitest";
import { apply } from "../../src/domain/apply.js";
import type { Dossier } from "../../src/domain/dossier.js";
import { act, decideAt, leader, receivedDossier } from "./samples.js";

/** The catalogue's calendars: the default sessions, and a receiving unit that works 07:00–09:00 on weekdays. */
const catalogue = calendarSetFromCatalog({
  calendars: [],
  units: [
    {
      revision: 1,
      data: {
        code: "H44.08",
        name: "Phường làm hai giờ",
        workingSessions: {
          sessions: [{ weekdays: [1, 2, 3, 4, 5], from: "07:00", to: "09:00" }],
          makeUpDaysAreWorking: true,
        },
      },
    },
  ],
});

/** The dossier's clock calendar at `when`: its receiving unit's, as the catalogue says. */
const clockOf = (d: Dossier, when: string) => ({
  clockCalendar: catalogue.calendarFor(d.receivingUnitCode, when),
});

function extendAt(d: Dossier, when: string, newDueAt = "2026-06-05T10:00:00+07:00") {
  return decideAt(d, "extend", { newDueAt, reason: "Cần xác minh" }, when, leader, clockOf(d, when));
}

const dueAt = (d: Dossier, dueAt: string | null, knownDueAt = d.knownDueAt): Dossier => ({
  ...d,
  dueAt,
  knownDueAt,
});

describe("extension with apology: the letter at least one working day before the due instant", () => {
  it("Fri 22/05/2026 10:00 is one working day (450 min) before Mon 25/05 10:00: in time; 10:01 is not", () => {
    const d = receivedDossier();
    expect(extendAt(d, "2026-05-22T10:00:00+07:00").type).toBe("dossier.extended");
    expect(() => extendAt(d, "2026-05-22T10:01:00+07:00")).toThrow(
      expect.objectContaining({
        code: "EXTENSION_TOO_LATE",
        details: expect.objectContaining({ overdue: false }),
      }),
    );
  });

  it("counts in the receiving unit's working time: Thu 21/05 16:00 for Fri 22/05 09:00", () => {
    // Default sessions: 60 + 90 = 150 working minutes, less than a day of 450: too late.
    const ward = dueAt(receivedDossier(), "2026-05-22T02:00:00.000Z");
    expect(() => extendAt(ward, "2026-05-21T16:00:00+07:00")).toThrow(
      expect.objectContaining({ code: "EXTENSION_TOO_LATE" }),
    );
    // A receiving unit working 07:00–09:00: Friday's 120 minutes are its whole working day: in time.
    const shortHours = { ...ward, receivingUnitCode: "H44.08" };
    expect(extendAt(shortHours, "2026-05-21T16:00:00+07:00").payload).toMatchObject({
      previousDueAt: "2026-05-22T09:00:00.000+07:00",
    });
  });

  it("an overdue dossier is refused: Mon 25/05/2026 10:00:01 after its due instant of 10:00", () => {
    const d = receivedDossier();
    expect(() => extendAt(d, "2026-05-25T10:00:01+07:00")).toThrow(
      expect.objectContaining({
        code: "EXTENSION_TOO_LATE",
        details: expect.objectContaining({ overdue: true }),
      }),
    );
  });

  it("while a pause hides the due instant the notice is in time, and the new date is after the last one known", () => {
    const paused = dueAt(receivedDossier(), null, "2026-05-25T03:00:00.000Z");
    const event = extendAt(paused, "2026-05-29T16:00:00+07:00", "2026-06-10T10:00:00+07:00");
    expect(event.payload).toMatchObject({
      previousDueAt: "2026-05-25T10:00:00.000+07:00",
      newDueAt: "2026-06-10T10:00:00+07:00",
    });
    expect(() => extendAt(paused, "2026-05-29T16:00:00+07:00", "2026-05-20T10:00:00+07:00")).toThrow(
      expect.objectContaining({ code: "EXTENSION_NOT_LATER" }),
    );
  });

  it("happens once", () => {
    const d = receivedDossier();
    const once = apply(d, extendAt(d, "2026-05-15T10:00:00+07:00")).dossier;
    expect(() => extendAt(once, "2026-05-15T11:00:00+07:00")).toThrow(
      expect.objectContaining({ code: "ALREADY_EXTENDED" }),
    );
  });

  it("the new date must come after the due instant", () => {
    expect(() =>
      extendAt(receivedDossier(), "2026-05-15T10:00:00+07:00", "2026-05-25T10:00:00+07:00"),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_NOT_LATER" }));
  });
});

describe("the applicant's instants: supplied or paid, between the request and now", () => {
  const waiting = () => {
    let d = receivedDossier();
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    return act(
      d,
      "request-supplement",
      { missingItems: ["Tờ khai"], reason: "Thiếu" },
      "2026-05-12T10:00:00+07:00",
    );
  };
  const paying = () => {
    let d = receivedDossier();
    d = act(d, "assign", { assigneeStaffId: "cv1@H44.100" }, "2026-05-04T11:00:00+07:00", leader);
    return act(
      d,
      "request-payment",
      { obligations: [{ kind: "fee", description: "Phí", amountVnd: 50000 }] },
      "2026-05-12T10:00:00+07:00",
    );
  };

  it("a supplement supplied Mon 11/05, before the request of Tue 12/05 10:00, is refused naming body.suppliedAt", () => {
    expect(() =>
      decideAt(
        waiting(),
        "receive-supplement",
        { suppliedAt: "2026-05-11T10:00:00+07:00" },
        "2026-05-19T10:00:00+07:00",
      ),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_INSTANT",
        details: [
          expect.objectContaining({
            path: "body.suppliedAt",
            reason: expect.stringContaining("before the request"),
          }),
        ],
      }),
    );
  });

  it("a supplement supplied more than 60 s after now is refused; within 60 s it is taken as given", () => {
    const now = "2026-05-19T10:00:00+07:00";
    expect(() =>
      decideAt(waiting(), "receive-supplement", { suppliedAt: "2026-05-19T10:01:01+07:00" }, now),
    ).toThrow(
      expect.objectContaining({
        code: "INVALID_INSTANT",
        details: [expect.objectContaining({ path: "body.suppliedAt" })],
      }),
    );
    const event = decideAt(waiting(), "receive-supplement", { suppliedAt: "2026-05-19T10:01:00+07:00" }, now);
    expect(event.payload).toMatchObject({ suppliedAt: "2026-05-19T10:01:00+07:00" });
  });

  it("without suppliedAt the supplement is supplied now, recorded by the service clock", () => {
    const event = decideAt(waiting(), "receive-supplement", {}, "2026-05-19T10:00:00+07:00");
    expect(event.payload).toMatchObject({
      requestedAt: "2026-05-12T10:00:00.000+07:00",
      suppliedAt: "2026-05-19T10:00:00.000+07:00",
    });
    expect(event.recordedAt).toBe("2026-05-19T10:00:00.000+07:00");
  });

  it("a payment made before its request or after now is refused naming body.paidAt", () => {
    const body = { amountVnd: 50000, method: "counter" };
    for (const paidAt of ["2026-05-12T09:59:59+07:00", "2026-05-20T10:00:00+07:00"]) {
      expect(() =>
        decideAt(paying(), "receive-payment", { ...body, paidAt }, "2026-05-19T10:00:00+07:00"),
      ).toThrow(
        expect.objectContaining({
          code: "INVALID_INSTANT",
          details: [expect.objectContaining({ path: "body.paidAt" })],
        }),
      );
    }
    const paid = decideAt(
      paying(),
      "receive-payment",
      { ...body, paidAt: "2026-05-12T10:00:00+07:00" },
      "2026-05-19T10:00:00+07:00",
    );
    expect(paid.payload).toMatchObject({ paidAt: "2026-05-12T10:00:00+07:00" });
  });
});
