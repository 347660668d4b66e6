import { UnitCode } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import { type AccessRule, type FastifyRequest, type HttpApp, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import type { ProvinceTargets } from "../domain/targets.js";
import { errors } from "../errors.js";
import type { StatsPipeline } from "../pipeline.js";
import { proceduresOf, rankingOf, seriesOf, summaryOf, unitsOf } from "../report.js";
import { listDossiers } from "../store/dossier-list.js";
import { access } from "./access.js";
import { registerDashboardRoutes } from "./dashboard-routes.js";
import { Attribution as AttributionQ, DossiersExportQuery, DossiersQuery, StatsQuery } from "./query.js";
import {
  dossiersTable,
  proceduresTable,
  type ReportTable,
  rankingTable,
  toCsv,
  unitsTable,
} from "./report-table.js";
import { scopeResolver } from "./scope.js";
import type { FigureStream } from "./stream.js";
import { toXlsx } from "./xlsx.js";

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
      schema: { querystring: StatsQuery, description: "Headline figures of the province (or a unit)" },
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
      schema: { querystring: StatsQuery, description: "Figures of every unit over the period" },
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
        params: z.object({ code: UnitCode }),
        querystring: StatsQuery,
        description: "Figures of one unit and the units under it, with a time series if asked",
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
    { config: figures, schema: { querystring: StatsQuery, description: "Figures per procedure" } },
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
        querystring: StatsQuery,
        description:
          "Units ranked by the partial index score: progress and online provision, 32 of 100 points",
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
        querystring: DossiersQuery,
        description: "The dossiers behind a figure, with verdicts and reasons",
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

  const exports: {
    path: string;
    query: typeof StatsQuery | typeof DossiersExportQuery;
    access: { access: AccessRule };
    table: (q: never, req: FastifyRequest) => Promise<{ table: ReportTable; nextCursor?: string | null }>;
  }[] = [
    {
      path: "units",
      query: StatsQuery,
      access: figures,
      table: async (q: StatsQuery) => {
        const s = await scopeOf(q);
        const [units, summary] = await Promise.all([unitsOf(pool, s), summaryOf(pool, s)]);
        return { table: unitsTable(s.period, s.attribution, units, summary.figures) };
      },
    },
    {
      path: "ranking",
      query: StatsQuery,
      access: figures,
      table: async (q: StatsQuery) => {
        const s = await scopeOf(q);
        return { table: rankingTable(s.period, s.attribution, await rankingOf(pool, s)) };
      },
    },
    {
      path: "procedures",
      query: StatsQuery,
      access: figures,
      table: async (q: StatsQuery) => {
        const s = await scopeOf(q);
        return { table: proceduresTable(s.period, s.attribution, await proceduresOf(pool, s)) };
      },
    },
    {
      path: "dossiers",
      query: DossiersExportQuery,
      access: { access: access.dossiers },
      // One page, as the JSON list gives it: `limit` rows from `cursor`, the next cursor in a header.
      table: async (q: z.infer<typeof DossiersExportQuery>, req) => {
        const s = await scopeOf({ ...q, unit: dossierUnit(req, q.unit) });
        const offset = Number(q.cursor ?? 0);
        const rows = await listDossiers(pool, {
          ...s,
          figure: q.figure,
          procedure: q.procedure,
          limit: q.limit + 1,
          offset,
        });
        return {
          table: dossiersTable(s.period, s.attribution, q.figure, rows.slice(0, q.limit)),
          nextCursor: rows.length > q.limit ? String(offset + q.limit) : null,
        };
      },
    },
  ];
  for (const e of exports) {
    const send = async (req: FastifyRequest) => {
      const { table, nextCursor } = await e.table(req.query as never, req);
      return { table, cursor: nextCursor ? { "x-next-cursor": nextCursor } : {} };
    };
    app.get(
      `/v1/stats/${e.path}.csv`,
      { config: e.access, schema: { querystring: e.query } },
      async (req, reply) => {
        const { table: t, cursor } = await send(req);
        return reply
          .headers(cursor)
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="thong-ke-${e.path}.csv"`)
          .send(toCsv(t));
      },
    );
    app.get(
      `/v1/stats/${e.path}.xlsx`,
      { config: e.access, schema: { querystring: e.query } },
      async (req, reply) => {
        const { table: t, cursor } = await send(req);
        return reply
          .headers(cursor)
          .header("content-type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .header("content-disposition", `attachment; filename="thong-ke-${e.path}.xlsx"`)
          .send(toXlsx(t));
      },
    );
  }

  registerDashboardRoutes(app, { pool, now, scopeOf, targets: deps.targets });

  app.get(
    "/v1/stats/stream",
    {
      config: figures,
      schema: {
        querystring: z.object({ attribution: AttributionQ }),
        description: "Server-sent events: changed figures (this month, by the attribution asked for)",
      },
    },
    (req, reply) => deps.stream.attach(req, reply, req.query.attribution),
  );

  app.post(
    "/v1/stats/rebuild",
    {
      config: { access: access.rebuild },
      schema: { description: "Drops the aggregates and rebuilds them from the topics (admin)" },
    },
    async (_req, reply) => {
      if (deps.pipeline.status.state === "running") throw errors.REBUILD_RUNNING(deps.pipeline.status);
      return reply.code(202).send(deps.pipeline.startRebuild());
    },
  );
  app.get(
    "/v1/stats/rebuild",
    { config: { access: access.rebuild }, schema: { description: "Progress of the last rebuild (admin)" } },
    async () => deps.pipeline.status,
  );
}
