import { describe, expect, it } from "vitest";
import { CalendarError } from "../src/errors.js";
import { clockStart, computeDueAt, parseCutoff } from "../src/statutory.js";
import { formatLocal } from "../src/time.js";
import { days, dueText, latest, vn } from "./helpers.js";

const cal = latest();
const withinDay = { amount: 1, unit: "within-day" } as const;

describe("statutory time from the reception instant (docs/domain.md worked examples)", () => {
  it("example 1: 10 working days from Tue 10/02/2026 09:00 skip Tết (14–22/02) and fall on Tue 03/03/2026 09:00", () => {
    expect(dueText(cal, "2026-02-10 09:00", days(10))).toBe("Tue 03/03/2026 09:00");
  });

  it("example 2: 15 working days from Mon 04/05/2026 10:00 fall on Mon 25/05/2026 10:00", () => {
    expect(dueText(cal, "2026-05-04 10:00", days(15))).toBe("Mon 25/05/2026 10:00");
  });

  it("example 3: within the day with a 15:00 cut-off, received Wed 29/04/2026 15:30 → due Mon 04/05/2026 17:00", () => {
    expect(dueText(cal, "2026-04-29 15:30", withinDay, "15:00")).toBe("Mon 04/05/2026 17:00");
  });

  it("5 working days from Fri 13/02/2026 16:00, the eve of Tết, fall on Fri 27/02/2026 16:00", () => {
    expect(dueText(cal, "2026-02-13 16:00", days(5))).toBe("Fri 27/02/2026 16:00");
  });
});

describe("the cut-off hour of a procedure", () => {
  it("15:00 cut-off: received Thu 05/03/2026 15:00 exactly counts that day; at 15:01 from Fri 06/03 07:30", () => {
    expect(formatLocal(clockStart(cal, vn("2026-03-05 15:00"), "15:00"))).toBe("Thu 05/03/2026 15:00");
    expect(formatLocal(clockStart(cal, vn("2026-03-05 15:01"), "15:00"))).toBe("Fri 06/03/2026 07:30");
  });

  it("15:00 cut-off on a Friday: received Fri 06/03/2026 15:30, 1 day → Mon 09/03/2026 17:00", () => {
    expect(dueText(cal, "2026-03-06 15:30", days(1), "15:00")).toBe("Mon 09/03/2026 17:00");
  });

  it("17:00 cut-off (online, Nghị định 297/2025): received Thu 05/03/2026 16:30 counts from 16:30", () => {
    expect(dueText(cal, "2026-03-05 16:30", days(1), "17:00")).toBe("Fri 06/03/2026 16:30");
  });

  it("17:00 cut-off: received on Sunday 08/03/2026 10:00 starts at Mon 09/03/2026 07:30", () => {
    expect(formatLocal(clockStart(cal, vn("2026-03-08 10:00"), "17:00"))).toBe("Mon 09/03/2026 07:30");
  });

  it("no cut-off: received before opening, Mon 09/03/2026 06:45, starts at 07:30 the same day", () => {
    expect(formatLocal(clockStart(cal, vn("2026-03-09 06:45"), null))).toBe("Mon 09/03/2026 07:30");
  });

  it("refuses a cut-off other than none, 15:00 and 17:00", () => {
    expect(parseCutoff("15:00")).toBe("15:00");
    expect(parseCutoff(undefined)).toBeNull();
    expect(() => parseCutoff("16:00")).toThrow(CalendarError);
  });
});

describe("statutory units", () => {
  it("1 half-day (225 minutes) from Mon 09/03/2026 07:30 is 11:15; 3 half-days is Tue 10/03/2026 11:15", () => {
    expect(dueText(cal, "2026-03-09 07:30", { amount: 1, unit: "half-days" })).toBe("Mon 09/03/2026 11:15");
    expect(dueText(cal, "2026-03-09 07:30", { amount: 3, unit: "half-days" })).toBe("Tue 10/03/2026 11:15");
  });

  it("8 working hours from Mon 09/03/2026 10:00 are Tue 10/03/2026 10:30 (a day is 7.5 hours here)", () => {
    expect(dueText(cal, "2026-03-09 10:00", { amount: 8, unit: "hours" })).toBe("Tue 10/03/2026 10:30");
  });

  it("within the day: received Thu 05/03/2026 16:59 → 17:00 the same day; at 17:01 → Fri 06/03/2026 17:00", () => {
    expect(dueText(cal, "2026-03-05 16:59", withinDay)).toBe("Thu 05/03/2026 17:00");
    expect(dueText(cal, "2026-03-05 17:01", withinDay)).toBe("Fri 06/03/2026 17:00");
  });

  it("a quarter of a day (a process step) is 112.5 minutes: Mon 09/03/2026 07:30 → 09:22:30", () => {
    expect(dueText(cal, "2026-03-09 07:30", days(0.25))).toBe("Mon 09/03/2026 09:22:30");
  });

  it("refuses zero, negative and unknown statutory times", () => {
    expect(() => computeDueAt(cal, vn("2026-03-09 07:30"), days(0))).toThrow(CalendarError);
    expect(() => computeDueAt(cal, vn("2026-03-09 07:30"), days(-1))).toThrow(CalendarError);
    expect(() =>
      computeDueAt(cal, vn("2026-03-09 07:30"), { amount: 1, unit: "weeks" } as unknown as ReturnType<
        typeof days
      >),
    ).toThrow(CalendarError);
  });
});
