import { localDay, type Period, presetPeriods, previousPeriod } from "@tthc/calendar";
import {
  addCounts,
  emptyCounts,
  figuresOf,
  indexGroup,
  PARTIAL_INDEX_POINTS,
  PROGRESS_RANKING_TITLE,
  RANKING_TITLE,
  type RawCounts,
} from "@tthc/rates";
import { errorResponses, type HttpApp, type Pool, unitLineage } from "@tthc/service-kit";
import { z } from "zod";
import { attributions } from "../domain/attribution.js";
import { type BreakdownRow, byLevel, byProcedure, byUnit, keyFigures } from "../domain/breakdown.js";
import type { ProvinceTargets } from "../domain/targets.js";
import { countsBy, listUnits, procedureNamesOf } from "../store/figures.js";
import { access } from "./access.js";
import { BreakdownQuery } from "./query.js";
import type { ScopeOf } from "./scope.js";

/**
 * The routes the dashboard reads beside the figure routes: the period presets by the service's
 * clock, and the breakdown of a scope by level, unit or procedure beside the period it is compared
 * with. Figures per unit are public (docs/access-policy.md), as the national portal publishes them;
 * the dossiers behind a figure stay behind `GET /v1/stats/dossiers` and its access rule.
 */
export interface DashboardRouteDeps {
  pool: Pool;
  now: () => Date;
  scopeOf: ScopeOf;
  targets: ProvinceTargets;
}

const PeriodBody = z.object({ from: z.string(), to: z.string() });
const nullableNumber = z.number().nullable();

const KeyFiguresBody = z
  .object({
    received: z.number().int(),
    receivedOnline: z.number().int(),
    handled: z.number().int().meta({ description: "H(P): received in the period plus carried over" }),
    onTime766: z.number().int().meta({ description: "N of the 766 rate" }),
    onTimeRate766: nullableNumber.meta({ description: "onTime766 / handled, %; null over nothing" }),
    resolved: z.number().int(),
    resolvedEarly: z.number().int(),
    resolvedOnTime: z.number().int(),
    onTimeRateFinished: nullableNumber.meta({
      description: "(resolvedEarly + resolvedOnTime) / resolved, %",
    }),
    onlineRate: nullableNumber.meta({ description: "receivedOnline / received, %" }),
    finished: z.number().int(),
    early: z.number().int(),
    onTime: z.number().int(),
    late: z.number().int(),
    open: z.number().int(),
    openOverdue: z.number().int(),
    lateSteps: z.number().int(),
    progressScore: nullableNumber.meta({ description: "20 × the 766 rate" }),
    partialScore: nullableNumber.meta({ description: "Progress + online provision, of 32" }),
  })
  .meta({ title: "Key figures", description: "Both on-time rates and the online rate with their counts" });

const BreakdownRowBody = z.object({
  code: z.string().meta({ description: "The unit's code, the level, or the procedure's code" }),
  name: z.string().nullable(),
  level: z.string().nullable(),
  field: z.string().nullable(),
  units: z.number().int().nullable().meta({ description: "Units at the level (levels only)" }),
  rank: z.number().int().nullable(),
  previousRank: z.number().int().nullable(),
  current: KeyFiguresBody,
  previous: KeyFiguresBody,
});

const TargetBody = z
  .object({ onTimeRate766: nullableNumber, onlineRate: nullableNumber })
  .meta({ description: "The province's targets, % (STATS_TARGETS); null where it sets none" });

const BreakdownBody = z.object({
  period: PeriodBody,
  previous: PeriodBody.meta({ description: "The period compared with" }),
  compare: z.string(),
  at: z.string().meta({ description: "The instant a period not yet over is judged at" }),
  attribution: z.enum(attributions),
  by: z.enum(["level", "unit", "procedure"]),
  rankBy: z.enum(["progress", "partial"]),
  rankingTitle: z.string(),
  maxScore: z.number(),
  unit: z.string().nullable(),
  level: z.string().nullable(),
  province: z.object({ code: z.string(), name: z.string() }).nullable(),
  target: TargetBody.nullable(),
  total: z.object({ current: KeyFiguresBody, previous: KeyFiguresBody }),
  rows: z.array(BreakdownRowBody),
  rowCount: z.number().int().meta({ description: "Rows before `limit`" }),
});

const PeriodsBody = z.object({
  at: z.string().meta({ description: "The service's clock" }),
  today: z.string(),
  presets: z.array(
    z.object({
      preset: z.enum(["today", "month", "quarter", "year"]),
      from: z.string(),
      to: z.string(),
      previous: PeriodBody,
    }),
  ),
});

const total = (m: Map<string, RawCounts>) => [...m.values()].reduce(addCounts, emptyCounts());

export function registerDashboardRoutes(app: HttpApp, deps: DashboardRouteDeps): void {
  const { pool } = deps;
  const figures = { access: access.figures };

  app.get(
    "/v1/stats/periods",
    {
      config: figures,
      schema: {
        operationId: "listPeriodPresets",
        summary: "The dashboard's periods to date, by the service's clock",
        description:
          "Today, this month, this quarter and this year up to today (Asia/Ho_Chi_Minh), each with the period it is compared with",
        security: [],
        // No parameters: one that is given anyway is refused (400), not silently ignored.
        querystring: z.object({}).strict(),
        response: { 200: PeriodsBody },
      },
    },
    async () => {
      const now = deps.now();
      return { at: now.toISOString(), today: localDay(now), presets: presetPeriods(now) };
    },
  );

  app.get(
    "/v1/stats/breakdown",
    {
      config: figures,
      schema: {
        operationId: "getFigureBreakdown",
        summary: "A scope's figures by level, unit (ranked) or procedure, beside the period compared with",
        description:
          "Rows of both on-time rates and the online rate with their counts and the scores, for the period and the period compared with; units ranked on the 766 progress score (or the partial index score)",
        security: [],
        querystring: BreakdownQuery,
        response: { 200: BreakdownBody, ...errorResponses(404) },
      },
    },
    async (req) => {
      const q = req.query;
      const s = await deps.scopeOf(q);
      const previous: Period = previousPeriod(s.period, q.compare);
      const before = { ...s, period: previous };
      const byGroup = q.by === "procedure" ? "procedure" : "unit";
      // The total is taken whole, not summed from the rows: it holds the dossiers of the province's
      // own code and of units outside the catalogue too, which no row shows.
      const [units, now, then, totalNow, totalThen] = await Promise.all([
        listUnits(pool),
        countsBy(pool, { ...s, by: byGroup }),
        countsBy(pool, { ...before, by: byGroup }),
        countsBy(pool, { ...s, by: "all" }).then(total),
        countsBy(pool, { ...before, by: "all" }).then(total),
      ]);
      const scope = s.units ? new Set(s.units) : null;
      const shown = units.filter((u) => u.level !== "province" && (!scope || scope.has(u.code)));
      let rows: BreakdownRow[];
      if (q.by === "unit") rows = byUnit(shown, now, then, q.rankBy);
      else if (q.by === "level") rows = byLevel(shown, now, then);
      else
        rows = byProcedure(
          await procedureNamesOf(pool, [...new Set([...now.keys(), ...then.keys()])]),
          now,
          then,
        );
      const provinces = units.filter((u) => u.level === "province");
      const provinceCode = q.unit
        ? unitLineage(q.unit).at(-1)
        : provinces.length === 1
          ? provinces[0]?.code
          : undefined;
      const province = provinces.find((p) => p.code === provinceCode);
      const target = provinceCode ? deps.targets[provinceCode] : undefined;
      const partial = q.rankBy === "partial";
      return {
        period: s.period,
        previous,
        compare: q.compare,
        at: s.now.toISOString(),
        attribution: s.attribution,
        by: q.by,
        rankBy: q.rankBy,
        rankingTitle: partial ? RANKING_TITLE : PROGRESS_RANKING_TITLE,
        maxScore: partial ? PARTIAL_INDEX_POINTS : indexGroup("progress").points,
        unit: q.unit ?? null,
        level: q.level ?? null,
        province: province ? { code: province.code, name: province.name } : null,
        target: target
          ? { onTimeRate766: target.onTimeRate766 ?? null, onlineRate: target.onlineRate ?? null }
          : null,
        total: {
          current: keyFigures(figuresOf(totalNow)),
          previous: keyFigures(figuresOf(totalThen)),
        },
        rows: rows.slice(0, q.limit),
        rowCount: rows.length,
      };
    },
  );
}
