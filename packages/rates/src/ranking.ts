import { type Figures, PARTIAL_INDEX_POINTS, partialIndexScore } from "./formulas.js";
import { indexGroup } from "./index-weights.js";

/**
 * Rankings of units (docs/domain.md, "The index"). The partial index score: the groups this
 * system measures, progress (20 × the 766 on-time rate) + online provision (12 × the online rate),
 * out of PARTIAL_INDEX_POINTS (32) of the index's 100. The progress score alone: the progress
 * group (criterion 2.1), 20 × the 766 on-time rate, out of 20. Ties, either way: higher 766 rate,
 * then more dossiers handled, then the unit code. Units that handled nothing in the period are not
 * ranked.
 */
export const RANKING_TITLE = `Partial QĐ 766 score: progress and online provision, ${PARTIAL_INDEX_POINTS} of 100 points`;
/** RANKING_TITLE in the words of the Vietnamese reports. */
export const RANKING_TITLE_VI = `Điểm một phần theo Bộ chỉ số QĐ 766: tiến độ giải quyết (${indexGroup("progress").points}) và dịch vụ công trực tuyến (${indexGroup("onlineProvision").points}), trên ${PARTIAL_INDEX_POINTS}/100 điểm; các nhóm khác không đo ở đây.`;
export const PROGRESS_RANKING_TITLE = `QĐ 766 progress score: ${indexGroup("progress").points} × the 766 on-time rate, ${indexGroup("progress").points} of 100 points`;

export interface Ranked<T> {
  rank: number | null;
  total: number | null;
  item: T;
}

/** What a ranking ranks on: the partial index score, or the progress group alone. */
export const rankingScores = {
  partial: partialIndexScore,
  progress: (f: Figures) => f.progressScore,
} satisfies Record<string, (f: Figures) => number | null>;
export type RankingScore = keyof typeof rankingScores;

export function rankUnits<T extends { unitCode: string; figures: Figures }>(
  items: readonly T[],
  by: RankingScore = "partial",
): Ranked<T>[] {
  const score = rankingScores[by];
  const scored = items.map((item) => ({
    item,
    total: item.figures.handled > 0 ? score(item.figures) : null,
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
