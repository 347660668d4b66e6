import { UnitCode } from "@tthc/contracts";
import type { AccessRule, UnitRule } from "@tthc/service-kit";

/**
 * The statistics' rows of docs/access-policy.md. Figures per unit are public, as the national
 * portal publishes them; the dossiers behind a figure are not.
 */

/** The unit a query names, or the caller's own. */
const queryUnit: UnitRule["units"] = (req, staff) => {
  const given = (req.query as Record<string, unknown> | undefined)?.unit;
  if (given === undefined) return [staff.unit];
  const parsed = UnitCode.safeParse(given);
  return parsed.success ? [parsed.data] : undefined;
};

export const access = {
  /** Aggregate figures, rates and rankings per unit, and their exports and live stream. */
  figures: { who: "public" },
  /** The dossiers behind a figure: the unit's staff (with its units), a leader above it, an admin. */
  dossiers: { who: "unit", parentLeader: true, admin: true, units: queryUnit },
  /** Rebuilding the aggregates, and its progress. */
  rebuild: { who: "admin" },
} satisfies Record<string, AccessRule>;
