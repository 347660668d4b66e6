import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { restoreClock, startClock } from "../src/clock.js";
import { isOverdue } from "../src/deadlines.js";
import { CalendarError } from "../src/errors.js";
import { basisInstant, computeDueAt } from "../src/statutory.js";
import { formatLocal } from "../src/time.js";
import { calendarFor, days, latest, vn } from "./helpers.js";

const calendar = latest();
const at = (local: string): Date => new Date(vn(local));
const text = (d: Date | null): string => (d === null ? "null" : formatLocal(d.getTime()));

/** docs/domain.md worked example 2: 15 working days received Mon 04/05/2026 10:00. */
const example2 = () => startClock({ receivedAt: at("2026-05-04 10:00"), statutory: days(15), calendar });

describe("the clock of one dossier", () => {
  it("example 2: a supplement from Tue 12/05 10:00 to Tue 19/05 10:00 pauses 5 working days → due Mon 01/06/2026 10:00", () => {
    const clock = example2().pause(at("2026-05-12 10:00"), "supplement");
    expect(clock.isPaused).toBe(true);
    expect(clock.dueAt).toBeNull();
    const resumed = clock.resume(at("2026-05-19 10:00"));
    expect(text(resumed.dueAt)).toBe("Mon 01/06/2026 10:00");
    expect(resumed.verdict(at("2026-05-29 10:00")).verdict).toBe("early");
  });

  it("example 4: received 04/05/2026, due Mon 25/05/2026 10:00, still open on 31/05 → overdue", () => {
    const clock = example2();
    expect(text(clock.dueAt)).toBe("Mon 25/05/2026 10:00");
    expect(clock.overdueAt(at("2026-05-25 10:00"))).toBe(false);
    expect(clock.overdueAt(at("2026-05-25 10:01"))).toBe(true);
    expect(clock.overdueAt(at("2026-05-31 23:59"))).toBe(true);
  });

  it("counts used and left working time: by Fri 08/05/2026 10:00, 4 days used and 11 left", () => {
    const clock = example2();
    expect(clock.usedAt(at("2026-05-08 10:00"))).toBe(4 * 450);
    expect(clock.leftAt(at("2026-05-08 10:00"))).toBe(11 * 450);
    expect(clock.leftAt(at("2026-05-26 10:00"))).toBe(-450);
  });

  it("a pause does not count: paused Tue 12/05 10:00, used stays at 6 days until it ends", () => {
    const clock = example2().pause(at("2026-05-12 10:00"), "supplement");
    expect(clock.usedAt(at("2026-05-15 16:00"))).toBe(6 * 450);
    expect(clock.overdueAt(at("2026-06-30 10:00"))).toBe(false);
  });

  it("a pause spanning Giỗ Tổ 2026 (Fri 24/04 15:00 → Tue 28/04 09:00) costs only its 210 working minutes", () => {
    const start = startClock({ receivedAt: at("2026-04-20 08:00"), statutory: days(10), calendar });
    expect(text(start.dueAt)).toBe("Thu 07/05/2026 08:00");
    const paused = start.pause(at("2026-04-24 15:00"), "payment").resume(at("2026-04-28 09:00"));
    expect(text(paused.dueAt)).toBe("Thu 07/05/2026 11:30");
  });

  it("reset after a supplement: requested Tue 12/05, complete Tue 19/05/2026 10:00 → 15 days again → Tue 09/06/2026 10:00", () => {
    const clock = example2().pause(at("2026-05-12 10:00"), "supplement").reset(at("2026-05-19 10:00"));
    expect(clock.isPaused).toBe(false);
    expect(text(clock.startedAt)).toBe("Tue 19/05/2026 10:00");
    expect(text(clock.dueAt)).toBe("Tue 09/06/2026 10:00");
    expect(clock.usedAt(at("2026-05-20 10:00"))).toBe(450);
    expect(clock.verdict(at("2026-06-09 09:00")).reason).toMatch(
      /counted again from the complete dossier of Tue 19\/05\/2026 10:00/,
    );
  });

  it("reset keeps the 15:00 cut-off: complete dossier at Tue 19/05/2026 15:30 counts from Wed 20/05 → due Tue 09/06/2026 17:00", () => {
    const clock = startClock({
      receivedAt: at("2026-05-04 10:00"),
      statutory: days(15),
      cutoff: "15:00",
      calendar,
    })
      .pause(at("2026-05-12 10:00"), "supplement")
      .reset(at("2026-05-19 15:30"));
    expect(text(clock.dueAt)).toBe("Tue 09/06/2026 17:00");
  });

  it("a second supplement request is flagged and makes the verdict late under the 766 rules", () => {
    const clock = example2()
      .pause(at("2026-05-06 10:00"), "supplement")
      .resume(at("2026-05-07 10:00"))
      .pause(at("2026-05-11 10:00"), "supplement")
      .resume(at("2026-05-12 10:00"));
    expect(clock.supplementRequests).toBe(2);
    expect(text(clock.secondSupplementAt)).toBe("Mon 11/05/2026 10:00");
    const v = clock.verdict(at("2026-05-15 10:00"));
    expect(v.byTime).toBe("early");
    expect(v.verdict).toBe("late");
    expect(v.reason).toMatch(
      /^Late under the 766 rules: a second supplement was requested on Mon 11\/05\/2026 10:00/,
    );
  });

  it("awaiting payment pauses without counting as a supplement", () => {
    const clock = example2().pause(at("2026-05-06 10:00"), "payment").resume(at("2026-05-07 10:00"));
    expect(clock.supplementRequests).toBe(0);
    expect(text(clock.dueAt)).toBe("Tue 26/05/2026 10:00");
  });

  it("an extension with apology keeps the original due instant for the verdict and reports the promise", () => {
    const clock = example2().extend(at("2026-05-21 10:00"), at("2026-05-29 17:00"), "field survey needed");
    expect(text(clock.dueAt)).toBe("Mon 25/05/2026 10:00");
    expect(text(clock.promisedAt)).toBe("Fri 29/05/2026 17:00");
    expect(clock.extension?.noticeInTime).toBe(true);
    const v = clock.verdict(at("2026-05-28 10:00"));
    expect(v.verdict).toBe("late");
    expect(v.extensionKept).toBe(true);
    expect(v.reason).toMatch(
      /extension with apology on Thu 21\/05\/2026 10:00 promised Fri 29\/05\/2026 17:00 \(kept\)/i,
    );
  });

  it("an apology sent less than one working day before the due instant is flagged; a second one is refused", () => {
    const late = example2().extend(at("2026-05-25 09:00"), at("2026-05-29 17:00"), "late notice");
    expect(late.extension?.noticeInTime).toBe(false);
    expect(() => late.extend(at("2026-05-26 09:00"), at("2026-06-05 17:00"), "again")).toThrow(
      expect.objectContaining({ code: "CLOCK_ALREADY_EXTENDED" }),
    );
  });

  it("refuses transitions out of order or out of state", () => {
    const clock = example2();
    expect(() => clock.resume(at("2026-05-05 10:00"))).toThrow(
      expect.objectContaining({ code: "CLOCK_INVALID_TRANSITION" }),
    );
    const paused = clock.pause(at("2026-05-06 10:00"), "supplement");
    expect(() => paused.pause(at("2026-05-07 10:00"), "payment")).toThrow(CalendarError);
    expect(() => paused.resume(at("2026-05-05 10:00"))).toThrow(
      expect.objectContaining({ code: "CLOCK_EVENT_BEFORE_PREVIOUS" }),
    );
  });

  it("is immutable: a transition leaves the previous clock as it was", () => {
    const clock = example2();
    clock.pause(at("2026-05-12 10:00"), "supplement");
    expect(clock.isPaused).toBe(false);
    expect(text(clock.dueAt)).toBe("Mon 25/05/2026 10:00");
  });

  it("round-trips through JSON: restoreClock(toJSON()) gives the same due instant and events", () => {
    const clock = example2()
      .pause(at("2026-05-12 10:00"), "supplement")
      .resume(at("2026-05-19 10:00"))
      .extend(at("2026-05-27 10:00"), at("2026-06-05 17:00"), "reason");
    const state = JSON.parse(JSON.stringify(clock));
    const restored = restoreClock(state, calendar);
    expect(restored.dueAt).toEqual(clock.dueAt);
    expect(restored.toJSON()).toEqual(clock.toJSON());
    expect(state.events[0]).toEqual({ type: "pause", at: "2026-05-12T10:00:00+07:00", reason: "supplement" });
  });

  it("resolved during an open pause, the dossier is judged as if the pause ended then", () => {
    const v = example2().pause(at("2026-05-12 10:00"), "supplement").verdict(at("2026-06-01 10:00"));
    expect(v.usedMinutes).toBe(6 * 450);
    expect(v.verdict).toBe("early");
  });
});

const instant = fc.integer({ min: vn("2025-01-01 00:00"), max: vn("2027-11-30 23:59") });
const budgetDays = fc.integer({ min: 1, max: 30 });
const saturdayUnit = calendarFor({ unitCode: "SAT", weekly: { sat: [{ start: "07:30", end: "11:30" }] } });

describe("properties of the clock", () => {
  it("a pause of length p shifts the due instant by exactly the working time inside it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(calendar, saturdayUnit),
        instant,
        budgetDays,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 1, max: 20 * 24 * 60 }),
        (cal, received, n, where, lengthMinutes) => {
          const clock = startClock({ receivedAt: received, statutory: days(n), calendar: cal });
          const start = clock.startedAt.getTime();
          const due = (clock.dueAt as Date).getTime();
          const from = start + Math.floor(where * (due - start));
          const to = from + lengthMinutes * 60_000;
          const paused = clock.pause(from, "supplement").resume(to);
          const shifted = (paused.dueAt as Date).getTime();
          expect(cal.workingMinutesBetween(due, shifted)).toBe(cal.workingMinutesBetween(from, to));
          expect(shifted).toBeGreaterThanOrEqual(due);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("the verdict never says early (nor on time) for a dossier resolved after its due instant", () => {
    fc.assert(
      fc.property(
        instant,
        budgetDays,
        fc.integer({ min: 1, max: 90 * 24 * 60 }),
        fc.boolean(),
        (received, n, afterMinutes, withPause) => {
          let clock = startClock({ receivedAt: received, statutory: days(n), calendar });
          if (withPause)
            clock = clock.pause(received + 3_600_000, "supplement").resume(received + 3 * 86_400_000);
          const due = (clock.dueAt as Date).getTime();
          const v = clock.verdict(due + afterMinutes * 60_000);
          expect(v.verdict).toBe("late");
          expect(v.byTime).toBe("late");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("resolved at or before the due instant, the verdict is early exactly when it is on an earlier local day", () => {
    fc.assert(
      fc.property(
        instant,
        budgetDays,
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        (received, n, beforeMinutes) => {
          const clock = startClock({ receivedAt: received, statutory: days(n), calendar });
          const due = (clock.dueAt as Date).getTime();
          const resolved = Math.max(received, due - beforeMinutes * 60_000);
          const sameDay = formatLocal(resolved).slice(0, 14) === formatLocal(due).slice(0, 14);
          expect(clock.verdict(resolved).verdict).toBe(sameDay ? "on_time" : "early");
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('properties of the clock\'s rules (docs/domain.md, "The clock")', () => {
  const pauseAt = fc.double({ min: 0, max: 1.5, noNaN: true });
  it("a pause never moves a due instant earlier, wherever it falls and however long it lasts", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(calendar, saturdayUnit),
        instant,
        budgetDays,
        pauseAt,
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        fc.constantFrom("supplement" as const, "payment" as const),
        (cal, received, n, where, lengthMinutes, reason) => {
          const clock = startClock({ receivedAt: received, statutory: days(n), calendar: cal });
          const start = clock.startedAt.getTime();
          const due = (clock.dueAt as Date).getTime();
          const from = Math.max(received, start + Math.floor(where * (due - start)));
          const paused = clock.pause(from, reason);
          if (paused.dueAt !== null) expect(paused.dueAt.getTime()).toBeGreaterThanOrEqual(due);
          const resumed = paused.resume(from + lengthMinutes * 60_000);
          expect((resumed.dueAt as Date).getTime()).toBeGreaterThanOrEqual(due);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a reset never clears lateness already incurred: asked after the due instant, the verdict stays late", () => {
    fc.assert(
      fc.property(
        instant,
        budgetDays,
        fc.integer({ min: 1, max: 20 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (received, n, afterDue, supplyAfter, resolveAfter) => {
          const clock = startClock({ receivedAt: received, statutory: days(n), calendar });
          const due = (clock.dueAt as Date).getTime();
          const asked = due + afterDue * 60_000;
          const supplied = asked + supplyAfter * 60_000;
          const reset = clock.pause(asked, "supplement").reset(supplied);
          expect(reset.lateSince?.getTime()).toBe(due);
          expect(reset.dueAt?.getTime()).toBe(due);
          expect(reset.verdict(supplied + resolveAfter * 60_000).verdict).toBe("late");
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("asked before the due instant, a reset counts the whole time again from the complete dossier", () => {
    fc.assert(
      fc.property(
        instant,
        budgetDays,
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        (received, n, where, supplyAfter) => {
          const clock = startClock({ receivedAt: received, statutory: days(n), calendar });
          const start = clock.startedAt.getTime();
          const due = (clock.dueAt as Date).getTime();
          const asked = Math.max(received, start + Math.floor(where * (due - start)));
          const supplied = asked + supplyAfter * 60_000;
          const reset = clock.pause(asked, "supplement").reset(supplied);
          expect(reset.lateSince).toBeNull();
          expect(reset.dueAt?.getTime()).toBe(computeDueAt(calendar, supplied, days(n)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("the verdict boundary is the due instant exactly: on time at it, late a millisecond after", () => {
    fc.assert(
      fc.property(instant, budgetDays, (received, n) => {
        const clock = startClock({ receivedAt: received, statutory: days(n), calendar });
        const due = (clock.dueAt as Date).getTime();
        expect(clock.verdict(due).verdict).not.toBe("late");
        expect(clock.verdict(due + 1).verdict).toBe("late");
        expect([
          isOverdue(due, due),
          isOverdue(due, due + 1),
          clock.overdueAt(due),
          clock.overdueAt(due + 1),
        ]).toEqual([false, true, false, true]);
      }),
      { numRuns: 1000 },
    );
  });

  it("acceptance after a long wait starts a whole clock: the due instant does not depend on the submission", () => {
    fc.assert(
      fc.property(
        instant,
        budgetDays,
        fc.integer({ min: 0, max: 120 * 24 * 60 }),
        (accepted, n, waitedMinutes) => {
          const submitted = accepted - waitedMinutes * 60_000;
          const from = basisInstant("acceptance", accepted, submitted);
          expect(from).toBe(accepted);
          const clock = startClock({ receivedAt: from, statutory: days(n), calendar });
          expect(clock.overdueAt(accepted)).toBe(false);
          expect(clock.leftAt(clock.startedAt)).toBe(clock.budgetMinutes);
          expect((clock.dueAt as Date).getTime()).toBe(computeDueAt(calendar, accepted, days(n)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("reception hours are not working time (finding 7)", () => {
  const ward = calendarFor({
    unitCode: "H44.100",
    receptionHours: { sat: [{ start: "07:30", end: "11:30" }] },
  });
  it("a 2-day dossier received Fri 13/11/2026 16:30 at a ward with a Saturday desk is due Tue 17/11 16:30, not 10:30", () => {
    expect(text(new Date(computeDueAt(ward, vn("2026-11-13 16:30"), days(2))))).toBe("Tue 17/11/2026 16:30");
  });
  it("a dossier received at the Saturday desk, Sat 14/11/2026 09:00, starts its clock at Monday's opening", () => {
    const clock = startClock({ receivedAt: vn("2026-11-14 09:00"), statutory: days(1), calendar: ward });
    expect(text(clock.startedAt)).toBe("Mon 16/11/2026 07:30");
  });
  it("a unit whose handling staff work on Saturday (a configuration with its source) counts it", () => {
    const worked = calendarFor({
      unitCode: "SAT",
      weekly: { sat: [{ start: "07:30", end: "11:30" }] },
      source: "Quyết định of the province for procedures resolved on the spot",
    });
    expect(text(new Date(computeDueAt(worked, vn("2026-11-13 16:30"), days(2))))).toBe(
      "Tue 17/11/2026 10:30",
    );
  });
});
