import { shiftedClock } from "@tthc/service-kit";
import { describe, expect, it } from "vitest";
import {
  catchingUpClock,
  caughtUpAt,
  clockEnv,
  describeClock,
  isoLocal,
  readingAt,
  systemClockCanFollow,
} from "./shared-clock.js";

const START = Date.parse("2026-11-25T07:00:00+07:00");
const ORIGIN = Date.parse("2026-12-02T10:00:25+07:00");

describe("the local stack's demo clock", () => {
  const demo = catchingUpClock(START, ORIGIN, 60_000);

  it("reads seven days ago at 07:00 when the services are up, and the machine's clock a minute later", () => {
    expect(readingAt(demo, ORIGIN)).toBe(START);
    expect(Math.abs((caughtUpAt(demo) as number) - (ORIGIN + 60_000))).toBeLessThan(1_000);
    expect(Number.isInteger(Number(demo.CLOCK_SPEED))).toBe(true);
    expect(readingAt(demo, ORIGIN + 120_000)).toBe(ORIGIN + 120_000);
  });

  it("reads what service-kit's shifted clock reads in every process given the same settings", () => {
    for (const machine of [ORIGIN - 5_000, ORIGIN, ORIGIN + 30_000, ORIGIN + 59_000, ORIGIN + 3_600_000]) {
      const kit = shiftedClock({
        startMs: Date.parse(demo.CLOCK),
        originMs: Number(demo.CLOCK_ORIGIN),
        speed: Number(demo.CLOCK_SPEED),
        machine: () => machine,
      });
      expect(readingAt(demo, machine)).toBe(kit.nowMs());
    }
  });

  it("lets a later start take the machine's clock only when time cannot go back", () => {
    expect(systemClockCanFollow(demo, ORIGIN + 30_000)).toBe(true); // still behind the machine
    expect(systemClockCanFollow(demo, ORIGIN + 600_000)).toBe(true); // caught up
    const ahead = { CLOCK: "2027-01-01T07:00:00+07:00", CLOCK_ORIGIN: String(ORIGIN), CLOCK_SPEED: "1" };
    expect(systemClockCanFollow(ahead, ORIGIN + 600_000)).toBe(false);
  });

  it("puts a process on the clock through its environment, and says where it stands", () => {
    expect(clockEnv(demo)).toEqual(demo);
    expect(clockEnv(null)).toEqual({});
    const record = { settings: demo, reason: "demo", decidedAt: "" };
    const at = isoLocal(caughtUpAt(demo) as number);
    expect(at.slice(0, 16)).toBe("2026-12-02T10:01");
    expect(describeClock(record, ORIGIN + 30_000)).toContain(`catches up at ${at}`);
    expect(describeClock(record, ORIGIN + 600_000)).toContain(`caught up with the machine's at ${at}`);
    expect(describeClock(null, ORIGIN)).toBe("the machine's clock");
    expect(describeClock(record, ORIGIN - 5_000)).toBe(
      `a clock that reads 2026-11-25T07:00:00+07:00 from 2026-12-02T10:00:25+07:00 on, then runs ${demo.CLOCK_SPEED} times as fast as real time and catches up at ${at}`,
    );
  });

  it("refuses a catching-up clock that starts after its origin", () => {
    expect(() => catchingUpClock(ORIGIN + 1, ORIGIN, 60_000)).toThrow(/before its origin/);
  });
});
