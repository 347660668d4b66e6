import type { Clock, Logger, Pool, Registry } from "@tthc/service-kit";
import { Gauge, Histogram } from "@tthc/service-kit";
import type { MonitorCalendars } from "../domain/calendars.js";
import { earliestTimer, fireDue } from "./firing.js";

export interface TimerLoopOptions {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  calendars: () => MonitorCalendars;
  /** Brings the calendars and units up to the catalogue before each look at the index. */
  refreshCatalog?: () => Promise<unknown>;
  /** Working hours overdue after which an overdue dossier's escalation goes up a step. */
  escalateAfterHours: number;
  /** Most timers fired in one transaction. */
  batchSize: number;
  /** Longest sleep between two looks at the index. */
  maxSleepMs: number;
}

/**
 * Fires the due timers of the partitions this instance owns: sleeps until the earliest one (capped),
 * fires in bounded batches, and never reads a timer that is not yet due.
 */
export class TimerLoop {
  private owned: number[] = [];
  private running = false;
  private wake: (() => void) | null = null;
  private done: Promise<void> | null = null;
  readonly lag: Histogram<"kind">;
  private readonly owning: Gauge;

  constructor(private readonly o: TimerLoopOptions) {
    this.lag = new Histogram({
      name: "overdue_alert_lag_seconds",
      help: "Alert instant minus the instant it was due (overdue and due-soon alerts)",
      labelNames: ["kind"],
      // Milliseconds when all is well; minutes, up to an hour, when the monitor was down or behind.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [o.registry],
    });
    this.owning = new Gauge({
      name: "monitor_timer_partitions",
      help: "Partitions of dossier.events whose timers this instance fires",
      registers: [o.registry],
    });
  }

  get partitions(): readonly number[] {
    return this.owned;
  }

  /** The partitions of dossier.events this instance owns now (from the consumer's group assignment). */
  setPartitions(partitions: readonly number[]): void {
    this.owned = [...partitions].sort((a, b) => a - b);
    this.owning.set(this.owned.length);
    this.o.logger.info({ partitions: this.owned }, "timer partitions assigned");
    this.nudge();
  }

  /** Look at the index now (a timer earlier than the current sleep may have been added). */
  nudge(): void {
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A clock moved by hand (tests, a simulated month) wakes the loop, which would otherwise sleep.
    this.stopListening = this.o.clock.onJump(() => this.nudge());
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopListening?.();
    this.nudge();
    await this.done;
  }

  private stopListening: (() => void) | undefined;

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const clock = this.o.clock;
        if (this.owned.length > 0) await this.o.refreshCatalog?.();
        const fired = await fireDue(
          this.o.pool,
          this.owned,
          { calendars: this.o.calendars, escalateAfterHours: this.o.escalateAfterHours },
          this.o.batchSize,
          () => clock.nowMs(),
        );
        for (const a of fired.alerts) this.lag.observe({ kind: a.kind }, a.lagMs / 1000);
        if (fired.taken >= this.o.batchSize) continue;
        const next = await earliestTimer(this.o.pool, this.owned);
        // An overdue timer fires only once its instant has passed: look again just after it.
        const wait =
          next === null
            ? this.o.maxSleepMs
            : Math.max(0, Math.min(this.o.maxSleepMs, clock.realDelayUntil(next + 1)));
        if (wait > 0 && this.running) await this.sleep(wait);
      } catch (err) {
        this.o.logger.error({ err }, "timer loop failed; retrying");
        if (this.running) await this.sleep(this.o.maxSleepMs);
      }
    }
  }
}
