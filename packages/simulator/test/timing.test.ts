import { describe, expect, it } from "vitest";
import {
  instantOf,
  loadProvince,
  provinceCalendars,
  type ScheduleContext,
  type Timing,
} from "../src/index.js";

const calendars = provinceCalendars(loadProvince());
const at = (iso: string) => Date.parse(iso);
/** Default sessions Monday–Friday 07:30–11:30 and 13:30–17:00, the 2026 calendar. */
const ctx = (previous: string, due: string | null = null, grainMs = 60_000): ScheduleContext => ({
  previousAt: at(previous),
  dueAt: due === null ? null : at(due),
  calendar: calendars.working("H44.101", at(previous)),
  grainMs,
});
const iso = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().replace(".000Z", "+07:00");

describe("when a scripted action comes", () => {
  it("counts staff minutes in working time: an hour of work from Friday 16/10/2026 16:30 ends Monday 08:00", () => {
    expect(iso(instantOf({ kind: "working", minutes: 60 }, ctx("2026-10-16T16:30:00+07:00")))).toBe(
      "2026-10-19T08:00:00+07:00",
    );
  });

  it("skips the 30/4–3/5/2026 holidays: two hours of work from Wednesday 29/4 16:00 end Monday 4/5 08:30", () => {
    expect(iso(instantOf({ kind: "working", minutes: 120 }, ctx("2026-04-29T16:00:00+07:00")))).toBe(
      "2026-05-04T08:30:00+07:00",
    );
  });

  it("lets applicants act at any hour: a supplement 10 hours after Friday 16:30 comes Saturday 02:30", () => {
    expect(iso(instantOf({ kind: "civil", minutes: 600 }, ctx("2026-10-16T16:30:00+07:00")))).toBe(
      "2026-10-17T02:30:00+07:00",
    );
  });

  it("places an apology a working day and an hour before the due instant, or at once when that has passed", () => {
    const apology: Timing = { kind: "due", minutes: -(450 + 60) };
    expect(iso(instantOf(apology, ctx("2026-10-12T08:00:00+07:00", "2026-10-16T10:00:00+07:00")))).toBe(
      "2026-10-15T09:00:00+07:00",
    );
    expect(iso(instantOf(apology, ctx("2026-10-16T08:00:00+07:00", "2026-10-16T10:00:00+07:00")))).toBe(
      "2026-10-16T08:00:00+07:00",
    );
  });

  it("resolves two working hours after the due instant shown, across the weekend", () => {
    const late: Timing = { kind: "verdict", verdict: "late", position: 0.5, lateMinutes: 120 };
    expect(iso(instantOf(late, ctx("2026-10-14T09:00:00+07:00", "2026-10-16T16:30:00+07:00")))).toBe(
      "2026-10-19T09:00:00+07:00",
    );
  });

  it("places an early decision on a working day before the due day, an on-time one on the due day up to the due instant", () => {
    const c = ctx("2026-10-12T09:00:00+07:00", "2026-10-16T10:00:00+07:00");
    for (const position of [0.01, 0.3, 0.7, 0.99]) {
      const early = instantOf({ kind: "verdict", verdict: "early", position, lateMinutes: 0 }, c);
      expect(early).toBeGreaterThanOrEqual(c.previousAt);
      expect(iso(early) < "2026-10-16").toBe(true);
      const onTime = instantOf({ kind: "verdict", verdict: "on_time", position, lateMinutes: 0 }, c);
      expect(iso(onTime).slice(0, 10)).toBe("2026-10-16");
      expect(onTime).toBeLessThanOrEqual(c.dueAt as number);
    }
  });

  it("keeps an on-time decision at or before a due instant off the grid", () => {
    const c = ctx("2026-10-16T09:55:00+07:00", "2026-10-16T09:58:30+07:00", 15 * 60_000);
    const t = instantOf({ kind: "verdict", verdict: "on_time", position: 0.99, lateMinutes: 0 }, c);
    expect(t).toBeLessThanOrEqual(c.dueAt as number);
    expect(t).toBeGreaterThanOrEqual(c.previousAt);
  });

  it("decides on the due day when no working day comes before it, and late once the due instant has passed", () => {
    const withinDay = ctx("2026-10-16T08:00:00+07:00", "2026-10-16T17:00:00+07:00");
    const early = instantOf({ kind: "verdict", verdict: "early", position: 0.5, lateMinutes: 0 }, withinDay);
    expect(iso(early).slice(0, 10)).toBe("2026-10-16");
    expect(early).toBeLessThanOrEqual(withinDay.dueAt as number);
    const past = ctx("2026-10-19T08:00:00+07:00", "2026-10-16T17:00:00+07:00");
    expect(
      instantOf({ kind: "verdict", verdict: "on_time", position: 0.5, lateMinutes: 30 }, past),
    ).toBeGreaterThan(past.dueAt as number);
  });

  it("spreads transfers over the time left before the decision", () => {
    const c = ctx("2026-10-12T07:30:00+07:00", "2026-10-16T17:00:00+07:00");
    const decide: Timing = { kind: "verdict", verdict: "late", position: 0, lateMinutes: 450 };
    // From Monday 07:30 to the decision Monday 19/10 17:00: 6 working days; a third of them is two.
    expect(iso(instantOf({ kind: "toward", share: 1 / 3, target: decide }, c))).toBe(
      "2026-10-13T17:00:00+07:00",
    );
  });

  it("never goes back before the previous action, and waits an hour of work while no due instant is shown", () => {
    const c = ctx("2026-10-16T10:00:00+07:00", null);
    expect(iso(instantOf({ kind: "due", minutes: -900 }, c))).toBe("2026-10-16T11:00:00+07:00");
    expect(instantOf({ kind: "at", at: at("2026-10-01T00:00:00+07:00") }, c)).toBe(c.previousAt);
  });

  it("rounds up to the grid where nothing bounds it", () => {
    const c = ctx("2026-10-16T08:07:00+07:00", null, 15 * 60_000);
    expect(iso(instantOf({ kind: "working", minutes: 1 }, c))).toBe("2026-10-16T08:15:00+07:00");
  });
});
