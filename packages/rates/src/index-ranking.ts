import type { IndexGroupKey } from "./index-weights.js";
import type { UnitIndex } from "./unit-index.js";

/**
 * The ranking of units on the whole index (its measured total) or on one group (docs/domain.md,
 * "The whole index"). Higher points rank first. Ties: units with the same points (to the portal's
 * 2 decimals) share a rank, and the next rank skips as many places (1, 1, 3); within a tie they
 * are listed by unit code, so the order is the same on every run. A unit with nothing measured
 * (no total, or for a group no scored criterion) is not ranked at 0: it is listed apart, by code.
 */
export type IndexRankingBasis = "total" | IndexGroupKey;

export interface IndexRanked<T> {
  rank: number;
  points: number;
  /** The points that unit could reach on what was measured (the measured maximum). */
  measuredMax: number;
  item: T;
}

export interface IndexRanking<T> {
  basis: IndexRankingBasis;
  ranked: IndexRanked<T>[];
  /** Units with nothing measured on this basis, by unit code. */
  unranked: T[];
}

function scoreOn(index: UnitIndex, basis: IndexRankingBasis): { points: number; measuredMax: number } | null {
  if (basis === "total")
    return index.total === null ? null : { points: index.total, measuredMax: index.measuredMax };
  const g = index.groups.find((x) => x.key === basis);
  if (g?.status !== "measured" || g.points === null) return null;
  return { points: g.points, measuredMax: g.measuredMax };
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function rankByIndex<T extends { unitCode: string; index: UnitIndex }>(
  items: readonly T[],
  basis: IndexRankingBasis = "total",
): IndexRanking<T> {
  const scored: { item: T; points: number; measuredMax: number }[] = [];
  const unranked: T[] = [];
  for (const item of items) {
    const s = scoreOn(item.index, basis);
    if (s === null) unranked.push(item);
    else scored.push({ item, ...s });
  }
  scored.sort((a, b) => b.points - a.points || byCode(a.item.unitCode, b.item.unitCode));
  unranked.sort((a, b) => byCode(a.unitCode, b.unitCode));
  const ranked: IndexRanked<T>[] = [];
  scored.forEach((s, i) => {
    const prev = ranked[i - 1];
    const rank = prev !== undefined && prev.points === s.points ? prev.rank : i + 1;
    ranked.push({ rank, points: s.points, measuredMax: s.measuredMax, item: s.item });
  });
  return { basis, ranked, unranked };
}
