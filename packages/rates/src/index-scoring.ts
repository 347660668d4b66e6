import { percent, round2 } from "./formulas.js";
import type { ScoringRule } from "./index-criteria.js";

/**
 * What a group's formula gives for one criterion: the counts its rate is made of, and any other
 * rate reported beside it (for example the plain online rate beside the stricter one that scores).
 */
export interface Measurement {
  numerator: number;
  denominator: number;
  reported: readonly ReportedRate[];
}

/** A rate shown beside a criterion without scoring: its label, its counts and its percentage. */
export interface ReportedRate {
  label: string;
  numerator: number;
  denominator: number;
  /** Percent, 2 decimals; null over nothing. */
  rate: number | null;
}

export function reportedRate(label: string, numerator: number, denominator: number): ReportedRate {
  return { label, numerator, denominator, rate: percent(numerator, denominator) };
}

/**
 * A rate n / d turned into points by a scoring rule (index-criteria.ts): `proportional`, points ×
 * rate; `fullAt`, full points at rate ≥ threshold, points × rate / threshold below. Null over
 * nothing (d = 0): no data, never 0 or full points. Rounded to 2 decimals, as the portal shows.
 */
export function pointsOf(rule: ScoringRule, points: number, n: number, d: number): number | null {
  if (d === 0) return null;
  const rate = n / d;
  if (rule.kind === "proportional") return round2(points * rate);
  return rate >= rule.threshold ? points : round2((points * rate) / rule.threshold);
}
