import { dayCount } from "@tthc/calendar";
import { commonErrors, type Pool } from "@tthc/service-kit";
import type { Attribution } from "../domain/attribution.js";
import { errors } from "../errors.js";
import type { Scope } from "../report.js";
import { levelScope, unitScope } from "../store/figures.js";
import { periodOf } from "./query.js";

/** What a figure query names: the period, the units (a unit with its units, a level) and the attribution. */
export interface ScopeQuery {
  from?: string;
  to?: string;
  unit?: string;
  level?: string;
  groupBy?: string;
  attribution: Attribution;
}

export type ScopeOf = (q: ScopeQuery) => Promise<Scope>;

/**
 * The scope of a figure query, by the service's clock: the period (this month to date by default),
 * the units (`unit` and the units under it, narrowed to `level` when both are given; an unknown
 * unit is a 404) and the attribution. Every figure route, export and breakdown takes it from here.
 */
export function scopeResolver(pool: Pool, now: () => Date): ScopeOf {
  return async (q) => {
    const at = now();
    const scope: Scope = { period: periodOf(q, at), now: at, attribution: q.attribution };
    // StatsQuery bounds a series when both ends are given; a lone `from` runs to today, bounded here.
    const days = dayCount(scope.period);
    if (q.groupBy && (days > 3 * 366 + 1 || (q.groupBy === "day" && days > 400)))
      throw commonErrors.VALIDATION_FAILED([
        { path: "querystring.from", reason: "a series covers at most three years, or 400 days by day" },
      ]);
    if (q.unit) {
      const units = await unitScope(pool, q.unit);
      if (!units) throw errors.UNKNOWN_UNIT({ unit: q.unit });
      scope.units = units;
    }
    if (q.level) {
      const atLevel = new Set(await levelScope(pool, q.level));
      scope.units = scope.units ? scope.units.filter((u) => atLevel.has(u)) : [...atLevel];
    }
    return scope;
  };
}
