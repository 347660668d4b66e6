import type { Period } from "@tthc/calendar";
import {
  issuingChain,
  localDayOf,
  officialHeading,
  type Report,
  toCsv,
  toPrintHtml,
  toXlsx,
} from "@tthc/reports";
import {
  type AccessRule,
  errorResponses,
  type FastifyRequest,
  fileAnswer,
  type HttpApp,
  type Pool,
} from "@tthc/service-kit";
import type { z } from "zod";
import type { Attribution } from "../domain/attribution.js";
import { proceduresOf, rankingOf, type Scope, summaryOf, unitsOf } from "../report.js";
import { listDossiers } from "../store/dossier-list.js";
import { listUnits } from "../store/figures.js";
import { access } from "./access.js";
import { DossiersExportQuery, StatsQuery } from "./query.js";
import {
  dossiersReport,
  proceduresReport,
  type ReportContext,
  rankingReport,
  unitsReport,
} from "./report-table.js";

/**
 * The reports, each at three URLs beside one another: `/v1/stats/<name>.xlsx` (the workbook a
 * one-stop centre files), `/v1/stats/<name>.html` (the same report as a page a browser prints to
 * PDF) and `/v1/stats/<name>.csv` (the rows for a machine). All three take the query of the JSON
 * route they export and answer the same rows.
 */

const FORMATS = {
  csv: {
    what: "as CSV for a machine: one header row of the JSON's keys, then the rows (UTF-8 with a byte-order mark)",
    type: "text/csv; charset=utf-8",
    disposition: "attachment",
    body: async (r: Report) => toCsv(r.columns, r.rows),
  },
  xlsx: {
    what: "as the XLSX report a one-stop centre files (A4 landscape, official heading)",
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    disposition: "attachment",
    body: (r: Report) => toXlsx(r),
  },
  html: {
    what: "as a page a browser prints to PDF (A4 landscape, official heading)",
    type: "text/html; charset=utf-8",
    disposition: "inline",
    body: async (r: Report) => toPrintHtml(r),
  },
} as const;

export interface ExportDeps {
  pool: Pool;
  /** The scope of a query, as the JSON routes take it (the service's clock, the unit and those under it). */
  scopeOf: (q: {
    from?: string;
    to?: string;
    unit?: string;
    level?: string;
    attribution: Attribution;
  }) => Promise<Scope>;
  /** The unit whose dossiers a caller lists: the one asked, else its own; all for an admin. */
  dossierUnit: (req: FastifyRequest, unit: string | undefined) => string | undefined;
}

export function registerExports(app: HttpApp, deps: ExportDeps): void {
  const { pool } = deps;

  /** Who issues a report on a unit (or the province) over a period, and the catalogue's unit names. */
  async function contextOf(unit: string | undefined, period: Period, attribution: Attribution, now: Date) {
    const units = await listUnits(pool);
    const context: ReportContext = {
      heading: officialHeading(issuingChain(units, unit), localDayOf(now)),
      period,
      attribution,
      now,
    };
    return { context, names: Object.fromEntries(units.map((u) => [u.code, u.name])) };
  }

  const exports: {
    name: string;
    /** What the report holds, for the API's documentation. */
    title: string;
    query: typeof StatsQuery | typeof DossiersExportQuery;
    access: { access: AccessRule };
    report: (q: never, req: FastifyRequest) => Promise<{ report: Report; nextCursor?: string | null }>;
  }[] = [
    {
      name: "units",
      title: "Figures of every unit, with a total row",
      query: StatsQuery,
      access: { access: access.figures },
      report: async (q: StatsQuery) => {
        const s = await deps.scopeOf(q);
        const [{ context }, units, summary] = await Promise.all([
          contextOf(q.unit, s.period, s.attribution, s.now),
          unitsOf(pool, s),
          summaryOf(pool, s),
        ]);
        return { report: unitsReport(context, units, summary.figures) };
      },
    },
    {
      name: "ranking",
      title: "Units ranked by the partial index score",
      query: StatsQuery,
      access: { access: access.figures },
      report: async (q: StatsQuery) => {
        const s = await deps.scopeOf(q);
        const [{ context }, ranked] = await Promise.all([
          contextOf(q.unit, s.period, s.attribution, s.now),
          rankingOf(pool, s),
        ]);
        return { report: rankingReport(context, ranked) };
      },
    },
    {
      name: "procedures",
      title: "Figures per procedure",
      query: StatsQuery,
      access: { access: access.figures },
      report: async (q: StatsQuery) => {
        const s = await deps.scopeOf(q);
        const [{ context }, procedures] = await Promise.all([
          contextOf(q.unit, s.period, s.attribution, s.now),
          proceduresOf(pool, s),
        ]);
        return { report: proceduresReport(context, procedures) };
      },
    },
    {
      name: "dossiers",
      title: "The dossiers behind a figure, one page of them",
      query: DossiersExportQuery,
      access: { access: access.dossiers },
      // One page, as the JSON list gives it: `limit` rows from `cursor`, the next cursor in a header.
      report: async (q: z.infer<typeof DossiersExportQuery>, req) => {
        const unit = deps.dossierUnit(req, q.unit);
        const s = await deps.scopeOf({ ...q, unit });
        const offset = Number(q.cursor ?? 0);
        const [{ context, names }, rows] = await Promise.all([
          contextOf(unit, s.period, s.attribution, s.now),
          listDossiers(pool, { ...s, figure: q.figure, procedure: q.procedure, limit: q.limit + 1, offset }),
        ]);
        return {
          report: dossiersReport(context, q.figure, rows.slice(0, q.limit), names),
          nextCursor: rows.length > q.limit ? String(offset + q.limit) : null,
        };
      },
    },
  ];

  for (const e of exports)
    for (const [ext, f] of Object.entries(FORMATS)) {
      app.get(
        `/v1/stats/${e.name}.${ext}`,
        {
          config: e.access,
          schema: {
            operationId: `export${e.name[0]?.toUpperCase()}${e.name.slice(1)}${ext[0]?.toUpperCase()}${ext.slice(1)}`,
            summary: `${e.title}, ${f.what}`,
            querystring: e.query,
            response: {
              200: fileAnswer(ext as keyof typeof FORMATS, `${e.title}, ${f.what}`),
              ...errorResponses(404),
            },
          },
        },
        async (req, reply) => {
          const { report, nextCursor } = await e.report(req.query as never, req);
          if (nextCursor) reply.header("x-next-cursor", nextCursor);
          return reply
            .header("content-type", f.type)
            .header("content-disposition", `${f.disposition}; filename="thong-ke-${e.name}.${ext}"`)
            .send(await f.body(report));
        },
      );
    }
}
