import {
  type ClockRecord,
  type ClockSettings,
  catchingUpClock,
  systemClockCanFollow,
} from "./shared-clock.js";

/** The demo acts out this many days before today, up to now. */
export const DEMO_DAYS = 7;
/** How long the demo's fast clock takes to catch up with the machine's. */
export const DEMO_CATCH_UP_MS = 60_000;
/** The services' start, before the demo's clock reaches its first instant. */
export const DEMO_STARTUP_MS = 25_000;

/** What the local stack knows when it starts its services. */
export interface StackClockState {
  /** The clock the services were last started with (.run/clock.json); null on a stack never run. */
  saved: ClockRecord | null;
  /** Some services run already (they keep the clock they have). */
  servicesRunning: boolean;
  /** CLOCK, CLOCK_ORIGIN, CLOCK_SPEED of the environment `pnpm start` was given. */
  env: { CLOCK?: string | undefined; CLOCK_ORIGIN?: string | undefined; CLOCK_SPEED?: string | undefined };
  /** DEMO_DOSSIERS: dossiers per working day of the demo, 0 for none. */
  demoDossiers: number;
  /** The demo's report exists: it was loaded. */
  demoLoaded: boolean;
  /** The demo was started once (loaded or cut short). */
  demoStarted: boolean;
  /** The machine's clock. */
  nowMs: number;
}

export interface ClockDecision {
  /** The services' clock; null for the machine's. */
  settings: ClockSettings | null;
  /** Why, for .run/clock.json; null keeps the record as it is. */
  record: string | null;
  /** The demo to act out on that clock. */
  demo: { firstDate: string; dossiersPerDay: number } | null;
  /** Something to tell the person starting the stack. */
  note?: string;
}

/** The local date `days` after the machine's today in Vietnam. */
export function vietnamDate(nowMs: number, days = 0): string {
  return new Date(nowMs + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The clock the local stack starts its services on. A stack that has never run acts out the last
 * week of the province on a fast clock from seven days ago at 07:00 that catches up with the
 * machine's about a minute after the services are up, and keeps it (caught up, it reads the
 * machine's clock, so no restart is needed). A later start goes back to the machine's clock only
 * when that cannot move time backwards; a CLOCK in the environment is taken as given; services that
 * run already keep theirs. A demo load cut short is not started again: a second stretch of the
 * past would put the services' clock behind what the first one recorded.
 */
export function decideClock(state: StackClockState): ClockDecision {
  const saved = state.saved?.settings ?? null;
  if (state.servicesRunning) return { settings: saved, record: null, demo: null };
  if (state.env.CLOCK && state.env.CLOCK !== "system") {
    return {
      settings: {
        CLOCK: state.env.CLOCK,
        CLOCK_ORIGIN: state.env.CLOCK_ORIGIN ?? String(state.nowMs),
        CLOCK_SPEED: state.env.CLOCK_SPEED ?? "1",
      },
      record: "CLOCK given in the environment",
      demo: null,
    };
  }
  let note: string | undefined;
  if (state.demoDossiers > 0 && !state.demoLoaded) {
    if (state.saved === null && !state.demoStarted) {
      const firstDate = vietnamDate(state.nowMs, -DEMO_DAYS);
      const settings = catchingUpClock(
        Date.parse(`${firstDate}T07:00:00+07:00`),
        state.nowMs + DEMO_STARTUP_MS,
        DEMO_CATCH_UP_MS,
      );
      return {
        settings,
        record: `the demo data: ${DEMO_DAYS} days acted out in about a minute`,
        demo: { firstDate, dossiersPerDay: state.demoDossiers },
      };
    }
    note = state.demoStarted
      ? "the demo data's load was cut short earlier: not loading it again (delete .run/ for a clean slate)"
      : "not loading demo data: the services have run on their clock already (delete .run/ for a clean slate)";
  }
  if (saved !== null && !systemClockCanFollow(saved, state.nowMs)) {
    return { settings: saved, record: null, demo: null, ...(note ? { note } : {}) };
  }
  return {
    settings: null,
    record:
      saved !== null
        ? "the machine's clock again: the shared clock had caught up with it"
        : "the machine's clock",
    demo: null,
    ...(note ? { note } : {}),
  };
}
