import type { IndexCounts } from "./index-counts.js";
import type { Measurement } from "./index-scoring.js";

/**
 * Progress group (Tiến độ giải quyết), 20 of the index's 100 points, QĐ 766 criterion 2.1:
 * "On-time rate, 766 definition: N / |H(P)|, where N = dossiers of H(P) finished in P with
 * effective end ≤ due, plus dossiers of H(P) still open at the end of P (or now) and not yet due.
 * Withdrawn and stopped dossiers count as finished at their stop. Score = 20 × rate."
 * The counts are those of `onTime766` (formulas.ts); points = 20 × N / |H(P)|.
 */
export function measureProgress(c: IndexCounts): Record<"progress.onTime766", Measurement> {
  return { "progress.onTime766": { numerator: c.onTime766, denominator: c.handled, reported: [] } };
}
