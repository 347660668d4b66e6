import { setTimeout as sleep } from "node:timers/promises";

/**
 * The clock the services share, as the driver moves along it. Two kinds behind one interface:
 *
 * - stepped: a ManualClock in the same process (tests build the services with it). The driver puts
 *   the clock at the next action's instant, acts, waits until those answers are in, and moves on;
 *   nothing happens between two instants, however long the driver waits for Kafka.
 * - running: a clock that runs by itself, shared with separate service processes (CLOCK,
 *   CLOCK_ORIGIN, CLOCK_SPEED: the same shifted clock in every process). The driver sleeps until
 *   the clock reads the next action's instant.
 */
export interface Timeline {
  readonly stepped: boolean;
  /** The instant the services' clock reads now (epoch milliseconds). */
  nowMs(): number;
  /** Brings the clock to `atMs`: sets a stepped clock; sleeps until a running one gets there. */
  reach(atMs: number, interrupt?: Promise<unknown>): Promise<void>;
}

/** A clock the driver sets: service-kit's ManualClock. */
export interface SettableClock {
  nowMs(): number;
  set(at: number): void;
}

/** A clock that runs by itself: service-kit's shiftedClock or systemClock. */
export interface RunningClock {
  nowMs(): number;
  realDelayUntil(atMs: number): number;
}

export function steppedTimeline(clock: SettableClock): Timeline {
  return {
    stepped: true,
    nowMs: () => clock.nowMs(),
    async reach(atMs) {
      if (atMs > clock.nowMs()) clock.set(atMs);
    },
  };
}

/** Longest single sleep: the clock is read again after it (a system clock may be adjusted). */
const MAX_SLEEP_MS = 1_000;

export function runningTimeline(clock: RunningClock): Timeline {
  return {
    stepped: false,
    nowMs: () => clock.nowMs(),
    async reach(atMs, interrupt) {
      for (;;) {
        const delay = clock.realDelayUntil(atMs);
        if (delay <= 0) return;
        const nap = sleep(Math.min(delay, MAX_SLEEP_MS));
        if (interrupt) {
          const woke = await Promise.race([nap.then(() => false), interrupt.then(() => true)]);
          if (woke) return;
        } else await nap;
      }
    },
  };
}

/** A stepped timeline for a clock with `set`, a running one otherwise. */
export function timelineOf(clock: SettableClock | RunningClock): Timeline {
  return "set" in clock && typeof clock.set === "function"
    ? steppedTimeline(clock as SettableClock)
    : runningTimeline(clock as RunningClock);
}
