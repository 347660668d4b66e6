import {
  addCounts,
  emptyCounts,
  type Figures,
  figuresOf,
  partialIndexScore,
  type RankingScore,
  type RawCounts,
  rankUnits,
} from "@tthc/rates";

/**
 * The dashboard's breakdowns of a scope's figures, each beside the same figures over the period it
 * is compared with: by level (the province's departments, centre, communes and wards), by unit
 * (ranked), by procedure. Pure: the counts come in per unit or per procedure, as the store sums
 * them, for both periods. Only the figures a leader reads are kept, each rate beside its counts.
 */

/** The figures of one row: both on-time rates and the online rate with their counts, the scores. */
export interface KeyFigures {
  received: number;
  receivedOnline: number;
  /** H(P) and N of the 766 rate. */
  handled: number;
  onTime766: number;
  onTimeRate766: number | null;
  /** The finished-only rate: (resolvedEarly + resolvedOnTime) / resolved. */
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  onTimeRateFinished: number | null;
  onlineRate: number | null;
  finished: number;
  early: number;
  onTime: number;
  late: number;
  open: number;
  openOverdue: number;
  lateSteps: number;
  /** 20 × the 766 rate. */
  progressScore: number | null;
  /** Progress + online provision, of 32. */
  partialScore: number | null;
}

export function keyFigures(f: Figures): KeyFigures {
  return {
    received: f.received,
    receivedOnline: f.receivedOnline,
    handled: f.handled,
    onTime766: f.onTime766,
    onTimeRate766: f.onTimeRate766,
    resolved: f.resolved,
    resolvedEarly: f.resolvedEarly,
    resolvedOnTime: f.resolvedOnTime,
    onTimeRateFinished: f.onTimeRateFinished,
    onlineRate: f.onlineRate,
    finished: f.finished,
    early: f.early,
    onTime: f.onTime,
    late: f.late,
    open: f.open,
    openOverdue: f.openOverdue,
    lateSteps: f.lateSteps,
    progressScore: f.progressScore,
    partialScore: f.handled > 0 ? partialIndexScore(f) : null,
  };
}

export interface BreakdownRow {
  /** The unit's code, the level, or the procedure's code. */
  code: string;
  /** The unit's or the procedure's name; null for a level (the page names it). */
  name: string | null;
  /** The unit's level; for a level, itself; null for a procedure. */
  level: string | null;
  /** The procedure's field; null otherwise. */
  field: string | null;
  /** Units at the level (levels only). */
  units: number | null;
  /** In the ranking of the units shown, on the score asked for; null for an unranked unit or another row. */
  rank: number | null;
  /** The same unit's rank in the previous period. */
  previousRank: number | null;
  current: KeyFigures;
  previous: KeyFigures;
}

export interface UnitRecord {
  code: string;
  name: string;
  level: string;
}

const countsOf = (m: Map<string, RawCounts>, key: string) => m.get(key) ?? emptyCounts();

/** The units shown, ranked on `rankBy` in each period; in the current period's order, unranked last. */
export function byUnit(
  units: readonly UnitRecord[],
  current: Map<string, RawCounts>,
  previous: Map<string, RawCounts>,
  rankBy: RankingScore,
): BreakdownRow[] {
  const ranked = (counts: Map<string, RawCounts>) =>
    rankUnits(
      units.map((u) => ({ unitCode: u.code, unit: u, figures: figuresOf(countsOf(counts, u.code)) })),
      rankBy,
    );
  const before = new Map(ranked(previous).map((r) => [r.item.unitCode, r]));
  return ranked(current).map((r) => {
    const prev = before.get(r.item.unitCode);
    return {
      code: r.item.unit.code,
      name: r.item.unit.name,
      level: r.item.unit.level,
      field: null,
      units: null,
      rank: r.rank,
      previousRank: prev?.rank ?? null,
      current: keyFigures(r.item.figures),
      previous: keyFigures(prev?.item.figures ?? figuresOf(emptyCounts())),
    };
  });
}

/** The levels below the province, in the order a provincial report lists them. */
export const LEVEL_ORDER = ["department", "provincial-centre", "ward", "commune"] as const;

/** The units' counts summed per level (counts add up; rates are taken over the sums). */
export function byLevel(
  units: readonly UnitRecord[],
  current: Map<string, RawCounts>,
  previous: Map<string, RawCounts>,
): BreakdownRow[] {
  const levels = [
    ...LEVEL_ORDER,
    ...new Set(
      units.map((u) => u.level).filter((l) => l !== "province" && !LEVEL_ORDER.includes(l as never)),
    ),
  ];
  return levels.flatMap((level) => {
    const at = units.filter((u) => u.level === level);
    if (at.length === 0) return [];
    const sum = (m: Map<string, RawCounts>) =>
      at.reduce((s, u) => addCounts(s, countsOf(m, u.code)), emptyCounts());
    return [
      {
        code: level,
        name: null,
        level,
        field: null,
        units: at.length,
        rank: null,
        previousRank: null,
        current: keyFigures(figuresOf(sum(current))),
        previous: keyFigures(figuresOf(sum(previous))),
      },
    ];
  });
}

/** Procedures with figures in either period, most handled first. */
export function byProcedure(
  names: Map<string, { name: string; field: string }>,
  current: Map<string, RawCounts>,
  previous: Map<string, RawCounts>,
): BreakdownRow[] {
  const codes = new Set([...current.keys(), ...previous.keys()]);
  return [...codes]
    .map((code) => ({
      code,
      name: names.get(code)?.name ?? code,
      level: null,
      field: names.get(code)?.field ?? null,
      units: null,
      rank: null,
      previousRank: null,
      current: keyFigures(figuresOf(countsOf(current, code))),
      previous: keyFigures(figuresOf(countsOf(previous, code))),
    }))
    .sort(
      (a, b) =>
        b.current.handled - a.current.handled ||
        b.previous.handled - a.previous.handled ||
        a.code.localeCompare(b.code),
    );
}
