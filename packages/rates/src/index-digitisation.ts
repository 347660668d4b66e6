import type { IndexCounts } from "./index-counts.js";
import type { Measurement } from "./index-scoring.js";

/**
 * Digitisation group (Số hóa hồ sơ), 22 of the index's 100 points: "Digitisation: electronic
 * results, digitised dossiers and results (full marks at ≥ 80%)." Three rates measured here:
 *
 * - electronic results = resolved in P with an electronic result / resolved in P;
 * - digitised dossiers = received in P with every document digitised or reused / received in P;
 * - digitised results = resolved in P whose result was digitised / resolved in P.
 *
 * Each criterion: full points at a rate ≥ 80%, below it points × rate / 80% (the rule and the
 * threshold are data, index-criteria.ts). The reuse of data from VNeID and the national databases
 * is not observed here and is reported as not measured.
 */
export function measureDigitisation(
  c: IndexCounts,
): Record<
  "digitisation.electronicResults" | "digitisation.digitisedDossiers" | "digitisation.digitisedResults",
  Measurement
> {
  return {
    "digitisation.electronicResults": {
      numerator: c.resolvedElectronicResult,
      denominator: c.resolved,
      reported: [],
    },
    "digitisation.digitisedDossiers": {
      numerator: c.receivedDigitised,
      denominator: c.received,
      reported: [],
    },
    "digitisation.digitisedResults": {
      numerator: c.resolvedResultDigitised,
      denominator: c.resolved,
      reported: [],
    },
  };
}
