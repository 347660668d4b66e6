import { describe, expect, it } from "vitest";
import { decideClock, type StackClockState } from "./demo-clock.js";
import { type ClockSettings, catchingUpClock, readingAt } from "./shared-clock.js";

const NOW = Date.parse("2026-12-02T10:00:00+07:00");
const fresh: StackClockState = {
  saved: null,
  servicesRunning: false,
  env: {},
  demoDossiers: 60,
  demoLoaded: false,
  demoStarted: false,
  nowMs: NOW,
};
const demoClock = catchingUpClock(Date.parse("2026-11-25T07:00:00+07:00"), NOW + 25_000, 60_000);
const record = (settings: ClockSettings | null = demoClock) => ({ settings, reason: "", decidedAt: "" });

describe("the clock the local stack starts its services on", () => {
  it("acts out the last week on a fresh stack: from 25/11/2026 07:00, caught up about a minute after the services", () => {
    const d = decideClock(fresh);
    expect(d.demo).toEqual({ firstDate: "2026-11-25", dossiersPerDay: 60 });
    expect(d.settings?.CLOCK).toBe("2026-11-25T07:00:00+07:00");
    expect(readingAt(d.settings!, NOW + 25_000)).toBe(Date.parse("2026-11-25T07:00:00+07:00"));
    expect(readingAt(d.settings!, NOW + 90_000)).toBe(NOW + 90_000);
    expect(d.record).toMatch(/demo/);
  });

  it("goes back to the machine's clock on a later start once the demo's clock has caught up", () => {
    const d = decideClock({
      ...fresh,
      saved: record(),
      demoLoaded: true,
      demoStarted: true,
      nowMs: NOW + 3_600_000,
    });
    expect(d).toMatchObject({ settings: null, demo: null });
    expect(d.record).toMatch(/machine's clock again/);
  });

  it("keeps a clock that reads ahead of the machine's, so that time never goes back", () => {
    const ahead = { CLOCK: "2027-03-01T07:00:00+07:00", CLOCK_ORIGIN: String(NOW), CLOCK_SPEED: "1" };
    const d = decideClock({ ...fresh, saved: record(ahead), demoLoaded: true, nowMs: NOW + 60_000 });
    expect(d.settings).toEqual(ahead);
    expect(d.record).toBeNull();
  });

  it("does not act the week out again after a load cut short, nor on a stack that ran without it", () => {
    const cut = decideClock({ ...fresh, saved: record(), demoStarted: true, nowMs: NOW + 3_600_000 });
    expect(cut.demo).toBeNull();
    expect(cut.note).toMatch(/cut short/);
    const ran = decideClock({ ...fresh, saved: record(null), nowMs: NOW + 3_600_000 });
    expect(ran.demo).toBeNull();
    expect(ran.note).toMatch(/run on their clock already/);
  });

  it("takes a CLOCK from the environment as given, and leaves running services on theirs", () => {
    const given = decideClock({ ...fresh, env: { CLOCK: "2026-05-04T07:29:00+07:00", CLOCK_SPEED: "1" } });
    expect(given).toMatchObject({
      demo: null,
      settings: { CLOCK: "2026-05-04T07:29:00+07:00", CLOCK_ORIGIN: String(NOW) },
    });
    const running = decideClock({ ...fresh, saved: record(), servicesRunning: true });
    expect(running).toEqual({ settings: demoClock, record: null, demo: null });
  });

  it("loads no demo with DEMO_DOSSIERS=0 and starts on the machine's clock", () => {
    expect(decideClock({ ...fresh, demoDossiers: 0 })).toMatchObject({
      settings: null,
      demo: null,
      record: "the machine's clock",
    });
  });
});
