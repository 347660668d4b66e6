import { UnitCode } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import { errorResponses, type FastifyRequest, type HttpApp, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import type { ProvinceTargets } from "../domain/targets.js";
import { errors } from "../errors.js";
import type { StatsPipeline } from "../pipeline.js";
import { proceduresOf, rankingOf, seriesOf, summaryOf, unitsOf } from "../report.js";
import { listDossiers } from "../store/dossier-list.js";
import { access } from "./access.js";
import { registerDashboardRoutes } from "./dashboard-routes.js";
import { registerExports } from "./exports.js";
import { Attribution as AttributionQ, DossiersQuery, StatsQuery } from "./query.js";
import {
  Dossiers,
  figureStreamAnswer,
  Procedures,
  Ranking,
  Rebuild,
  Summary,
  UnitSummary,
  Units,
} from "./responses.js";
import { scopeResolver } from "./scope.js";
import type { FigureStream } from "./stream.js";

export interface RouteDeps {
  pool: Pool;
  pipeline: StatsPipeline;
  stream: FigureStream;
  /** The service's clock: a period not yet over is judged at this instant. */
  now: () => Date;
  /** The provinces' targets, drawn on the dashboard's trend chart. */
  targets: ProvinceTargets;
}

export function registerRoutes(app: HttpApp, deps: RouteDeps): void {
  const { pool } = deps;
  const now = deps.now;
  const figures = { access: access.figures };

  /** The unit whose dossiers a caller lists: the one asked, else its own; all for an admin. */
  const dossierUnit = (req: FastifyRequest, unit: string | undefined) => {
    const staff = staffOf(req);
    return unit ?? (staff.roles.includes("admin") ? undefined : staff.unit);
  };

  const scopeOf = scopeResolver(pool, now);

  app.get(
    "/v1/stats/summary",
    {
      config: figures,
      schema: {
        operationId: "getSummary",
        summary: "Headline figures of the province (or a unit)",
        querystring: StatsQuery,
        response: { 200: Summary, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf(req.query);
      const summary = await summaryOf(pool, s);
      return {
        ...summary,
        unit: req.query.unit ?? null,
        series: req.query.groupBy ? await seriesOf(pool, s, req.query.groupBy) : undefined,
      };
    },
  );

  app.get(
    "/v1/stats/units",
    {
      config: figures,
      schema: {
        operationId: "listUnitFigures",
        summary: "Figures of every unit over the period",
        querystring: StatsQuery,
        response: { 200: Units, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf(req.query);
      return { period: s.period, attribution: s.attribution, units: await unitsOf(pool, s) };
    },
  );

  app.get(
    "/v1/stats/units/:code",
    {
      config: figures,
      schema: {
        operationId: "getUnitFigures",
        summary: "Figures of one unit and the units under it",
        params: z.object({ code: UnitCode }),
        querystring: StatsQuery,
        description: "Figures of one unit and the units under it, with a time series if asked",
        response: { 200: UnitSummary, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf({ ...req.query, unit: req.params.code });
      const summary = await summaryOf(pool, s);
      return {
        ...summary,
        unit: req.params.code,
        units: (await unitsOf(pool, s)).length,
        series: req.query.groupBy ? await seriesOf(pool, s, req.query.groupBy) : undefined,
      };
    },
  );

  app.get(
    "/v1/stats/procedures",
    {
      config: figures,
      schema: {
        operationId: "listProcedureFigures",
        summary: "Figures per procedure",
        querystring: StatsQuery,
        response: { 200: Procedures, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf(req.query);
      return { period: s.period, attribution: s.attribution, procedures: await proceduresOf(pool, s) };
    },
  );

  app.get(
    "/v1/stats/ranking",
    {
      config: figures,
      schema: {
        operationId: "getRanking",
        summary: "Units ranked by the partial index score",
        querystring: StatsQuery,
        description:
          "Units ranked by the partial index score: progress and online provision, 32 of 100 points",
        response: { 200: Ranking, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf(req.query);
      return { period: s.period, attribution: s.attribution, ...(await rankingOf(pool, s)) };
    },
  );

  app.get(
    "/v1/stats/dossiers",
    {
      config: { access: access.dossiers },
      schema: {
        operationId: "listFigureDossiers",
        summary: "The dossiers behind a figure",
        querystring: DossiersQuery,
        description: "The dossiers behind a figure, with verdicts and reasons",
        response: { 200: Dossiers, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await scopeOf({ ...req.query, unit: dossierUnit(req, req.query.unit) });
      const offset = Number(req.query.cursor ?? 0);
      const items = await listDossiers(pool, {
        ...s,
        figure: req.query.figure,
        procedure: req.query.procedure,
        limit: req.query.limit + 1,
        offset,
      });
      const more = items.length > req.query.limit;
      return {
        period: s.period,
        attribution: s.attribution,
        figure: req.query.figure,
        at: s.now.toISOString(),
        items: items.slice(0, req.query.limit),
        nextCursor: more ? String(offset + req.query.limit) : null,
      };
    },
  );

  registerExports(app, { pool, scopeOf, dossierUnit });

  registerDashboardRoutes(app, { pool, now, scopeOf, targets: deps.targets });

  app.get(
    "/v1/stats/stream",
    {
      config: figures,
      schema: {
        operationId: "streamFigures",
        summary: "Changed figures as they change (server-sent events)",
        querystring: z.object({ attribution: AttributionQ }),
        description: "Server-sent events: changed figures (this month, by the attribution asked for)",
        response: { 200: figureStreamAnswer },
      },
    },
    (req, reply) => deps.stream.attach(req, reply, req.query.attribution),
  );

  app.post(
    "/v1/stats/rebuild",
    {
      config: { access: access.rebuild },
      schema: {
        operationId: "startRebuild",
        summary: "Rebuild the aggregates from the topics (admin)",
        description: "Drops the aggregates and rebuilds them from the topics (admin)",
        response: { 202: Rebuild.describe("Started: follow it with GET"), ...errorResponses(409) },
      },
    },
    async (_req, reply) => {
      if (deps.pipeline.status.state === "running") throw errors.REBUILD_RUNNING(deps.pipeline.status);
      return reply.code(202).send(deps.pipeline.startRebuild());
    },
  );
  app.get(
    "/v1/stats/rebuild",
    {
      config: { access: access.rebuild },
      schema: {
        operationId: "getRebuild",
        summary: "Progress of the last rebuild (admin)",
        response: { 200: Rebuild },
      },
    },
    async () => deps.pipeline.status,
  );
}
