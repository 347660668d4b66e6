import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CalendarError } from "../src/errors.js";
import { formatLocal } from "../src/time.js";
import { calendarFor, days, dueText, hours, latest, vn } from "./helpers.js";

const cal = latest();
const add = (local: string, minutes: number): string =>
  formatLocal(cal.addWorkingMinutes(vn(local), minutes));

describe("default sessions: Monday–Friday 07:30–11:30 and 13:30–17:00 (450 minutes a day)", () => {
  it("a working day is 450 minutes", () => {
    expect(cal.workingDayMinutes).toBe(450);
  });

  it("1 working day from Mon 09/03/2026 07:30 ends the same day at 17:00, not at the next opening", () => {
    expect(add("2026-03-09 07:30", 450)).toBe("Mon 09/03/2026 17:00");
  });

  it("4 working hours from Mon 09/03/2026 10:00 skip the lunch break and end at 16:00", () => {
    expect(add("2026-03-09 10:00", 240)).toBe("Mon 09/03/2026 16:00");
  });

  it("reception at 12:00 on Mon 09/03/2026 (lunch) starts counting at 13:30", () => {
    expect(formatLocal(cal.nextWorkingInstant(vn("2026-03-09 12:00")))).toBe("Mon 09/03/2026 13:30");
    expect(add("2026-03-09 12:00", 60)).toBe("Mon 09/03/2026 14:30");
  });

  it("Friday-afternoon reception: 1 day from Fri 06/03/2026 16:30 is Mon 09/03/2026 16:30; 4 hours is Mon 11:00", () => {
    expect(dueText(cal, "2026-03-06 16:30", days(1))).toBe("Mon 09/03/2026 16:30");
    expect(dueText(cal, "2026-03-06 16:30", hours(4))).toBe("Mon 09/03/2026 11:00");
  });

  it("reception at 16:59 on Thu 05/03/2026 counts that minute: 1 day → Fri 06/03/2026 16:59", () => {
    expect(dueText(cal, "2026-03-05 16:59", days(1))).toBe("Fri 06/03/2026 16:59");
    expect(cal.workingMinutesBetween(vn("2026-03-05 16:59"), vn("2026-03-05 18:00"))).toBe(1);
  });

  it("reception at 17:01 on Thu 05/03/2026 starts at the next session: 1 day → Fri 06/03/2026 17:00", () => {
    expect(formatLocal(cal.nextWorkingInstant(vn("2026-03-05 17:01")))).toBe("Fri 06/03/2026 07:30");
    expect(dueText(cal, "2026-03-05 17:01", days(1))).toBe("Fri 06/03/2026 17:00");
  });

  it("working time between Fri 06/03/2026 16:00 and Mon 09/03/2026 08:30 is 120 minutes", () => {
    expect(cal.workingMinutesBetween(vn("2026-03-06 16:00"), vn("2026-03-09 08:30"))).toBe(120);
    expect(cal.workingMinutesBetween(vn("2026-03-09 08:30"), vn("2026-03-06 16:00"))).toBe(-120);
  });

  it("a year boundary: 1 day from Wed 31/12/2025 16:00 (2025 data) is Mon 05/01/2026 16:00 (2026 data)", () => {
    expect(dueText(cal, "2025-12-31 16:00", days(1))).toBe("Mon 05/01/2026 16:00");
  });

  it("keeps seconds: 1 working minute from Mon 09/03/2026 11:29:30 is 13:30:30", () => {
    expect(formatLocal(cal.addWorkingMinutes(vn("2026-03-09 11:29") + 30_000, 1))).toBe(
      "Mon 09/03/2026 13:30:30",
    );
  });

  it("refuses a negative amount of working time", () => {
    expect(() => cal.addWorkingMinutes(vn("2026-03-09 10:00"), -5)).toThrow(CalendarError);
  });
});

describe("holidays of 2025–2027 skipped by the count (1 working day from 10:00 the day before)", () => {
  it.each([
    ["Tết 2025: Fri 24/01/2025 → Mon 03/02/2025", "2025-01-24 10:00", "Mon 03/02/2025 10:00"],
    ["Tết 2026: Fri 13/02/2026 → Mon 23/02/2026", "2026-02-13 10:00", "Mon 23/02/2026 10:00"],
    [
      "Tết 2027 (rules, Fri 05/02–Thu 11/02): Thu 04/02/2027 → Fri 12/02/2027",
      "2027-02-04 10:00",
      "Fri 12/02/2027 10:00",
    ],
    ["Giỗ Tổ Mon 07/04/2025: Fri 04/04/2025 → Tue 08/04/2025", "2025-04-04 10:00", "Tue 08/04/2025 10:00"],
    [
      "Giỗ Tổ Sun 26/04/2026 + compensatory Mon 27/04: Fri 24/04/2026 → Tue 28/04/2026",
      "2026-04-24 10:00",
      "Tue 28/04/2026 10:00",
    ],
    [
      "Giỗ Tổ Fri 16/04/2027 (rules): Thu 15/04/2027 → Mon 19/04/2027",
      "2027-04-15 10:00",
      "Mon 19/04/2027 10:00",
    ],
    [
      "30/4–1/5 2025 (Fri 02/05 swapped): Tue 29/04/2025 → Mon 05/05/2025",
      "2025-04-29 10:00",
      "Mon 05/05/2025 10:00",
    ],
    [
      "make-up Sat 26/04/2025 is a working day: Fri 25/04/2025 → Sat 26/04/2025",
      "2025-04-25 10:00",
      "Sat 26/04/2025 10:00",
    ],
    ["30/4–1/5 2026 (Thu–Sun): Wed 29/04/2026 → Mon 04/05/2026", "2026-04-29 10:00", "Mon 04/05/2026 10:00"],
    [
      "30/4–1/5 2027 (Sat 01/05 → Mon 03/05 compensatory): Thu 29/04/2027 → Tue 04/05/2027",
      "2027-04-29 10:00",
      "Tue 04/05/2027 10:00",
    ],
    [
      "2/9 2025 (Sat 30/08–Tue 02/09): Fri 29/08/2025 → Wed 03/09/2025",
      "2025-08-29 10:00",
      "Wed 03/09/2025 10:00",
    ],
    [
      "2/9 2026 (Sat 29/08–Wed 02/09, Mon 31/08 swapped): Fri 28/08/2026 → Thu 03/09/2026",
      "2026-08-28 10:00",
      "Thu 03/09/2026 10:00",
    ],
    [
      "make-up Sat 22/08/2026 is a working day: Fri 21/08/2026 → Sat 22/08/2026",
      "2026-08-21 10:00",
      "Sat 22/08/2026 10:00",
    ],
    [
      "2/9 2027 (rules: Thu 02/09 + Fri 03/09): Wed 01/09/2027 → Mon 06/09/2027",
      "2027-09-01 10:00",
      "Mon 06/09/2027 10:00",
    ],
    [
      "New Year 2027 (Fri 01/01): Thu 31/12/2026 → Mon 04/01/2027",
      "2026-12-31 10:00",
      "Mon 04/01/2027 10:00",
    ],
  ])("%s", (_name, received, due) => {
    expect(dueText(cal, received, days(1))).toBe(due);
  });

  it("30/4–1/5 2025: 3 working days from Fri 25/04/2025 10:00 count the make-up Saturday → Tue 29/04/2025 10:00", () => {
    expect(dueText(cal, "2025-04-25 10:00", days(3))).toBe("Tue 29/04/2025 10:00");
  });

  it("explains each special day: Mon 27/04/2026 is a compensatory day, Sat 10/01/2026 a make-up working day", () => {
    expect(cal.day("2026-04-27")).toMatchObject({ status: "compensatory", working: false });
    expect(cal.day("2026-01-10")).toMatchObject({ status: "make-up", working: true });
    expect(cal.day("2026-03-07")).toMatchObject({ status: "weekly-rest", working: false });
    expect(cal.day("2026-03-09").sessions).toEqual([
      { start: "07:30", end: "11:30" },
      { start: "13:30", end: "17:00" },
    ]);
  });
});

describe("per-unit sessions and overrides", () => {
  it("a centre open Saturday 07:30–11:30: 1 day from Fri 06/03/2026 16:00 is Mon 09/03/2026 10:00", () => {
    const saturdays = calendarFor({ unitCode: "SAT", weekly: { sat: [{ start: "07:30", end: "11:30" }] } });
    expect(saturdays.workingDayMinutes).toBe(450);
    expect(dueText(saturdays, "2026-03-06 16:00", days(1))).toBe("Mon 09/03/2026 10:00");
  });

  it("the Saturday session stays closed inside the Tết 2026 block (Sat 14/02 and 21/02)", () => {
    const saturdays = calendarFor({ unitCode: "SAT", weekly: { sat: [{ start: "07:30", end: "11:30" }] } });
    expect(saturdays.day("2026-02-14").working).toBe(false);
    expect(saturdays.day("2026-02-28").working).toBe(true);
  });

  it("a unit with 8-hour days (07:00–11:00, 13:00–17:00) counts 480 minutes a day", () => {
    const session = [
      { start: "07:00", end: "11:00" },
      { start: "13:00", end: "17:00" },
    ];
    const eight = calendarFor({
      unitCode: "EIGHT",
      weekly: { mon: session, tue: session, wed: session, thu: session, fri: session },
    });
    expect(eight.workingDayMinutes).toBe(480);
    expect(dueText(eight, "2026-03-09 07:00", days(2))).toBe("Tue 10/03/2026 17:00");
  });

  it("a unit that does not work make-up Saturdays: Fri 09/01/2026 10:00 + 1 day → Mon 12/01/2026 10:00", () => {
    const noMakeUp = calendarFor({ unitCode: "NOMAKEUP", observeMakeUpDays: false });
    expect(dueText(noMakeUp, "2026-01-09 10:00", days(1))).toBe("Mon 12/01/2026 10:00");
  });

  it("a unit's own day off (Mon 09/03/2026) and extra working Sunday (15/03/2026) move the due instant", () => {
    const overrides = calendarFor({
      unitCode: "OVR",
      dateOverrides: [
        { date: "2026-03-09", sessions: [], note: "unit closed for relocation" },
        { date: "2026-03-15", sessions: [{ start: "07:30", end: "11:30" }] },
      ],
    });
    expect(dueText(overrides, "2026-03-06 10:00", days(1))).toBe("Tue 10/03/2026 10:00");
    expect(overrides.day("2026-03-09")).toMatchObject({
      status: "unit-override",
      name: "unit closed for relocation",
    });
    expect(dueText(overrides, "2026-03-13 16:00", hours(2))).toBe("Sun 15/03/2026 08:30");
  });

  it("refuses overlapping sessions and a unit without any working day", () => {
    expect(() =>
      calendarFor({
        unitCode: "BAD",
        weekly: {
          mon: [
            { start: "07:30", end: "12:00" },
            { start: "11:00", end: "17:00" },
          ],
        },
      }),
    ).toThrow(/overlap/);
    expect(() =>
      calendarFor({ unitCode: "NONE", weekly: { mon: [], tue: [], wed: [], thu: [], fri: [] } }),
    ).toThrow(CalendarError);
  });
});

// Random instants in 2025–2027 and working-time amounts up to 60 working days.
const instant = fc.integer({ min: vn("2025-01-01 00:00"), max: vn("2027-12-31 23:59") });
const workMinutes = fc.integer({ min: 1, max: 60 * 450 });

describe("properties of adding working time", () => {
  it("is monotonic in the start instant and in the amount", () => {
    fc.assert(
      fc.property(instant, instant, workMinutes, workMinutes, (a, b, m, n) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [less, more] = m <= n ? [m, n] : [n, m];
        expect(cal.addWorkingMinutes(early, less)).toBeLessThanOrEqual(cal.addWorkingMinutes(late, less));
        expect(cal.addWorkingMinutes(early, less)).toBeLessThanOrEqual(cal.addWorkingMinutes(early, more));
      }),
      { numRuns: 2000 },
    );
  });

  it("adding a then b equals adding a + b", () => {
    fc.assert(
      fc.property(instant, workMinutes, workMinutes, (t, a, b) => {
        expect(cal.addWorkingMinutes(cal.addWorkingMinutes(t, a), b)).toBe(cal.addWorkingMinutes(t, a + b));
      }),
      { numRuns: 2000 },
    );
  });

  it("the working time between t and t + m is exactly m, and the result is never before t", () => {
    fc.assert(
      fc.property(instant, workMinutes, (t, m) => {
        const due = cal.addWorkingMinutes(t, m);
        expect(due).toBeGreaterThan(t);
        expect(cal.workingMinutesBetween(t, due)).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with stepping minute by minute over the 2026 Tết and 30/4 periods", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: vn("2026-02-10 00:00") / 60_000, max: vn("2026-05-06 00:00") / 60_000 }),
        fc.integer({ min: 1, max: 3 * 450 }),
        (startMinute, m) => {
          let t = startMinute * 60_000;
          let left = m;
          while (left > 0) {
            if (cal.isWorkingInstant(t)) left--;
            t += 60_000;
          }
          const stepped = t;
          const fast = cal.addWorkingMinutes(startMinute * 60_000, m);
          // Stepping lands one minute after the last working minute began, i.e. at the same instant.
          expect(fast).toBe(stepped);
        },
      ),
      { numRuns: 200 },
    );
  });
});
