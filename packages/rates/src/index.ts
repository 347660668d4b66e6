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
  type Ranked,
  type RankingScore,
  rankingScores,
  rankUnits,
} from "./ranking.js";
