import type { IndexCriterion } from "./index-criteria.js";

/**
 * The criteria this system cannot observe from its own events (`observed: false` in
 * index-criteria.ts): the publication of procedures and the synchronisation of dossiers with the
 * national portal (transparency), payment through the national payment gateway (online payment),
 * the reuse of data from VNeID and the national databases (digitisation), and complaints
 * (satisfaction). "What the system cannot observe is reported as not measured, never as 0 or full":
 * such a criterion has no points and no counts, and counts in neither the measured total nor the
 * measured maximum. Where the criterion does not apply at the unit's level, the portal's full
 * marks are given instead (unit-index.ts).
 */
export const NOT_MEASURED_HERE = "not measured here";

export function isNotMeasured(c: IndexCriterion): boolean {
  return !c.observed;
}
