import type { IndexCounts } from "./index-counts.js";
import { type Measurement, reportedRate } from "./index-scoring.js";

/**
 * Satisfaction group (Mức độ hài lòng), 18 of the index's 100 points: "Satisfaction per dossier =
 * 100% − (late rate + rate with a complaint or a dissatisfied rating), full marks at ≥ 90%."
 *
 * Over the dossiers resolved in P (the ones whose handling can be rated):
 * late rate = resolved late / resolved; complaint rate = resolved with a complaint or a
 * dissatisfied rating / resolved; satisfaction = 100% − (late rate + complaint rate), never below
 * 0%. As the text reads, a dossier both late and complained of is subtracted twice. The
 * satisfied count is therefore resolved − late − complained (at least 0).
 *
 * Points: full at ≥ 90%, below it points × rate / 90% (index-criteria.ts). The group's two
 * criteria on complaints (handled on time, satisfaction with their handling) are not observed here.
 */
export function measureSatisfaction(c: IndexCounts): Record<"satisfaction.dossiers", Measurement> {
  const satisfied = Math.max(0, c.resolved - c.resolvedLate - c.resolvedComplainedOrDissatisfied);
  return {
    "satisfaction.dossiers": {
      numerator: satisfied,
      denominator: c.resolved,
      reported: [
        reportedRate("late rate (resolved late / resolved)", c.resolvedLate, c.resolved),
        reportedRate(
          "complaint rate (resolved with a complaint or a dissatisfied rating / resolved)",
          c.resolvedComplainedOrDissatisfied,
          c.resolved,
        ),
      ],
    },
  };
}
