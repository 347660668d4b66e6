import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { formatIsoLocal } from "@tthc/calendar";
import { shiftedClock } from "@tthc/service-kit";
import { RUN } from "./paths.js";

/**
 * One clock for several processes: the four services and the simulator read CLOCK, CLOCK_ORIGIN
 * and CLOCK_SPEED (packages/service-kit/src/clock.ts) and so read the same instant at the same
 * moment. A clock that starts in the past and runs fast catches up with the machine's clock and
 * reads it from then on: a stretch of simulated days flows into the live system without a jump.
 */
export interface ClockSettings {
  /** ISO 8601 instant with its offset: what the clock reads at CLOCK_ORIGIN. */
  CLOCK: string;
  /** The machine's instant (epoch ms) at which the clock reads CLOCK. */
  CLOCK_ORIGIN: string;
  /** How many times as fast as the machine's clock it runs. */
  CLOCK_SPEED: string;
}

/** An instant as local ISO 8601 (+07:00), to the second. */
export function isoLocal(ms: number): string {
  return formatIsoLocal(Math.floor(ms / 1000) * 1000);
}

/**
 * A clock that reads `startMs` at the machine's `originMs` and runs just fast enough to catch up
 * with the machine's clock about `catchUpMs` after the origin. The speed is a whole number, so that
 * the clock reads whole milliseconds (instants go into integer columns).
 */
export function catchingUpClock(startMs: number, originMs: number, catchUpMs: number): ClockSettings {
  if (!(startMs < originMs)) throw new RangeError("a catching-up clock starts before its origin");
  const speed = Math.max(2, Math.round(1 + (originMs - startMs) / catchUpMs));
  return {
    CLOCK: isoLocal(Math.floor(startMs / 1000) * 1000),
    CLOCK_ORIGIN: String(Math.round(originMs)),
    CLOCK_SPEED: String(speed),
  };
}

function parts(s: ClockSettings) {
  return { start: Date.parse(s.CLOCK), origin: Number(s.CLOCK_ORIGIN), speed: Number(s.CLOCK_SPEED) };
}

/** What the clock reads at the machine's instant `machineMs`: service-kit's shiftedClock, read then. */
export function readingAt(s: ClockSettings, machineMs: number): number {
  const { start, origin, speed } = parts(s);
  return shiftedClock({ startMs: start, originMs: origin, speed, machine: () => machineMs }).nowMs();
}

/** The machine's instant from which the clock reads the machine's clock; null if it never does. */
export function caughtUpAt(s: ClockSettings): number | null {
  const { start, origin, speed } = parts(s);
  if (!(start <= origin && speed > 1)) return null;
  return origin + (origin - start) / (speed - 1);
}

/**
 * Whether the machine's clock can take over from this one now without time going backwards: yes
 * once it has caught up (it reads the machine's clock anyway) or while it lags behind.
 */
export function systemClockCanFollow(s: ClockSettings, machineMs: number): boolean {
  return readingAt(s, machineMs) <= machineMs;
}

/** The environment that puts a process on the clock; nothing for the machine's clock. */
export function clockEnv(s: ClockSettings | null): Record<string, string> {
  return s === null ? {} : { CLOCK: s.CLOCK, CLOCK_ORIGIN: s.CLOCK_ORIGIN, CLOCK_SPEED: s.CLOCK_SPEED };
}

/** Where the local stack keeps the clock its services run on (read by `pnpm stack status`). */
export const CLOCK_FILE = join(RUN, "clock.json");

export interface ClockRecord {
  /** The clock the services were last started with; null for the machine's clock. */
  settings: ClockSettings | null;
  /** Why this clock (for status). */
  reason: string;
  /** When it was decided (local ISO, the machine's clock). */
  decidedAt: string;
}

export function readClockRecord(file = CLOCK_FILE): ClockRecord | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as ClockRecord;
  } catch {
    return null;
  }
}

export function writeClockRecord(settings: ClockSettings | null, reason: string, file = CLOCK_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  const record: ClockRecord = { settings, reason, decidedAt: isoLocal(Date.now()) };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function removeClockRecord(file = CLOCK_FILE): void {
  rmSync(file, { force: true });
}

/** One line for `pnpm stack status`. */
export function describeClock(record: ClockRecord | null, machineMs: number): string {
  const s = record?.settings ?? null;
  if (s === null) return "the machine's clock";
  const at = caughtUpAt(s);
  const speed = `${Number(s.CLOCK_SPEED)} times as fast as real time`;
  const origin = Number(s.CLOCK_ORIGIN);
  if (machineMs < origin)
    return `a clock that reads ${s.CLOCK} from ${isoLocal(origin)} on, then runs ${speed}${at === null ? "" : ` and catches up at ${isoLocal(at)}`}`;
  const base = `a clock started at ${s.CLOCK}, ${speed}`;
  if (at !== null && at <= machineMs)
    return `${base}; caught up with the machine's at ${isoLocal(at)} and reads it since`;
  return `${base}; reads ${isoLocal(readingAt(s, machineMs))}${at === null ? "" : `, catches up at ${isoLocal(at)}`}`;
}
