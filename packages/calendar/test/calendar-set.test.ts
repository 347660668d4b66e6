import { describe, expect, it } from "vitest";
import { CalendarSet } from "../src/calendar-set.js";
import { CalendarError } from "../src/errors.js";
import { rulesOnlyYear } from "../src/holidays.js";
import { formatLocal } from "../src/time.js";
import { days, dueText, vn } from "./helpers.js";

describe("versioned calendar data: the calendar in force at an instant", () => {
  const set = new CalendarSet();

  it("1 working day from Wed 31/12/2025 10:00 is Fri 02/01/2026 10:00 as of 20/12/2025, before the New Year swap", () => {
    expect(dueText(set.asOf(vn("2025-12-20 12:00")), "2025-12-31 10:00", days(1))).toBe(
      "Fri 02/01/2026 10:00",
    );
  });

  it("... and Mon 05/01/2026 10:00 under Công văn 12729/VPCP-KGVX of 25/12/2025 (Fri 02/01 swapped)", () => {
    const calendar = set.asOf(vn("2025-12-26 08:00"));
    expect(dueText(calendar, "2025-12-31 10:00", days(1))).toBe("Mon 05/01/2026 10:00");
    expect(calendar.yearRecord(2026).version).toBe(2);
  });

  it("the make-up Sat 10/01/2026 is a working day only from version 2: Fri 09/01 10:00 + 1 day", () => {
    expect(dueText(set.asOf(vn("2025-12-20 12:00")), "2026-01-09 10:00", days(1))).toBe(
      "Mon 12/01/2026 10:00",
    );
    expect(dueText(set.latest(), "2026-01-09 10:00", days(1))).toBe("Sat 10/01/2026 10:00");
  });

  it("before any 2026 record was decided, 2026 falls back to the rules", () => {
    const record = set.asOf(vn("2025-06-01 12:00")).yearRecord(2026);
    expect(record.version).toBe(0);
    expect(record.basis).toBe("rules");
  });

  it("returns the same cached calendar for instants under the same records", () => {
    expect(set.asOf(vn("2026-01-05 12:00"))).toBe(set.asOf(vn("2026-03-05 12:00")));
    expect(set.asOf(vn("2025-12-20 12:00"))).not.toBe(set.asOf(vn("2026-03-05 12:00")));
  });

  it("a 2027 record switching on 24 November moves 1 day from Tue 23/11/2027 10:00 to Thu 25/11/2027 10:00", () => {
    const withCultureDay = new CalendarSet({
      years: [
        {
          ...rulesOnlyYear(2027),
          version: 1,
          effectiveFrom: "2026-10-01T00:00:00+07:00",
          cultureDay24Nov: true,
        },
      ],
    });
    expect(dueText(withCultureDay.latest(), "2027-11-23 10:00", days(1))).toBe("Thu 25/11/2027 10:00");
    expect(dueText(set.latest(), "2027-11-23 10:00", days(1))).toBe("Wed 24/11/2027 10:00");
    expect(dueText(withCultureDay.asOf(vn("2026-09-01 00:00")), "2027-11-23 10:00", days(1))).toBe(
      "Wed 24/11/2027 10:00",
    );
  });

  it("refuses an unknown unit code with CALENDAR_UNKNOWN_UNIT", () => {
    expect(() => set.latest("H99.999")).toThrow(CalendarError);
    try {
      set.latest("H99.999");
    } catch (error) {
      expect((error as CalendarError).code).toBe("CALENDAR_UNKNOWN_UNIT");
    }
  });

  it("unit profiles are looked up by code", () => {
    const units = new CalendarSet({
      units: [{ unitCode: "H44.100", weekly: { sat: [{ start: "07:30", end: "11:30" }] } }],
    });
    const calendar = units.latest("H44.100");
    expect(calendar.day("2026-03-07").working).toBe(true);
    expect(formatLocal(calendar.nextWorkingInstant(vn("2026-03-07 06:00")))).toBe("Sat 07/03/2026 07:30");
  });
});
