/**
 * The figures of DOMAIN.md ("Rates"), as pure functions of raw counts. Every rate is kept beside
 * its counts: published rates often do not match their own counts.
 */

/** Raw counts of one unit, procedure or the province over a period P. */
export interface RawCounts {
  /** Received in P, by channel (KenhThucHien). */
  receivedDirect: number;
  receivedOnline: number;
  receivedPostal: number;
  /** Received before P and not finished before P (carried over into P). */
  carriedOver: number;
  /** Finished in P: resolved (9) or stopped (8, withdrawals included). */
  finished: number;
  resolved: number;
  stopped: number;
  withdrawn: number;
  /** Verdicts of the dossiers finished in P. */
  early: number;
  onTime: number;
  late: number;
  /** Open at the end of P (or now): within the deadline, overdue, due soon (within, warned). */
  openWithin: number;
  openOverdue: number;
  dueSoon: number;
  /** Working minutes used by the dossiers finished in P with a verdict. */
  usedMinutesSum: number;
  usedCount: number;
  /** Late dossiers finished in P whose overrunning step belonged to this unit (lateness by unit). */
  lateAtFault: number;
}

export interface Figures extends RawCounts {
  received: number;
  /** H(P) = received in P + carried over. */
  handled: number;
  /** N of the 766 rate: finished in P early or on time, plus open at the end of P and not yet due. */
  onTime766: number;
  /** |H(P)| − N: finished late, overdue, or finished without a verdict yet. */
  notOnTime766: number;
  /** Tỷ lệ đúng hạn theo QĐ 766 (criterion 2.1), percent, 2 decimals; null when nothing was handled. */
  onTimeRate766: number | null;
  /** Finished-only on-time rate: (early + on time) / finished with a verdict, percent. */
  onTimeRateFinished: number | null;
  /** Online received / received, percent. */
  onlineRate: number | null;
  /** 20 × the 766 rate, 2 decimals. */
  progressScore: number | null;
  /** 22 × the online rate, 2 decimals (see README: the 766-style online score). */
  onlineScore: number | null;
  open: number;
  avgUsedMinutes: number | null;
}

export const PROGRESS_POINTS = 20;
export const ONLINE_POINTS = 22;

export function emptyCounts(): RawCounts {
  return {
    receivedDirect: 0,
    receivedOnline: 0,
    receivedPostal: 0,
    carriedOver: 0,
    finished: 0,
    resolved: 0,
    stopped: 0,
    withdrawn: 0,
    early: 0,
    onTime: 0,
    late: 0,
    openWithin: 0,
    openOverdue: 0,
    dueSoon: 0,
    usedMinutesSum: 0,
    usedCount: 0,
    lateAtFault: 0,
  };
}

/** Units roll up: the figures of a parent are the sums of its units' counts. */
export function addCounts(a: RawCounts, b: RawCounts): RawCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof RawCounts)[]) out[k] = a[k] + b[k];
  return out;
}

/** n / d, or null when d is 0. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

export function round2(x: number): number {
  return Math.round(x * 100 + Number.EPSILON * 100) / 100;
}

/** A ratio as a percentage with 2 decimals (2,348 / 2,971 → 79.03). */
export function percent(n: number, d: number): number | null {
  const r = ratio(n, d);
  return r === null ? null : round2(r * 100);
}

/** The 766 progress score: 20 × rate, from the unrounded rate (2,348 / 2,971 → 15.81). */
export function progressScore(onTime: number, handled: number): number | null {
  const r = ratio(onTime, handled);
  return r === null ? null : round2(PROGRESS_POINTS * r);
}

/** The 766-style online score: 22 × online rate. */
export function onlineScore(online: number, received: number): number | null {
  const r = ratio(online, received);
  return r === null ? null : round2(ONLINE_POINTS * r);
}

export function figuresOf(c: RawCounts): Figures {
  const received = c.receivedDirect + c.receivedOnline + c.receivedPostal;
  const handled = received + c.carriedOver;
  const onTime766 = c.early + c.onTime + c.openWithin;
  const judged = c.early + c.onTime + c.late;
  return {
    ...c,
    received,
    handled,
    onTime766,
    notOnTime766: handled - onTime766,
    onTimeRate766: percent(onTime766, handled),
    onTimeRateFinished: percent(c.early + c.onTime, judged),
    onlineRate: percent(c.receivedOnline, received),
    progressScore: progressScore(onTime766, handled),
    onlineScore: onlineScore(c.receivedOnline, received),
    open: c.openWithin + c.openOverdue,
    avgUsedMinutes: c.usedCount === 0 ? null : Math.round(c.usedMinutesSum / c.usedCount),
  };
}

/** p-th percentile (nearest rank) of a list of numbers; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
