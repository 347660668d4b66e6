import type { RawCounts } from "./counts.js";
import { INDEX_GROUPS, indexGroup } from "./index-weights.js";

/**
 * The rates of docs/domain.md ("Rates"), as pure functions of raw counts. Each one quotes the text
 * it implements. A rate over nothing is null, never 0% or 100%.
 */

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

/**
 * On-time rate, 766 definition (criterion 2.1): "N / |H(P)|, where N = dossiers of H(P) finished
 * in P with effective end ≤ due, plus dossiers of H(P) still open at the end of P (or now) and not
 * yet due. Withdrawn and stopped dossiers count as finished at their stop." H(P) = received in P
 * plus carried over.
 */
export function onTime766(c: RawCounts): { n: number; handled: number } {
  const handled = c.receivedDirect + c.receivedOnline + c.receivedPostal + c.carriedOver;
  return { n: c.early + c.onTime + c.openWithin, handled };
}

/**
 * On-time rate, finished-only (what reports and newspapers quote): "(early + on time) / resolved
 * in P (state 9 only; stopped and withdrawn are counted beside it, not in it)".
 */
export function onTimeFinished(c: RawCounts): { n: number; resolved: number } {
  return { n: c.resolvedEarly + c.resolvedOnTime, resolved: c.resolved };
}

/** Online rate: "dossiers received in P on the online channel / dossiers received in P". */
export function online(c: RawCounts): { n: number; received: number } {
  return { n: c.receivedOnline, received: c.receivedDirect + c.receivedOnline + c.receivedPostal };
}

/**
 * The stricter online rate of the 766 criterion: "an online dossier counts only where an electronic
 * result was issued". Judged on the dossiers resolved in P, the only ones whose result is known:
 * resolved online with an electronic result / resolved.
 */
export function strictOnline(c: RawCounts): { n: number; resolved: number } {
  return { n: c.resolvedOnlineElectronic, resolved: c.resolved };
}

/** The index's progress group: its points × the 766 on-time rate. */
export function progressScore(n: number, handled: number): number | null {
  const r = ratio(n, handled);
  return r === null ? null : round2(indexGroup("progress").points * r);
}

/** The online-provision group as far as measured here: its points × the online rate. */
export function onlineScore(n: number, received: number): number | null {
  const r = ratio(n, received);
  return r === null ? null : round2(indexGroup("onlineProvision").points * r);
}

/** The points of the groups this system measures (progress and online provision): 32 of 100. */
export const PARTIAL_INDEX_POINTS = INDEX_GROUPS.filter((g) => g.measured).reduce((s, g) => s + g.points, 0);

/** The figures of one set of counts: every rate beside the counts it is made of. */
export interface Figures extends RawCounts {
  received: number;
  /** H(P) = received in P + carried over. */
  handled: number;
  /** N of the 766 rate. */
  onTime766: number;
  /** |H(P)| − N: finished late, overdue, or finished without a verdict yet. */
  notOnTime766: number;
  /** Tỷ lệ đúng hạn theo QĐ 766 (criterion 2.1), percent, 2 decimals. */
  onTimeRate766: number | null;
  /** (resolved early + resolved on time) / resolved, percent. */
  onTimeRateFinished: number | null;
  onlineRate: number | null;
  /** Resolved online with an electronic result / resolved, percent. */
  strictOnlineRate: number | null;
  /** Progress group points (20 × the 766 rate). */
  progressScore: number | null;
  /** Online-provision group points as far as measured (12 × the online rate). */
  onlineScore: number | null;
  /** Acceptance decided within the centre's acceptance deadline / decided, percent. */
  acceptanceOnTimeRate: number | null;
  open: number;
  avgUsedMinutes: number | null;
}

export function figuresOf(c: RawCounts): Figures {
  const t766 = onTime766(c);
  const fin = onTimeFinished(c);
  const on = online(c);
  const strict = strictOnline(c);
  return {
    ...c,
    received: on.received,
    handled: t766.handled,
    onTime766: t766.n,
    notOnTime766: t766.handled - t766.n,
    onTimeRate766: percent(t766.n, t766.handled),
    onTimeRateFinished: percent(fin.n, fin.resolved),
    onlineRate: percent(on.n, on.received),
    strictOnlineRate: percent(strict.n, strict.resolved),
    progressScore: progressScore(t766.n, t766.handled),
    onlineScore: onlineScore(on.n, on.received),
    acceptanceOnTimeRate: percent(c.acceptanceOnTime, c.acceptanceDecided),
    open: c.openWithin + c.openOverdue,
    avgUsedMinutes: c.usedCount === 0 ? null : Math.round(c.usedMinutesSum / c.usedCount),
  };
}

/**
 * The partial index score: the groups measured here (progress 20 + online provision 12 = 32 of
 * 100 points). Never called the QĐ 766 score: the other groups are not measured here.
 */
export function partialIndexScore(f: Figures): number | null {
  if (f.progressScore === null && f.onlineScore === null) return null;
  return round2((f.progressScore ?? 0) + (f.onlineScore ?? 0));
}

/** p-th percentile (nearest rank) of a list of numbers; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
