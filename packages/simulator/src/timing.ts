import type { WorkingCalendar } from "@tthc/calendar";

/**
 * When a scripted action happens. Only an arrival has an instant of its own; every later action is
 * placed from the one before it, and some from the due instant the services showed (the deadline
 * monitor decides it: the simulator never computes one), so that a dossier planned to be late is
 * late by the services' own clock, whatever pauses and resets did to it.
 */
export type Timing =
  /** A planned instant (an arrival). */
  | { kind: "at"; at: number }
  /** Working minutes after the previous action, in the receiving unit's working time (staff). */
  | { kind: "working"; minutes: number }
  /** Minutes after the previous action by the wall clock: applicants act at any hour. */
  | { kind: "civil"; minutes: number }
  /** Working minutes from the due instant the services show: negative before it, positive after. */
  | { kind: "due"; minutes: number }
  /**
   * The decision, placed for a verdict: `early` on a working day before the due day, `on_time` on
   * the due day up to the due instant, `late` `lateMinutes` of working time after it. `position`
   * (0–1) says where in the window.
   */
  | { kind: "verdict"; verdict: Verdict; position: number; lateMinutes: number }
  /** A share of the working time between the previous action and another timing's instant. */
  | { kind: "toward"; share: number; target: Timing }
  /** The earliest of several (staff act within minutes, or sooner on a short procedure). */
  | { kind: "first"; of: Timing[] };

export type Verdict = "early" | "on_time" | "late";

export interface ScheduleContext {
  /** The instant of the dossier's previous action (its arrival, for the first). */
  previousAt: number;
  /** The due instant the services showed last; null while none is known (a pause). */
  dueAt: number | null;
  /** The working time in which staff act (the receiving unit's). */
  calendar: WorkingCalendar;
  /** Instants are rounded to this grid where the timing allows (fewer distinct instants). */
  grainMs?: number;
}

/** Whether a timing needs the due instant the services show. */
export function needsDue(t: Timing): boolean {
  if (t.kind === "due" || t.kind === "verdict") return true;
  if (t.kind === "first") return t.of.some(needsDue);
  return t.kind === "toward" && needsDue(t.target);
}

const MINUTE = 60_000;

interface Raw {
  at: number;
  /** The latest instant the timing allows (an on-time decision stays at or before the due instant). */
  upper: number;
}

function afterWorking(cal: WorkingCalendar, from: number, ms: number): number {
  return ms >= 1 ? cal.addWorkingMs(from, Math.round(ms)) : cal.nextWorkingInstant(from);
}

function raw(t: Timing, ctx: ScheduleContext): Raw {
  const p = ctx.previousAt;
  const cal = ctx.calendar;
  const open = { upper: Number.POSITIVE_INFINITY };
  switch (t.kind) {
    case "at":
      return { at: Math.max(p, t.at), ...open };
    case "civil":
      return { at: p + Math.max(0, t.minutes) * MINUTE, ...open };
    case "working":
      return { at: afterWorking(cal, p, t.minutes * MINUTE), ...open };
    case "due": {
      // Without a due instant (none shown yet), the action comes an hour of work later.
      if (ctx.dueAt === null) return { at: afterWorking(cal, p, 60 * MINUTE), ...open };
      const due = ctx.dueAt;
      if (t.minutes >= 0) return { at: Math.max(p, afterWorking(cal, due, t.minutes * MINUTE)), ...open };
      const left = cal.workingMsBetween(p, due);
      const before = -t.minutes * MINUTE;
      return { at: left > before ? afterWorking(cal, p, left - before) : p, upper: due };
    }
    case "verdict":
      return verdictInstant(t, ctx);
    case "toward": {
      const target = instantOf(t.target, { ...ctx, grainMs: 0 });
      const span = cal.workingMsBetween(p, target);
      return { at: span > 0 ? afterWorking(cal, p, span * t.share) : p, upper: target };
    }
    case "first": {
      const all = t.of.map((x) => raw(x, ctx));
      return all.reduce((a, b) => (b.at < a.at ? b : a), { at: Number.POSITIVE_INFINITY, upper: 0 });
    }
  }
}

function verdictInstant(t: Extract<Timing, { kind: "verdict" }>, ctx: ScheduleContext): Raw {
  const p = ctx.previousAt;
  const cal = ctx.calendar;
  if (ctx.dueAt === null) return { at: afterWorking(cal, p, 60 * MINUTE), upper: Number.POSITIVE_INFINITY };
  const due = ctx.dueAt;
  const late = () => ({
    at: Math.max(p, afterWorking(cal, due, Math.max(1, t.lateMinutes) * MINUTE)),
    upper: Number.POSITIVE_INFINITY,
  });
  if (t.verdict === "late" || p > due) return late();
  // The local midnight that starts the due day: an early decision ends on a day before it.
  const dueDay = localDayStart(due);
  if (t.verdict === "early") {
    const span = cal.workingMsBetween(p, dueDay);
    if (span >= MINUTE)
      return { at: afterWorking(cal, p, Math.max(1, span * t.position)), upper: dueDay - 1 };
  }
  const from = Math.max(p, dueDay);
  const span = cal.workingMsBetween(from, due);
  if (span <= 0) return { at: Math.max(p, Math.min(from, due)), upper: due };
  return { at: Math.min(due, afterWorking(cal, from, Math.max(1, span * t.position))), upper: due };
}

const VN_OFFSET = 7 * 3_600_000;
const DAY = 86_400_000;

/** Local midnight (+07:00) of the day an instant falls on. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + VN_OFFSET) / DAY) * DAY - VN_OFFSET;
}

/**
 * The instant of a timing: never before the previous action, rounded up to the grid unless that
 * would pass the latest instant the timing allows (then down, or not at all).
 */
export function instantOf(t: Timing, ctx: ScheduleContext): number {
  const { at, upper } = raw(t, ctx);
  const p = ctx.previousAt;
  const grain = ctx.grainMs ?? MINUTE;
  const x = Math.max(p, at);
  if (grain <= 1) return x;
  const up = Math.ceil(x / grain) * grain;
  if (up <= upper) return up;
  const down = Math.floor(x / grain) * grain;
  return down >= p && down <= upper ? down : x;
}
