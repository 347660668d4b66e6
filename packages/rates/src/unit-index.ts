import { percent, round2 } from "./formulas.js";
import type { IndexCounts } from "./index-counts.js";
import { type CriterionKey, INDEX_CRITERIA, type IndexCriterion, type UnitLevel } from "./index-criteria.js";
import { measureDigitisation } from "./index-digitisation.js";
import { isNotMeasured } from "./index-not-measured.js";
import { measureOnlineProvision } from "./index-online-provision.js";
import { measureProgress } from "./index-progress.js";
import { measureSatisfaction } from "./index-satisfaction.js";
import { type Measurement, pointsOf, type ReportedRate } from "./index-scoring.js";
import { INDEX_GROUPS, INDEX_TOTAL_POINTS, type IndexGroupKey } from "./index-weights.js";

/**
 * One unit's whole index over a period (docs/domain.md, "The whole index"), group by group, each
 * criterion with its counts beside its points. A criterion is:
 * - `scored`: observed, applicable at the unit's level, with a denominator: points from its rate;
 * - `noData`: observed and applicable, but over nothing (denominator 0): no points, no rate;
 * - `fullMarks`: not applicable at the unit's level: full points, as the portal gives them;
 * - `notMeasured`: not observed by this system: no points (never 0 or full).
 * The measured total adds the scored and full-marks criteria; the measured maximum adds their
 * points. A unit with no scored criterion has no total (null): nothing was measured.
 */
export type CriterionStatus = "scored" | "noData" | "fullMarks" | "notMeasured";

export interface CriterionResult {
  key: CriterionKey;
  nameVi: string;
  status: CriterionStatus;
  /** The counts the rate is made of; null when not measured or not applicable. */
  numerator: number | null;
  denominator: number | null;
  /** Percent, 2 decimals; null without a rate. */
  rate: number | null;
  points: number | null;
  maxPoints: number;
  /** Other rates shown beside this criterion, not scored. */
  reported: readonly ReportedRate[];
}

/** `measured`: a criterion scored; `fullMarksOnly`: only criteria not applicable here; else no data or not measured. */
export type GroupStatus = "measured" | "fullMarksOnly" | "noData" | "notMeasured";

export interface GroupResult {
  key: IndexGroupKey;
  nameVi: string;
  /** The group's points in the decision. */
  outOf: number;
  status: GroupStatus;
  /** Points of the scored and full-marks criteria; null when there are none. */
  points: number | null;
  /** The points those criteria could reach. */
  measuredMax: number;
  criteria: readonly CriterionResult[];
}

export interface UnitIndex {
  level: UnitLevel;
  /** Measured total; null when no criterion was scored. */
  total: number | null;
  measuredMax: number;
  outOf: number;
  groups: readonly GroupResult[];
  /** Groups none of whose criteria is observed here. */
  notMeasuredGroups: readonly IndexGroupKey[];
  notMeasuredCriteria: readonly CriterionKey[];
  noDataCriteria: readonly CriterionKey[];
}

function measurements(c: IndexCounts): Partial<Record<CriterionKey, Measurement>> {
  return {
    ...measureProgress(c),
    ...measureOnlineProvision(c),
    ...measureDigitisation(c),
    ...measureSatisfaction(c),
  };
}

function criterionResult(
  criterion: IndexCriterion,
  level: UnitLevel,
  measured: Partial<Record<CriterionKey, Measurement>>,
): CriterionResult {
  const base = { key: criterion.key, nameVi: criterion.nameVi, maxPoints: criterion.points };
  const none = { numerator: null, denominator: null, rate: null, reported: [] };
  if (!criterion.appliesAt.includes(level)) {
    return { ...base, ...none, status: "fullMarks", points: criterion.points };
  }
  if (isNotMeasured(criterion)) return { ...base, ...none, status: "notMeasured", points: null };
  const m = measured[criterion.key];
  if (!m) throw new Error(`no formula measures the observed criterion ${criterion.key}`);
  const points = pointsOf(criterion.scoring, criterion.points, m.numerator, m.denominator);
  return {
    ...base,
    status: points === null ? "noData" : "scored",
    numerator: m.numerator,
    denominator: m.denominator,
    rate: percent(m.numerator, m.denominator),
    points,
    reported: m.reported,
  };
}

function groupStatus(criteria: readonly CriterionResult[]): GroupStatus {
  const has = (s: CriterionStatus) => criteria.some((c) => c.status === s);
  if (has("scored")) return "measured";
  if (has("fullMarks")) return "fullMarksOnly";
  if (has("noData")) return "noData";
  return "notMeasured";
}

const counted = (c: CriterionResult) => c.status === "scored" || c.status === "fullMarks";

export function unitIndex(counts: IndexCounts, level: UnitLevel): UnitIndex {
  const measured = measurements(counts);
  const groups: GroupResult[] = INDEX_GROUPS.map((g) => {
    const criteria = INDEX_CRITERIA.filter((c) => c.group === g.key).map((c) =>
      criterionResult(c, level, measured),
    );
    const kept = criteria.filter(counted);
    return {
      key: g.key,
      nameVi: g.nameVi,
      outOf: g.points,
      status: groupStatus(criteria),
      points: kept.length === 0 ? null : round2(kept.reduce((s, c) => s + (c.points ?? 0), 0)),
      measuredMax: round2(kept.reduce((s, c) => s + c.maxPoints, 0)),
      criteria,
    };
  });
  const all = groups.flatMap((g) => g.criteria);
  const anyScored = all.some((c) => c.status === "scored");
  return {
    level,
    total: anyScored ? round2(groups.reduce((s, g) => s + (g.points ?? 0), 0)) : null,
    measuredMax: round2(groups.reduce((s, g) => s + g.measuredMax, 0)),
    outOf: INDEX_TOTAL_POINTS,
    groups,
    notMeasuredGroups: groups.filter((g) => g.status === "notMeasured").map((g) => g.key),
    notMeasuredCriteria: all.filter((c) => c.status === "notMeasured").map((c) => c.key),
    noDataCriteria: all.filter((c) => c.status === "noData").map((c) => c.key),
  };
}
