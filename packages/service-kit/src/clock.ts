import { readFileSync, renameSync, statSync, watch, writeFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { z } from "zod";

/**
 * The one source of "now" in a service. Every business instant (a reception, an action, an alert,
 * "open at the end of the period") is read from it, never from `Date.now()` or PostgreSQL's
 * `now()`, so that a test or a simulation can put the whole system at any hour of any day.
 */
export interface Clock {
  /** The current instant in epoch milliseconds. */
  nowMs(): number;
  /** The current instant as a Date. */
  now(): Date;
  /**
   * How many real milliseconds until the clock reads `atMs` (0 if it already does; Infinity for a
   * clock that moves only when told): how long a loop waiting for an instant sleeps.
   */
  realDelayUntil(atMs: number): number;
  /**
   * Called when the clock jumps (a manual clock set or advanced), so that a loop sleeping until
   * an instant can look again. Returns the function that stops listening.
   */
  onJump(listener: () => void): () => void;
}

const noJumps = () => () => {};

/** The machine's clock. */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  now: () => new Date(),
  realDelayUntil: (atMs) => Math.max(0, atMs - Date.now()),
  onJump: noJumps,
};

export interface ShiftedClockOptions {
  /** The instant the clock reads at `originMs` of the machine's clock. */
  startMs: number;
  /** The machine's instant at which the clock reads `startMs`; default: when the clock is made. */
  originMs?: number;
  /** How many times as fast as the machine's clock it runs (default 1). */
  speed?: number;
  machine?: () => number;
}

/**
 * A clock put on another instant, and run faster if asked: `startMs` until the machine's
 * `originMs`, then `speed` times as fast as the machine's clock. A clock that starts in the past and runs fast
 * catches up with the machine's clock and from then on reads it: a week of the province acted out
 * in a minute flows into the live system without a jump. Processes given the same start, origin
 * and speed read the same instant at the same moment.
 */
export function shiftedClock(options: ShiftedClockOptions): Clock {
  const machine = options.machine ?? Date.now;
  const origin = options.originMs ?? machine();
  const speed = options.speed ?? 1;
  const { startMs } = options;
  const caughtUp = startMs <= origin && speed > 1;
  // Whole milliseconds: instants go into integer columns and compare exactly. Before its origin
  // the clock waits at its start: processes started early read no instant before it.
  const nowMs = () => {
    const m = machine();
    if (m < origin) return Math.floor(startMs);
    const t = Math.floor(startMs + (m - origin) * speed);
    return caughtUp && t > m ? m : t;
  };
  return {
    nowMs,
    now: () => new Date(nowMs()),
    realDelayUntil(atMs) {
      const now = nowMs();
      if (atMs <= now) return 0;
      const m = machine();
      if (caughtUp && now === m) return atMs - m;
      // Before catching up: the machine instant at which the fast clock reads atMs (or catches up).
      const fast = origin + (atMs - startMs) / speed;
      return Math.max(0, Math.min(fast, caughtUp ? origin + (origin - startMs) / (speed - 1) : fast) - m);
    },
    onJump: noJumps,
  };
}

/** A clock that moves only when told: tests and the simulated month. */
export class ManualClock implements Clock {
  private ms: number;
  private readonly listeners = new Set<() => void>();

  constructor(start: number | string | Date) {
    this.ms = toMs(start);
  }

  nowMs(): number {
    return this.ms;
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Puts the clock at `at`; it never goes back (an instant already recorded stays in the past). */
  set(at: number | string | Date): void {
    const next = toMs(at);
    if (next < this.ms) throw new RangeError(`a clock does not go back: ${new Date(next).toISOString()}`);
    if (next === this.ms) return;
    this.ms = next;
    for (const l of this.listeners) l();
  }

  advance(ms: number): void {
    this.set(this.ms + ms);
  }

  /** A manual clock never gets there by itself: whoever waits must be woken by a jump. */
  realDelayUntil(atMs: number): number {
    return atMs <= this.ms ? 0 : Number.POSITIVE_INFINITY;
  }

  onJump(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * A manual clock shared by separate processes: a driver steps it by writing the instant to a file
 * (`CLOCK_FILE`, written by `FileClockWriter`), and every process that reads it looks at the file
 * whenever it is asked the time. A request sent after a step is therefore stamped with the new
 * instant in every service, and nothing moves between two steps however long the driver waits.
 * A change of the file also wakes whoever waits on a jump. It never goes back.
 */
export function fileClock(path: string): Clock {
  let seen = "";
  let ms = Number.NEGATIVE_INFINITY;
  const listeners = new Set<() => void>();
  const jumped = () => {
    for (const l of listeners) l();
  };
  /** Reads the file if it changed; a later instant is taken and told to the listeners. */
  const look = (): void => {
    const st = statSync(path, { bigint: true, throwIfNoEntry: false });
    // Gone after the start (the driver's run is over): the clock stays where it was.
    if (!st) return;
    const stamp = `${st.ino}:${st.mtimeNs}:${st.size}`;
    if (stamp === seen) return;
    seen = stamp;
    const next = Number(readFileSync(path, "utf8").trim());
    if (!Number.isFinite(next) || next <= ms) return;
    ms = next;
    // Whoever asked the time goes on first; loops waiting on a jump look again afterwards.
    queueMicrotask(jumped);
  };
  if (!statSync(path, { throwIfNoEntry: false })) throw new Error(`CLOCK_FILE ${path}: no such file`);
  look();
  // The directory is watched, not the file: each step replaces the file (rename).
  const watcher = watch(dirname(path), (_event, name) => {
    if (name === basename(path)) look();
  });
  watcher.unref();
  const nowMs = () => {
    look();
    return ms;
  };
  return {
    nowMs,
    now: () => new Date(nowMs()),
    realDelayUntil: (atMs) => (atMs <= nowMs() ? 0 : Number.POSITIVE_INFINITY),
    onJump(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The driver's side of `fileClock`: sets the instant that every process reading the file reads. */
export class FileClockWriter {
  private ms: number;

  constructor(
    readonly path: string,
    start: number | string | Date,
  ) {
    this.ms = toMs(start);
    this.write();
  }

  nowMs(): number {
    return this.ms;
  }

  /** Puts the clock at `at` for every reader at once (an atomic replace); it never goes back. */
  set(at: number | string | Date): void {
    const next = toMs(at);
    if (next < this.ms) throw new RangeError(`a clock does not go back: ${new Date(next).toISOString()}`);
    if (next === this.ms) return;
    this.ms = next;
    this.write();
  }

  private write(): void {
    const tmp = `${this.path}.next`;
    writeFileSync(tmp, String(this.ms));
    renameSync(tmp, this.path);
  }
}

function toMs(at: number | string | Date): number {
  const ms = typeof at === "number" ? at : at instanceof Date ? at.getTime() : Date.parse(at);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(at)}`);
  return ms;
}

const ORIGIN_RULE = "the machine's instant the clock starts from, in epoch milliseconds";
const SPEED_RULE = "how many times faster than real time the clock runs: a number above 0, at most 1000000";

/**
 * `CLOCK`: `system` (the default) or an ISO 8601 instant with its offset at which the service's
 * clock starts; `CLOCK_ORIGIN`: the machine's instant (epoch ms) at which it reads `CLOCK`, so that
 * several processes share one clock (default: when the process starts); `CLOCK_SPEED`: how many
 * times as fast as the machine's it runs (default 1). A clock in the past that runs fast catches up
 * with the machine's clock and stays with it. `CLOCK_FILE`: instead of all three, a file that a
 * driver in another process steps (`fileClock`).
 */
export const clockConfig = {
  CLOCK: z
    .string()
    .default("system")
    .refine((v) => v === "system" || (/(Z|[+-]\d\d:?\d\d)$/.test(v) && Number.isFinite(Date.parse(v))), {
      message: "system, or an ISO 8601 instant with its offset (e.g. 2026-05-04T07:29:00+07:00)",
    }),
  CLOCK_ORIGIN: z.coerce.number({ error: ORIGIN_RULE }).int(ORIGIN_RULE).positive(ORIGIN_RULE).optional(),
  CLOCK_SPEED: z.coerce
    .number({ error: SPEED_RULE })
    .positive(SPEED_RULE)
    .max(1_000_000, SPEED_RULE)
    .default(1),
  CLOCK_FILE: z.string().min(1).optional(),
};

/** The clock a configuration asks for. */
export function clockFromConfig(config: {
  CLOCK: string;
  CLOCK_ORIGIN?: number | undefined;
  CLOCK_SPEED: number;
  CLOCK_FILE?: string | undefined;
}): Clock {
  if (config.CLOCK_FILE !== undefined) return fileClock(config.CLOCK_FILE);
  if (config.CLOCK === "system" && config.CLOCK_SPEED === 1) return systemClock;
  const startMs = config.CLOCK === "system" ? Date.now() : Date.parse(config.CLOCK);
  return shiftedClock({
    startMs,
    speed: config.CLOCK_SPEED,
    ...(config.CLOCK_ORIGIN === undefined ? {} : { originMs: config.CLOCK_ORIGIN }),
  });
}
