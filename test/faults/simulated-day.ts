/**
 * The day a fault scenario acts out, and the clock it is acted out on. The services and the
 * simulator's driver share one clock (infra/stack/shared-clock.ts) that reads 07:00 of the last
 * working day before today when the services have just come up, runs fast through that day and the
 * night after, and catches up with the machine's clock one to two minutes later: from then on it
 * reads the machine's clock, so that what the checks read (due instants, alerts) is in one time.
 */
import { type Clock, shiftedClock } from "@tthc/service-kit";
import { addDays, loadProvince, localDateOf, provinceCalendars, startOfDate } from "@tthc/simulator";
import { type ClockSettings, catchingUpClock, caughtUpAt } from "../../infra/stack/shared-clock.js";

/** About how many times as fast as real time the day runs: a working day in about 18 s. */
const DAY_SPEED = 2_000;
/** Bounds of the catch-up: a plan after a long holiday runs faster, not longer. */
const MIN_CATCH_UP_MS = 45_000;
const MAX_CATCH_UP_MS = 60_000;
/**
 * The machine's time from choosing the clock to the moment it reads 07:00: the four services start
 * (in parallel, 15–25 s on two cores) and the catalogue is prepared. Until then the clock reads
 * 07:00 and waits; a start slower than this loses nothing but the day's earliest arrivals.
 */
const STARTUP_MS = 30_000;
/** When the day starts on the shared clock: counters open at 07:30. */
const START_TIME = "07:00";
/**
 * The fault comes when the shared clock reads this time of the planned day: counters are open, staff
 * act, online submissions flow, and about half of the day's work is still ahead.
 */
const FAULT_TIME = "14:00";

export interface SimulatedDay {
  /** The planned local date (a working day of the provincial centre). */
  date: string;
  /** 07:00 of `date`: what the clock reads at its origin. */
  startMs: number;
  /** When the fault comes, on the shared clock. */
  faultMs: number;
  /** The instant the clock catches up with the machine's: the driver acts up to it. */
  untilMs: number;
  /** The services' clock settings (CLOCK, CLOCK_ORIGIN, CLOCK_SPEED). */
  settings: ClockSettings;
  /** The same clock in this process, for the driver and the checks. */
  clock: Clock;
}

/** The last working day of the provincial centre strictly before `today` (a local date). */
export function lastWorkingDayBefore(today: string): string {
  const province = loadProvince();
  const calendars = provinceCalendars(province);
  for (let d = addDays(today, -1), n = 0; n < 60; d = addDays(d, -1), n++) {
    if (calendars.isWorkingDay(province.provincialCentre.code, d)) return d;
  }
  throw new Error(`no working day in the 60 days before ${today}`);
}

/** The day to act out and its clock, chosen at the machine's instant `machineMs`. */
export function simulatedDay(machineMs: number): SimulatedDay {
  const date = lastWorkingDayBefore(localDateOf(machineMs));
  const startMs = Date.parse(`${date}T${START_TIME}:00+07:00`);
  const originMs = machineMs + STARTUP_MS;
  const catchUpMs = Math.min(MAX_CATCH_UP_MS, Math.max(MIN_CATCH_UP_MS, (originMs - startMs) / DAY_SPEED));
  const settings = catchingUpClock(startMs, originMs, catchUpMs);
  const untilMs = caughtUpAt(settings) as number;
  return {
    date,
    startMs,
    faultMs: Date.parse(`${date}T${FAULT_TIME}:00+07:00`),
    untilMs,
    settings,
    clock: shiftedClock({
      startMs: Date.parse(settings.CLOCK),
      originMs: Number(settings.CLOCK_ORIGIN),
      speed: Number(settings.CLOCK_SPEED),
    }),
  };
}

/** Local midnight starting the day's date: before anything of the day is received. */
export function dayStartOf(day: SimulatedDay): number {
  return startOfDate(day.date);
}

/** Resolves once `clock` reads `atMs`, or when `interrupt` settles first (then false). */
export async function clockReads(clock: Clock, atMs: number, interrupt?: Promise<unknown>): Promise<boolean> {
  let interrupted = false;
  interrupt?.then(
    () => {
      interrupted = true;
    },
    () => {
      interrupted = true;
    },
  );
  for (;;) {
    if (clock.nowMs() >= atMs) return true;
    if (interrupted) return false;
    // Short naps: at the day's speed 100 ms are a few simulated minutes.
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, clock.realDelayUntil(atMs)))));
  }
}
