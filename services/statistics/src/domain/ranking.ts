import type { Figures } from "./rates.js";
import { round2 } from "./rates.js";

/**
 * The 766-style ranking of units (README, "Score and ranking"): total = progress score (20 × the
 * 766 on-time rate) + online score (22 × the online rate), out of 42. Ties: higher 766 rate, then
 * more dossiers handled, then the unit code. Units that handled nothing in the period are not ranked.
 */
export interface Ranked<T> {
  rank: number | null;
  total: number | null;
  item: T;
}

export function totalScore(f: Figures): number | null {
  if (f.progressScore === null && f.onlineScore === null) return null;
  return round2((f.progressScore ?? 0) + (f.onlineScore ?? 0));
}

export function rankUnits<T extends { unitCode: string; figures: Figures }>(
  items: readonly T[],
): Ranked<T>[] {
  const scored = items.map((item) => ({
    item,
    total: item.figures.handled > 0 ? totalScore(item.figures) : null,
  }));
  scored.sort((a, b) => {
    if (a.total === null || b.total === null) {
      if (a.total !== b.total) return a.total === null ? 1 : -1;
      return a.item.unitCode.localeCompare(b.item.unitCode);
    }
    return (
      b.total - a.total ||
      (b.item.figures.onTimeRate766 ?? 0) - (a.item.figures.onTimeRate766 ?? 0) ||
      b.item.figures.handled - a.item.figures.handled ||
      a.item.unitCode.localeCompare(b.item.unitCode)
    );
  });
  const out: Ranked<T>[] = [];
  scored.forEach((s, i) => {
    const prev = out[i - 1];
    const tied =
      prev !== undefined &&
      prev.total === s.total &&
      prev.item.figures.onTimeRate766 === s.item.figures.onTimeRate766 &&
      prev.item.figures.handled === s.item.figures.handled;
    const rank = s.total === null ? null : tied && prev ? prev.rank : i + 1;
    out.push({ rank, total: s.total, item: s.item });
  });
  return out;
}
