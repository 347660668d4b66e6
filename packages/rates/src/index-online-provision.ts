import type { IndexCounts } from "./index-counts.js";
import { ONLINE_PROVISION_SCORED_RATE } from "./index-criteria.js";
import { type Measurement, reportedRate } from "./index-scoring.js";

/**
 * Online-provision group (Dịch vụ công trực tuyến), 12 of the index's 100 points:
 * "Online rate: dossiers received in P on the online channel / dossiers received in P. The 766
 * criterion is stricter: an online dossier counts only where an electronic result was issued, for
 * procedures whose result is a paper. Report both."
 *
 * - online rate = received online in P / received in P;
 * - stricter rate = (resolved online − resolved online for a paper-result procedure without an
 *   electronic result) / resolved in P, judged on the dossiers resolved in P, the only ones whose
 *   result is known (docs/domain.md, "Stricter online rate").
 *
 * The one that scores is ONLINE_PROVISION_SCORED_RATE (index-criteria.ts), the stricter one;
 * points = 12 × that rate. The other is reported beside it.
 */
export function measureOnlineProvision(
  c: IndexCounts,
): Record<"onlineProvision.onlineDossiers", Measurement> {
  const strictN = c.resolvedOnline - c.resolvedOnlinePaperResult + c.resolvedOnlinePaperResultElectronic;
  const online = reportedRate("online rate (received online / received)", c.receivedOnline, c.received);
  const strict = reportedRate(
    "stricter online rate (resolved online, with an electronic result where the result is a paper / resolved)",
    strictN,
    c.resolved,
  );
  const scored = ONLINE_PROVISION_SCORED_RATE === "strict" ? strict : online;
  return {
    "onlineProvision.onlineDossiers": {
      numerator: scored.numerator,
      denominator: scored.denominator,
      reported: [online, strict],
    },
  };
}
