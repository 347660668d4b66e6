import { extensionNoticeInTime, isOverdue } from "./deadlines.js";
import { CalendarError } from "./errors.js";
import { dueWithPauses, type PauseSpan, usedWithPauses } from "./pauses.js";
import { budgetMs, type Cutoff, checkStatutory, clockStart, type Statutory } from "./statutory.js";
import { formatIsoLocal, type Instant, MINUTE_MS, toEpochMs } from "./time.js";
import { type ClockVerdict, judge } from "./verdict.js";
import type { WorkingCalendar } from "./working-time.js";

/** Why the clock stopped: the applicant must supplement the dossier, or pay (both are the applicant's time). */
export type PauseReason = "supplement" | "payment";

/** One transition of a clock, JSON-serialisable; a clock is its reception plus these, replayed in order. */
export type ClockEvent =
  | { type: "pause"; at: string; reason: PauseReason }
  | { type: "resume"; at: string }
  | { type: "reset"; at: string }
  | { type: "extend"; at: string; newDueAt: string; reason: string };

/** The JSON form of a clock (store it, publish it, restore it with `restoreClock`). */
export interface ClockState {
  receivedAt: string;
  statutory: Statutory;
  cutoff: Cutoff;
  events: ClockEvent[];
}

export interface StartClockOptions {
  receivedAt: Instant;
  statutory: Statutory;
  cutoff?: Cutoff;
  calendar: WorkingCalendar;
}

export interface ClockPause {
  from: Date;
  to: Date | null;
  reason: PauseReason;
}

/** An extension with apology (Văn bản xin lỗi và đề nghị gia hạn): a new promised date, once. */
export interface ClockExtension {
  at: Date;
  newDueAt: Date;
  reason: string;
  /** The due instant it moved away from (NgayHenTraTruoc); the verdict stays against it. */
  originalDueAt: Date | null;
  /** Sent at least one working day before the due instant, as the rules ask. */
  noticeInTime: boolean;
}

interface Pause extends PauseSpan {
  reason: PauseReason;
}

interface Internal {
  receivedAt: number;
  statutory: Statutory;
  cutoff: Cutoff;
  events: ClockEvent[];
  lastEventAt: number;
  startedAt: number;
  budget: number;
  /** Pauses since the last reset (or reception). */
  pauses: Pause[];
  supplementRequests: number[];
  resets: number[];
  /**
   * The due instant that had already passed when the applicant's time began (a supplement or payment
   * requested after it): the dossier is late from then on, whatever a pause or a reset does later.
   */
  lateSince: number | null;
  extension: {
    at: number;
    newDueAt: number;
    reason: string;
    originalDueAt: number | null;
    noticeInTime: boolean;
  } | null;
  due: number | null;
}

/**
 * The SLA clock of one dossier. Immutable: every transition returns a new clock, so a consumer can fold
 * events into it and keep the previous value. Instants in, Dates out; durations in working minutes.
 */
export class SlaClock {
  readonly calendar: WorkingCalendar;
  private readonly s: Internal;

  private constructor(calendar: WorkingCalendar, s: Internal) {
    this.calendar = calendar;
    this.s = s;
  }

  static start(options: StartClockOptions): SlaClock {
    const { calendar, statutory } = options;
    checkStatutory(statutory);
    const cutoff = options.cutoff ?? null;
    const receivedAt = toEpochMs(options.receivedAt);
    const startedAt = clockStart(calendar, receivedAt, cutoff);
    return new SlaClock(
      calendar,
      withDue(calendar, {
        receivedAt,
        statutory,
        cutoff,
        events: [],
        lastEventAt: receivedAt,
        startedAt,
        budget: budgetMs(calendar, startedAt, statutory),
        pauses: [],
        supplementRequests: [],
        resets: [],
        lateSince: null,
        extension: null,
        due: null,
      }),
    );
  }

  get receivedAt(): Date {
    return new Date(this.s.receivedAt);
  }
  /** Where counting (re)started: reception moved to the next working instant, or the last reset. */
  get startedAt(): Date {
    return new Date(this.s.startedAt);
  }
  get statutory(): Statutory {
    return this.s.statutory;
  }
  get cutoff(): Cutoff {
    return this.s.cutoff;
  }
  get budgetMinutes(): number {
    return this.s.budget / MINUTE_MS;
  }
  /** The due instant (NgayHenTra); null while a pause that began before it is still open. */
  get dueAt(): Date | null {
    return this.s.due === null ? null : new Date(this.s.due);
  }
  /** The date promised to the applicant: the extension's new date if any, else the due instant. */
  get promisedAt(): Date | null {
    return this.s.extension ? new Date(this.s.extension.newDueAt) : this.dueAt;
  }
  get isPaused(): boolean {
    const last = this.s.pauses[this.s.pauses.length - 1];
    return last !== undefined && last.to === null;
  }
  get pauses(): ClockPause[] {
    return this.s.pauses.map((p) => ({
      from: new Date(p.from),
      to: p.to === null ? null : new Date(p.to),
      reason: p.reason,
    }));
  }
  get supplementRequests(): number {
    return this.s.supplementRequests.length;
  }
  /** Under the 766 rules a second supplement request makes the dossier late: the instant it was made. */
  get secondSupplementAt(): Date | null {
    const at = this.s.supplementRequests[1];
    return at === undefined ? null : new Date(at);
  }
  /** The due instant already passed when a supplement or payment was requested; null if none had. */
  get lateSince(): Date | null {
    return this.s.lateSince === null ? null : new Date(this.s.lateSince);
  }
  get extension(): ClockExtension | null {
    const e = this.s.extension;
    if (!e) return null;
    return {
      at: new Date(e.at),
      newDueAt: new Date(e.newDueAt),
      reason: e.reason,
      originalDueAt: e.originalDueAt === null ? null : new Date(e.originalDueAt),
      noticeInTime: e.noticeInTime,
    };
  }

  /**
   * Stop the clock: a supplement request under the default pause rule, or awaiting payment. Asked
   * after the due instant, it clears no lateness: the due instant stays and the dossier stays late.
   */
  pause(at: Instant, reason: PauseReason): SlaClock {
    const t = this.eventAt(at);
    if (this.isPaused) this.refuse("pause", "the clock is already paused");
    const s = this.next({ type: "pause", at: formatIsoLocal(t), reason }, t);
    if (s.lateSince === null && s.due !== null && isOverdue(s.due, t)) s.lateSince = s.due;
    s.pauses = [...s.pauses, { from: t, to: null, reason }];
    if (reason === "supplement") s.supplementRequests = [...s.supplementRequests, t];
    return new SlaClock(this.calendar, withDue(this.calendar, s));
  }

  /** Restart the clock: the supplement or the payment arrived. */
  resume(at: Instant): SlaClock {
    const t = this.eventAt(at);
    if (!this.isPaused) this.refuse("resume", "the clock is not paused");
    const s = this.next({ type: "resume", at: formatIsoLocal(t) }, t);
    s.pauses = closeOpenPause(s.pauses, t);
    return new SlaClock(this.calendar, withDue(this.calendar, s));
  }

  /**
   * Count the whole time again from the complete dossier received at `at` (a procedure's reset rule), with the
   * same start rules as a reception (next working instant, cut-off hour). Closes an open pause. A dossier
   * already late when its supplement was requested is not counted again: its pause ends and it stays late.
   */
  reset(at: Instant): SlaClock {
    const t = this.eventAt(at);
    const s = this.next({ type: "reset", at: formatIsoLocal(t) }, t);
    if (s.lateSince !== null) {
      s.pauses = closeOpenPause(s.pauses, t);
      return new SlaClock(this.calendar, withDue(this.calendar, s));
    }
    s.startedAt = clockStart(this.calendar, t, s.cutoff);
    s.budget = budgetMs(this.calendar, s.startedAt, s.statutory);
    s.pauses = [];
    s.resets = [...s.resets, t];
    return new SlaClock(this.calendar, withDue(this.calendar, s));
  }

  /** Record an extension with apology and its new promised date. Allowed once; the due instant does not move. */
  extend(at: Instant, newDueAt: Instant, reason: string): SlaClock {
    const t = this.eventAt(at);
    const promised = toEpochMs(newDueAt);
    if (this.s.extension) {
      throw new CalendarError("CLOCK_ALREADY_EXTENDED", "The promised date may be moved only once", {
        previous: formatIsoLocal(this.s.extension.newDueAt),
      });
    }
    const due = this.s.due;
    if (due !== null && promised <= due) this.refuse("extend", "the new date must be after the due instant");
    const s = this.next(
      { type: "extend", at: formatIsoLocal(t), newDueAt: formatIsoLocal(promised), reason },
      t,
    );
    s.extension = {
      at: t,
      newDueAt: promised,
      reason,
      originalDueAt: due,
      noticeInTime: due === null || extensionNoticeInTime(this.calendar, t, due),
    };
    return new SlaClock(this.calendar, s);
  }

  /** Working minutes counted from the start to `t`, pauses excluded. */
  usedAt(t: Instant): number {
    return usedWithPauses(this.calendar, this.s.startedAt, toEpochMs(t), this.s.pauses) / MINUTE_MS;
  }

  /** Working minutes left at `t`; negative once overdue. */
  leftAt(t: Instant): number {
    return this.budgetMinutes - this.usedAt(t);
  }

  /** An open dossier at `t` is overdue when t is after the due instant; a paused one with time left is not. */
  overdueAt(t: Instant): boolean {
    return this.s.due !== null && toEpochMs(t) > this.s.due;
  }

  /** The verdict for a dossier resolved (or stopped) at `resolvedAt`, with the reason in words. */
  verdict(resolvedAt: Instant): ClockVerdict {
    const r = toEpochMs(resolvedAt);
    if (r < this.s.lastEventAt) {
      throw new CalendarError("CLOCK_EVENT_BEFORE_PREVIOUS", "Resolved before the clock's last event", {
        resolvedAt: formatIsoLocal(r),
        lastEventAt: formatIsoLocal(this.s.lastEventAt),
      });
    }
    // Resolved during a pause: the pause ends there, so the due instant is what it would be on resuming.
    const pauses = closeOpenPause(this.s.pauses, r);
    const due =
      this.s.due ?? (dueWithPauses(this.calendar, this.s.startedAt, this.s.budget, pauses) as number);
    return judge({
      calendar: this.calendar,
      resolvedAt: r,
      dueAt: due,
      receivedAt: this.s.receivedAt,
      startedAt: this.s.startedAt,
      statutory: this.s.statutory,
      cutoff: this.s.cutoff,
      budget: this.s.budget,
      used: usedWithPauses(this.calendar, this.s.startedAt, r, pauses),
      pauses,
      resets: this.s.resets,
      secondSupplementAt: this.s.supplementRequests[1] ?? null,
      lateSince: this.s.lateSince,
      extension: this.s.extension,
    });
  }

  toJSON(): ClockState {
    return {
      receivedAt: formatIsoLocal(this.s.receivedAt),
      statutory: this.s.statutory,
      cutoff: this.s.cutoff,
      events: [...this.s.events],
    };
  }

  private eventAt(at: Instant): number {
    const t = toEpochMs(at);
    if (t < this.s.lastEventAt) {
      throw new CalendarError("CLOCK_EVENT_BEFORE_PREVIOUS", "Clock events must come in time order", {
        at: formatIsoLocal(t),
        lastEventAt: formatIsoLocal(this.s.lastEventAt),
      });
    }
    return t;
  }

  private next(event: ClockEvent, t: number): Internal {
    return { ...this.s, events: [...this.s.events, event], lastEventAt: t };
  }

  private refuse(transition: string, why: string): never {
    throw new CalendarError("CLOCK_INVALID_TRANSITION", `Cannot ${transition}: ${why}`, { transition });
  }
}

function closeOpenPause(pauses: readonly Pause[], at: number): Pause[] {
  return pauses.map((p) => (p.to === null ? { ...p, to: at } : p));
}

function withDue(calendar: WorkingCalendar, s: Internal): Internal {
  return { ...s, due: dueWithPauses(calendar, s.startedAt, s.budget, s.pauses) };
}

/** Start the clock of a dossier received at `receivedAt`. */
export function startClock(options: StartClockOptions): SlaClock {
  return SlaClock.start(options);
}

/** Rebuild a clock from its JSON form by replaying its events. */
export function restoreClock(state: ClockState, calendar: WorkingCalendar): SlaClock {
  let clock = startClock({
    receivedAt: state.receivedAt,
    statutory: state.statutory,
    cutoff: state.cutoff,
    calendar,
  });
  for (const e of state.events) {
    if (e.type === "pause") clock = clock.pause(e.at, e.reason);
    else if (e.type === "resume") clock = clock.resume(e.at);
    else if (e.type === "reset") clock = clock.reset(e.at);
    else clock = clock.extend(e.at, e.newDueAt, e.reason);
  }
  return clock;
}
