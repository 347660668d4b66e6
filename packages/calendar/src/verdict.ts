import { isOverdue } from "./deadlines.js";
import { daysOffRanges, describeCalendarRecords, describeDaysOff } from "./explain.js";
import type { PauseSpan } from "./pauses.js";
import { type Cutoff, describeStatutory, type Statutory } from "./statutory.js";
import { formatLocal, formatLocalDate, localDayNumber, MINUTE_MS } from "./time.js";
import type { WorkingCalendar } from "./working-time.js";

export type Verdict = "early" | "on_time" | "late";

export interface ClockVerdict {
  /** The verdict of record: by time, except that a second supplement request makes it late (766 rules). */
  verdict: Verdict;
  /** The verdict by the clock alone. */
  byTime: Verdict;
  resolvedAt: Date;
  dueAt: Date;
  usedMinutes: number;
  budgetMinutes: number;
  /** Working minutes past the budget (0 when within it). */
  overrunMinutes: number;
  secondSupplement: boolean;
  /** The end judged: the actual end minus the applicant's time (pauses), i.e. start + used working time. */
  effectiveEndAt: Date;
  /** The due instant had already passed when the applicant's time began (supplement requested late). */
  lateSince: Date | null;
  /** Whether the promise of an extension with apology was kept; null without extension. */
  extensionKept: boolean | null;
  /** In words: which rule, which dates. */
  reason: string;
}

export interface JudgeInput {
  calendar: WorkingCalendar;
  resolvedAt: number;
  dueAt: number;
  receivedAt: number;
  startedAt: number;
  statutory: Statutory;
  cutoff: Cutoff;
  budget: number;
  used: number;
  pauses: readonly (PauseSpan & { reason: string })[];
  resets: readonly number[];
  secondSupplementAt: number | null;
  lateSince: number | null;
  extension: { at: number; newDueAt: number; noticeInTime: boolean } | null;
}

/**
 * The boundary of docs/domain.md: early if resolved on a local day before the due day; on time if on the due
 * day and not after the due instant; late otherwise (an end after the due instant is the overdue boundary).
 */
export function verdictByTime(resolvedAt: number, dueAt: number): Verdict {
  if (isOverdue(dueAt, resolvedAt)) return "late";
  return localDayNumber(resolvedAt) < localDayNumber(dueAt) ? "early" : "on_time";
}

const minutes = (ms: number): string => {
  const m = ms / MINUTE_MS;
  return Number.isInteger(m) ? String(m) : m.toFixed(2);
};

export function judge(input: JudgeInput): ClockVerdict {
  const { calendar, resolvedAt, dueAt } = input;
  const byTime = verdictByTime(resolvedAt, dueAt);
  const secondSupplement = input.secondSupplementAt !== null;
  const verdict: Verdict = secondSupplement || input.lateSince !== null ? "late" : byTime;
  const overrun = Math.max(0, input.used - input.budget);
  const parts: string[] = [];

  const when = `resolved ${formatLocal(resolvedAt)}`;
  if (byTime === "early") {
    parts.push(
      `early: ${when}, a day before the due day ${formatLocalDate(localDayNumber(dueAt))} (due ${formatLocal(dueAt)})`,
    );
  } else if (byTime === "on_time") {
    parts.push(`on time: ${when}, on the due day and not after the due instant ${formatLocal(dueAt)}`);
  } else {
    parts.push(
      `late: ${when}, after the due instant ${formatLocal(dueAt)} (${minutes(overrun)} working minutes over)`,
    );
  }
  if (input.lateSince !== null) {
    parts.unshift(
      `late: the due instant ${formatLocal(input.lateSince)} had passed before the applicant's time began; a later supplement clears no lateness`,
    );
  }
  if (input.secondSupplementAt !== null) {
    parts.unshift(
      `late under the 766 rules: a second supplement was requested on ${formatLocal(input.secondSupplementAt)}` +
        ` (by time alone: ${byTime.replace("_", " ")})`,
    );
  }

  let counted = `due = ${describeStatutory(input.statutory, calendar.workingDayMinutes)} counted from ${formatLocal(input.startedAt)}`;
  const lastReset = input.resets[input.resets.length - 1];
  if (lastReset !== undefined) {
    counted += `, counted again from the complete dossier of ${formatLocal(lastReset)} (reset rule)`;
  } else if (input.startedAt !== input.receivedAt) {
    const cutoffApplied = input.startedAt !== calendar.nextWorkingInstant(input.receivedAt);
    counted += cutoffApplied
      ? ` (received ${formatLocal(input.receivedAt)}, after the ${input.cutoff} cut-off: counted from the next working day's opening)`
      : ` (received ${formatLocal(input.receivedAt)}, outside working hours: counted from the next working instant)`;
  }
  parts.push(counted);

  const pauseWords = input.pauses
    .filter((p) => p.to !== null)
    .map((p) => {
      const to = p.to as number;
      const ms = calendar.workingMsBetween(p.from, to);
      return `${p.reason} ${formatLocal(p.from)} → ${formatLocal(to)} (${minutes(ms)} working minutes)`;
    });
  if (pauseWords.length > 0) parts.push(`not counted (pause rule): ${pauseWords.join("; ")}`);

  const off = daysOffRanges(calendar, lastReset ?? input.receivedAt, dueAt);
  if (off.length > 0) parts.push(`days off skipped: ${describeDaysOff(off)}`);
  parts.push(
    `calendar ${describeCalendarRecords(calendar, input.startedAt, dueAt)}, unit ${calendar.unitCode}`,
  );

  let extensionKept: boolean | null = null;
  if (input.extension) {
    extensionKept = resolvedAt <= input.extension.newDueAt;
    parts.push(
      `extension with apology on ${formatLocal(input.extension.at)} promised ${formatLocal(input.extension.newDueAt)}` +
        ` (${extensionKept ? "kept" : "not kept"}${input.extension.noticeInTime ? "" : "; sent less than one working day before the due instant"});` +
        " the verdict stays against the original due instant",
    );
  }

  const effectiveEnd = input.used <= 0 ? input.startedAt : calendar.addWorkingMs(input.startedAt, input.used);
  return {
    verdict,
    byTime,
    effectiveEndAt: new Date(Math.min(effectiveEnd, resolvedAt)),
    lateSince: input.lateSince === null ? null : new Date(input.lateSince),
    resolvedAt: new Date(resolvedAt),
    dueAt: new Date(dueAt),
    usedMinutes: input.used / MINUTE_MS,
    budgetMinutes: input.budget / MINUTE_MS,
    overrunMinutes: overrun / MINUTE_MS,
    secondSupplement,
    extensionKept,
    reason: `${parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(". ")}.`,
  };
}
