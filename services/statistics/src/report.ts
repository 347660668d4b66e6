import { type Bucket, buckets, type Period } from "@tthc/calendar";
import {
  addCounts,
  emptyCounts,
  type Figures,
  figuresOf,
  PARTIAL_INDEX_POINTS,
  RANKING_TITLE,
  type RawCounts,
  rankUnits,
} from "@tthc/rates";
import type { Pool } from "@tthc/service-kit";
import type { Attribution } from "./domain/attribution.js";
import { countsBy, listUnits, procedureNamesOf, usedMinutesP90 } from "./store/figures.js";

/** What the API answers: the figures of docs/domain.md over a period, per scope. */

export interface Scope {
  period: Period;
  /** The service's clock when the request came: the instant a period not yet over is judged at. */
  now: Date;
  attribution: Attribution;
  units?: string[];
}

export interface SeriesPoint {
  label: string;
  from: string;
  to: string;
  figures: Figures;
}

export interface UnitFigures {
  unitCode: string;
  unitName: string;
  level: string;
  parentCode: string | null;
  figures: Figures;
}

function total(map: Map<string, RawCounts>): RawCounts {
  let sum = emptyCounts();
  for (const c of map.values()) sum = addCounts(sum, c);
  return sum;
}

export async function summaryOf(pool: Pool, s: Scope) {
  const [counts, p90] = await Promise.all([countsBy(pool, { ...s, by: "all" }), usedMinutesP90(pool, s)]);
  return {
    period: s.period,
    attribution: s.attribution,
    figures: figuresOf(total(counts)),
    usedMinutesP90: p90,
  };
}

export async function seriesOf(pool: Pool, s: Scope, groupBy: "day" | "month"): Promise<SeriesPoint[]> {
  const out: SeriesPoint[] = [];
  for (const b of buckets(s.period, groupBy) as Bucket[]) {
    const counts = await countsBy(pool, { ...s, period: { from: b.from, to: b.to }, by: "all" });
    out.push({ label: b.label, from: b.from, to: b.to, figures: figuresOf(total(counts)) });
  }
  return out;
}

/** Every unit of the catalogue but the province itself (departments included), with its figures. */
export async function unitsOf(pool: Pool, s: Scope): Promise<UnitFigures[]> {
  const [units, counts] = await Promise.all([listUnits(pool), countsBy(pool, { ...s, by: "unit" })]);
  const scope = s.units ? new Set(s.units) : null;
  return units
    .filter((u) => u.level !== "province" && (!scope || scope.has(u.code)))
    .map((u) => ({
      unitCode: u.code,
      unitName: u.name,
      level: u.level,
      parentCode: u.parentCode,
      figures: figuresOf(counts.get(u.code) ?? emptyCounts()),
    }));
}

/** The ranking on the partial index score (`@tthc/rates`, RANKING_TITLE), never called the 766 score. */
export async function rankingOf(pool: Pool, s: Scope) {
  const units = await unitsOf(pool, s);
  return {
    title: RANKING_TITLE,
    maxScore: PARTIAL_INDEX_POINTS,
    ranking: rankUnits(units).map((r) => ({ rank: r.rank, partialScore: r.total, ...r.item })),
  };
}

export type RankedUnit = Awaited<ReturnType<typeof rankingOf>>["ranking"][number];

export async function proceduresOf(pool: Pool, s: Scope) {
  const counts = await countsBy(pool, { ...s, by: "procedure" });
  // Only the procedures shown are named: a catalogue-wide lookup scans the dossiers.
  const names = await procedureNamesOf(pool, [...counts.keys()]);
  return [...counts.entries()]
    .map(([code, c]) => ({
      procedureCode: code,
      procedureName: names.get(code)?.name ?? code,
      field: names.get(code)?.field ?? "",
      figures: figuresOf(c),
    }))
    .sort((a, b) => b.figures.handled - a.figures.handled || a.procedureCode.localeCompare(b.procedureCode));
}
