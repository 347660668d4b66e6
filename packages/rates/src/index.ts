export * as acceptancePredicates from "./acceptance-predicates.js";
export { addCounts, COUNT_KEYS, emptyCounts, type RawCounts } from "./counts.js";
export {
  type Figures,
  figuresOf,
  online,
  onlineScore,
  onTime766,
  onTimeFinished,
  PARTIAL_INDEX_POINTS,
  partialIndexScore,
  percent,
  percentile,
  progressScore,
  ratio,
  round2,
  strictOnline,
} from "./formulas.js";
export {
  addIndexCounts,
  emptyIndexCounts,
  INDEX_COUNT_KEYS,
  type IndexCounts,
  type IndexOnlyCounts,
  indexCountsOf,
} from "./index-counts.js";
export {
  type CriterionKey,
  INDEX_CRITERIA,
  INDEX_CRITERIA_SOURCE,
  type IndexCriterion,
  indexCriterion,
  ONLINE_PROVISION_SCORED_RATE,
  type ScoringRule,
  UNIT_LEVELS,
  type UnitLevel,
} from "./index-criteria.js";
export { NOT_MEASURED_HERE } from "./index-not-measured.js";
export {
  type IndexRanked,
  type IndexRanking,
  type IndexRankingBasis,
  rankByIndex,
} from "./index-ranking.js";
export { type Measurement, pointsOf, type ReportedRate } from "./index-scoring.js";
export {
  INDEX_GROUPS,
  INDEX_SOURCE,
  INDEX_TOTAL_POINTS,
  type IndexGroup,
  type IndexGroupKey,
  indexGroup,
} from "./index-weights.js";
export * as dossierPredicates from "./predicates.js";
export {
  PROGRESS_RANKING_TITLE,
  RANKING_TITLE,
  RANKING_TITLE_VI,
  type Ranked,
  type RankingScore,
  rankingScores,
  rankUnits,
} from "./ranking.js";
export {
  type CriterionResult,
  type CriterionStatus,
  type GroupResult,
  type GroupStatus,
  type UnitIndex,
  unitIndex,
} from "./unit-index.js";
