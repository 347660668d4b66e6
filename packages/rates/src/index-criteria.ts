import { INDEX_SOURCE, type IndexGroupKey, indexGroup } from "./index-weights.js";

/**
 * The criteria of the whole index (docs/domain.md, "The whole index"), as data: each criterion's
 * group, points, scoring rule, the levels it applies at and whether this system observes it. A
 * revised decision is a change here and nowhere else. The groups' points are the decision's
 * (index-weights.ts); how a group's points split between its criteria is `pointsBasis`:
 * "decision" where the text gives it, "summary" where a published summary of the decision gives
 * it but its own text was not at hand, "assumed" where neither does (docs/decisions.md, "The whole
 * index: the readings taken").
 */

/** The three kinds of unit the portal scores: a province, a provincial department, a commune or ward. */
export type UnitLevel = "province" | "department" | "commune";
export const UNIT_LEVELS: readonly UnitLevel[] = ["province", "department", "commune"];

/**
 * How a rate becomes points. `proportional`: points × rate. `fullAt`: full points at a rate ≥
 * `threshold`, below it points × rate / threshold (so the points reach full marks at the threshold
 * without a jump).
 */
export type ScoringRule = { kind: "proportional" } | { kind: "fullAt"; threshold: number };

export type CriterionKey =
  | "transparency.publication"
  | "transparency.portalSync"
  | "progress.onTime766"
  | "onlineProvision.onlineDossiers"
  | "onlinePayment.nationalGateway"
  | "digitisation.electronicResults"
  | "digitisation.digitisedDossiers"
  | "digitisation.digitisedResults"
  | "digitisation.nationalDataReuse"
  | "satisfaction.dossiers"
  | "satisfaction.complaintsOnTime"
  | "satisfaction.complaintHandling";

export interface IndexCriterion {
  key: CriterionKey;
  group: IndexGroupKey;
  /** The criterion's name in the decision's words. */
  nameVi: string;
  points: number;
  pointsBasis: "decision" | "summary" | "assumed";
  scoring: ScoringRule;
  /** Where the criterion is scored; elsewhere the portal gives it full marks. */
  appliesAt: readonly UnitLevel[];
  /** Whether this system computes it from its own events; if not, it is reported as not measured here. */
  observed: boolean;
}

const ALL: readonly UnitLevel[] = UNIT_LEVELS;
const PROVINCE_AND_DEPARTMENT: readonly UnitLevel[] = ["province", "department"];

export const INDEX_CRITERIA_SOURCE = INDEX_SOURCE;

export const INDEX_CRITERIA: readonly IndexCriterion[] = [
  {
    key: "transparency.publication",
    group: "transparency",
    nameVi: "Công bố, công khai thủ tục hành chính",
    points: 9,
    pointsBasis: "assumed",
    scoring: { kind: "proportional" },
    appliesAt: PROVINCE_AND_DEPARTMENT,
    observed: false,
  },
  {
    key: "transparency.portalSync",
    group: "transparency",
    nameVi: "Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
    points: 9,
    pointsBasis: "assumed",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: false,
  },
  {
    key: "progress.onTime766",
    group: "progress",
    nameVi: "Tỷ lệ hồ sơ giải quyết đúng hạn",
    points: 20,
    pointsBasis: "decision",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "onlineProvision.onlineDossiers",
    group: "onlineProvision",
    nameVi: "Tỷ lệ hồ sơ trực tuyến",
    points: 12,
    pointsBasis: "decision",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "onlinePayment.nationalGateway",
    group: "onlinePayment",
    nameVi: "Thanh toán trực tuyến qua Cổng Dịch vụ công quốc gia",
    points: 10,
    pointsBasis: "decision",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: false,
  },
  {
    key: "digitisation.electronicResults",
    group: "digitisation",
    nameVi: "Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử",
    points: 5.5,
    pointsBasis: "assumed",
    scoring: { kind: "fullAt", threshold: 0.8 },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "digitisation.digitisedDossiers",
    group: "digitisation",
    nameVi: "Tỷ lệ số hóa hồ sơ",
    points: 5.5,
    pointsBasis: "assumed",
    scoring: { kind: "fullAt", threshold: 0.8 },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "digitisation.digitisedResults",
    group: "digitisation",
    nameVi: "Tỷ lệ số hóa kết quả giải quyết",
    points: 5.5,
    pointsBasis: "assumed",
    scoring: { kind: "fullAt", threshold: 0.8 },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "digitisation.nationalDataReuse",
    group: "digitisation",
    nameVi: "Khai thác, sử dụng lại dữ liệu từ VNeID và các cơ sở dữ liệu quốc gia",
    points: 5.5,
    pointsBasis: "assumed",
    scoring: { kind: "fullAt", threshold: 0.8 },
    appliesAt: ALL,
    observed: false,
  },
  {
    key: "satisfaction.dossiers",
    group: "satisfaction",
    nameVi: "Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính",
    points: 6,
    pointsBasis: "summary",
    scoring: { kind: "fullAt", threshold: 0.9 },
    appliesAt: ALL,
    observed: true,
  },
  {
    key: "satisfaction.complaintsOnTime",
    group: "satisfaction",
    nameVi: "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn",
    points: 6,
    pointsBasis: "assumed",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: false,
  },
  {
    key: "satisfaction.complaintHandling",
    group: "satisfaction",
    nameVi: "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
    points: 6,
    pointsBasis: "assumed",
    scoring: { kind: "proportional" },
    appliesAt: ALL,
    observed: false,
  },
];

/**
 * Which of the two online rates scores the online-provision group: `strict`, the decision's
 * reading (an online dossier counts only with an electronic result where the procedure's result is
 * a paper); `online`, every dossier received online. Both are reported.
 */
export const ONLINE_PROVISION_SCORED_RATE: "strict" | "online" = "strict";

export function indexCriterion(key: CriterionKey): IndexCriterion {
  const c = INDEX_CRITERIA.find((x) => x.key === key);
  if (!c) throw new Error(`unknown index criterion ${key}`);
  return c;
}

/** A group's criteria add up to the group's points: checked once, when the data are loaded. */
for (const key of new Set(INDEX_CRITERIA.map((c) => c.group))) {
  const sum = INDEX_CRITERIA.filter((c) => c.group === key).reduce((s, c) => s + c.points, 0);
  if (Math.abs(sum - indexGroup(key).points) > 1e-9) {
    throw new Error(`index criteria of ${key} add up to ${sum}, not ${indexGroup(key).points}`);
  }
}
