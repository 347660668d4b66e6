/**
 * The groups of the service-quality index and their points (docs/domain.md, "The whole index"):
 * Quyết định 766/QĐ-TTg of 23 June 2022, Phụ lục (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất
 * lượng phục vụ người dân, doanh nghiệp), as the national public-service portal scores it. Data, so
 * that a revised decision is a change here and nowhere else. `measured` says whether the group
 * counts in the partial score the statistics reports rank on (PARTIAL_INDEX_POINTS); the criteria
 * of each group, and which of them this system observes, are in index-criteria.ts. A group it does
 * not observe is reported as not measured here, never as 0 or as full marks.
 */
export interface IndexGroup {
  key: IndexGroupKey;
  /** The group's name on the portal. */
  nameVi: string;
  points: number;
  measured: boolean;
}

export type IndexGroupKey =
  | "transparency"
  | "progress"
  | "onlineProvision"
  | "onlinePayment"
  | "digitisation"
  | "satisfaction";

export const INDEX_SOURCE = "Quyết định 766/QĐ-TTg ngày 23/06/2022 của Thủ tướng Chính phủ, Phụ lục";

export const INDEX_GROUPS: readonly IndexGroup[] = [
  { key: "transparency", nameVi: "Công khai, minh bạch", points: 18, measured: false },
  { key: "progress", nameVi: "Tiến độ giải quyết", points: 20, measured: true },
  { key: "onlineProvision", nameVi: "Dịch vụ công trực tuyến", points: 12, measured: true },
  { key: "onlinePayment", nameVi: "Thanh toán trực tuyến", points: 10, measured: false },
  { key: "digitisation", nameVi: "Số hóa hồ sơ", points: 22, measured: false },
  { key: "satisfaction", nameVi: "Mức độ hài lòng", points: 18, measured: false },
];

export function indexGroup(key: IndexGroupKey): IndexGroup {
  const g = INDEX_GROUPS.find((x) => x.key === key);
  if (!g) throw new Error(`unknown index group ${key}`);
  return g;
}

/** The whole index is out of this many points (100). */
export const INDEX_TOTAL_POINTS = INDEX_GROUPS.reduce((s, g) => s + g.points, 0);
