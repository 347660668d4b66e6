import { describe, expect, it } from "vitest";
import { startClock } from "../src/clock.js";
import { verdictByTime } from "../src/verdict.js";
import { days, latest, vn } from "./helpers.js";

const due = vn("2026-05-25 10:00");

describe("verdict boundaries (docs/domain.md): due Mon 25/05/2026 10:00", () => {
  it("resolved Fri 22/05/2026 16:00, a day before the due day → early", () => {
    expect(verdictByTime(vn("2026-05-22 16:00"), due)).toBe("early");
  });

  it("resolved Mon 25/05/2026 07:45, on the due day before the due instant → on time, not early", () => {
    expect(verdictByTime(vn("2026-05-25 07:45"), due)).toBe("on_time");
  });

  it("resolved Mon 25/05/2026 10:00 exactly → on time", () => {
    expect(verdictByTime(due, due)).toBe("on_time");
  });

  it("resolved Mon 25/05/2026 10:01 → late", () => {
    expect(verdictByTime(vn("2026-05-25 10:01"), due)).toBe("late");
  });

  it("the reason names the rule, the dates and the calendar used", () => {
    const clock = startClock({ receivedAt: vn("2026-04-29 10:00"), statutory: days(3), calendar: latest() });
    const v = clock.verdict(vn("2026-05-07 09:00"));
    expect(v.verdict).toBe("late");
    expect(v.overrunMinutes).toBe(300 + 90);
    expect(v.reason).toContain(
      "Late: resolved Thu 07/05/2026 09:00, after the due instant Wed 06/05/2026 10:00",
    );
    expect(v.reason).toContain(
      "Due = 3 working days (1350 working minutes at 450 a day) counted from Wed 29/04/2026 10:00",
    );
    expect(v.reason).toContain(
      "Thu 30/04/2026 Ngày Chiến thắng (30/4); Fri 01/05/2026 Ngày Quốc tế Lao động (1/5)",
    );
    expect(v.reason).toContain("Calendar 2026 v2 (Công văn 12729/VPCP-KGVX");
  });

  it("explains a start moved by the 15:00 cut-off", () => {
    const clock = startClock({
      receivedAt: vn("2026-03-05 15:30"),
      statutory: days(1),
      cutoff: "15:00",
      calendar: latest(),
    });
    expect(clock.verdict(vn("2026-03-06 12:00")).reason).toContain(
      "(received Thu 05/03/2026 15:30, after the 15:00 cut-off: counted from the next working day's opening)",
    );
  });
});
