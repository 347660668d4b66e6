import type { Unit } from "@tthc/contracts";
import { isUnitWithin, parentUnitOf, unitLineage } from "@tthc/service-kit";

/**
 * The escalation of an overdue dossier, one alert per step, each to the unit it goes to. Overdue
 * here counts from the date promised to the applicant: the due instant, or the new date an
 * extension with apology set (an extension cancels the chain of the old date and starts its own).
 *
 * 1. `escalation-unit` once the promised date has passed: the assignee and the leader of the unit
 *    holding the dossier;
 * 2. `escalation-parent` once it has been overdue `afterHours` working hours: the leader of that
 *    unit's parent (the catalogue's `parentCode`);
 * 3. `escalation-centre` once it has been overdue twice as long: the province's one-stop centre
 *    (the active `provincial-centre` unit of the province the holding unit lies in).
 *
 * Each step is a timer in the index; firing it raises its alert and puts the next step's timer in.
 * A resolution, a pause or an extension moves the clock, which clears them all (src/consumers).
 * A step whose unit the catalogue cannot name, or that an earlier step already went to (a dossier
 * held by the province, or by the centre itself), raises nothing; the steps after it still come.
 * Working hours count in the dossier's own calendar, as its clock does.
 */
export const ESCALATION_KINDS = ["escalation-unit", "escalation-parent", "escalation-centre"] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

export const levelOf = (kind: EscalationKind): 1 | 2 | 3 => (ESCALATION_KINDS.indexOf(kind) + 1) as 1 | 2 | 3;

/** The step after `kind`, or null after the last. */
export function nextStep(kind: EscalationKind): EscalationKind | null {
  return kind === "escalation-unit"
    ? "escalation-parent"
    : kind === "escalation-parent"
      ? "escalation-centre"
      : null;
}

/**
 * The one key of a step's alert: the dossier, the step's level and the due instant it escalates.
 * A replay, a relay copy or a second instance meets it and raises nothing more; an extension (a new
 * due instant) starts a chain of its own.
 */
export function escalationKey(dossierId: string, kind: EscalationKind, promisedAt: Date): string {
  return `escalation|${dossierId}|${levelOf(kind)}|${promisedAt.toISOString()}`;
}

/**
 * The working minutes past the promised date at which a step comes: 0 for the first, `afterHours`
 * for the parent's, twice that for the centre's.
 */
export function stepOverdueMinutes(kind: EscalationKind, afterHours: number): number {
  return Math.round((levelOf(kind) - 1) * afterHours * 60);
}

/** The unit each step goes to for a dossier held by `holdingUnit`; null where the step raises nothing. */
export function escalationChain(
  holdingUnit: string,
  catalogue: { unit(code: string): Unit | undefined; allUnits(): Iterable<Unit> },
): Record<EscalationKind, string | null> {
  const holding = catalogue.unit(holdingUnit);
  const parent = holding ? holding.parentCode : parentUnitOf(holdingUnit);
  const province = unitLineage(holdingUnit).at(-1) as string;
  let centre: string | null = null;
  for (const u of catalogue.allUnits())
    if (u.active && u.level === "provincial-centre" && isUnitWithin(u.code, province)) {
      centre = u.code;
      break;
    }
  const chain: Record<EscalationKind, string | null> = {
    "escalation-unit": holdingUnit,
    "escalation-parent": null,
    "escalation-centre": null,
  };
  const seen = new Set([holdingUnit]);
  if (parent !== null && !seen.has(parent)) {
    chain["escalation-parent"] = parent;
    seen.add(parent);
  }
  if (centre !== null && !seen.has(centre)) chain["escalation-centre"] = centre;
  return chain;
}
