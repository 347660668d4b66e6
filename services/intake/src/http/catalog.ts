import {
  CalendarError,
  calendarVersionsFromCatalog,
  createCalendarSet,
  unitSessionsFromCatalog,
} from "@tthc/calendar";
import { Calendar, PageQuery, Procedure, ProcedureCode, Unit, UnitCode } from "@tthc/contracts";
import { commonErrors, parentUnitOf, staffOf, withTransaction } from "@tthc/service-kit";
import { z } from "zod";
import { type CatalogEntry, type CatalogType, entryKey } from "../domain/catalog.js";
import { errors, fieldIssue } from "../errors.js";
import { listEntries, putEntry, readEntry, type StoredEntry } from "../store/catalog.js";
import { actorOf, type RouteDeps } from "./deps.js";

/** The catalogue over HTTP: anyone with a staff token reads it, an admin writes it. */
export function catalogRoutes(deps: RouteDeps): void {
  const { app, pool, access } = deps;
  const staff = { access: access.anyStaff };
  const admin = { access: access.admin };
  const security = [{ bearer: [] }];

  const view = (e: StoredEntry) => ({
    key: e.key,
    revision: e.revision,
    updatedAt: e.updatedAt,
    data: e.data,
  });

  const list = (type: CatalogType, path: string, summary: string) =>
    app.get(path, { config: staff, schema: { summary, security, querystring: PageQuery } }, async (req) => {
      // A key has no NUL, and PostgreSQL's text refuses one: such a cursor is no cursor of ours.
      if (req.query.cursor?.includes("\u0000"))
        throw commonErrors.VALIDATION_FAILED(fieldIssue("querystring.cursor", "not a cursor of this list"));
      const items = await listEntries(pool, type, req.query.cursor ?? null, req.query.limit + 1);
      const page = items.slice(0, req.query.limit);
      return {
        items: page.map(view),
        nextCursor: items.length > req.query.limit ? (page[page.length - 1]?.key ?? null) : null,
      };
    });

  const put = async (entry: CatalogEntry, actorStaff: Parameters<typeof actorOf>[0]) => {
    const result = await withTransaction(pool, (tx) => putEntry(tx, entry, actorOf(actorStaff), deps.now()));
    // Committed: this instance uses it at once; the others when they consume its record.
    deps.cache.apply(result.stored);
    return { status: result.created ? 201 : 200, body: { ...view(result.stored), changed: result.changed } };
  };

  list("procedure", "/v1/procedures", "Procedures of the catalogue");
  list("unit", "/v1/units", "Units of the catalogue");
  list("calendar", "/v1/calendars", "Yearly calendars of the catalogue");

  const getOne = async (key: string, notFound: () => Error) => {
    const e = await readEntry(pool, key);
    if (!e) throw notFound();
    return view(e);
  };

  const ProcedureParams = z.object({ code: ProcedureCode });
  app.get(
    "/v1/procedures/:code",
    { config: staff, schema: { summary: "A procedure", security, params: ProcedureParams } },
    (req) =>
      getOne(`procedure:${req.params.code}`, () => errors.PROCEDURE_NOT_FOUND({ code: req.params.code })),
  );
  app.put(
    "/v1/procedures/:code",
    {
      config: admin,
      schema: {
        summary: "Create or change a procedure (admin); published on `catalog`",
        security,
        params: ProcedureParams,
        body: Procedure,
      },
    },
    async (req, reply) => {
      if (req.body.code !== req.params.code)
        throw errors.CODE_MISMATCH(fieldIssue("body.code", `must be ${req.params.code}`));
      for (const [i, s] of req.body.steps.entries()) {
        if (s.unitCode === null) continue;
        const unit = await readEntry(pool, `unit:${s.unitCode}`);
        if (!unit)
          throw errors.UNKNOWN_UNIT(fieldIssue(`body.steps[${i}].unitCode`, `unknown unit ${s.unitCode}`));
      }
      const r = await put(
        { type: "procedure", key: entryKey("procedure", req.body), data: req.body },
        staffOf(req),
      );
      return reply.code(r.status).send(r.body);
    },
  );

  const UnitParams = z.object({ code: UnitCode });
  app.get(
    "/v1/units/:code",
    { config: staff, schema: { summary: "A unit", security, params: UnitParams } },
    (req) => getOne(`unit:${req.params.code}`, () => errors.UNIT_NOT_FOUND({ code: req.params.code })),
  );
  app.put(
    "/v1/units/:code",
    {
      config: admin,
      schema: {
        summary: "Create or change a unit (admin); published on `catalog`",
        security,
        params: UnitParams,
        body: Unit,
      },
    },
    async (req, reply) => {
      const unit = req.body;
      if (unit.code !== req.params.code)
        throw errors.CODE_MISMATCH(fieldIssue("body.code", `must be ${req.params.code}`));
      // The access policy reads the hierarchy from the codes (service-kit's units.ts): the catalogue agrees.
      if (unit.parentCode !== parentUnitOf(unit.code))
        throw errors.PARENT_NOT_OF_CODE(fieldIssue("body.parentCode", `must be ${parentUnitOf(unit.code)}`));
      if (unit.parentCode !== null && !(await readEntry(pool, `unit:${unit.parentCode}`)))
        throw errors.UNKNOWN_UNIT(fieldIssue("body.parentCode", `unknown unit ${unit.parentCode}`));
      try {
        createCalendarSet({ units: [unitSessionsFromCatalog(unit)] }).latest(unit.code);
      } catch (err) {
        if (err instanceof CalendarError)
          throw errors.INVALID_SESSIONS(fieldIssue("body.workingSessions", err.message));
        throw err;
      }
      const r = await put({ type: "unit", key: entryKey("unit", unit), data: unit }, staffOf(req));
      return reply.code(r.status).send(r.body);
    },
  );

  const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
  app.get(
    "/v1/calendars/:year",
    { config: staff, schema: { summary: "A year's calendar", security, params: YearParams } },
    (req) =>
      getOne(`calendar:${req.params.year}`, () => errors.CALENDAR_NOT_FOUND({ year: req.params.year })),
  );
  app.put(
    "/v1/calendars/:year",
    {
      config: admin,
      schema: {
        summary: "Publish a new version of a year's calendar (admin); earlier versions are kept",
        security,
        params: YearParams,
        body: Calendar,
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (body.year !== req.params.year)
        throw errors.CODE_MISMATCH(fieldIssue("body.year", `must be ${req.params.year}`));
      const current = await readEntry(pool, `calendar:${body.year}`);
      let previous: ReturnType<typeof calendarVersionsFromCatalog> = [];
      if (current) {
        const data = current.data as Calendar;
        if (body.version <= data.version)
          throw errors.CALENDAR_VERSION_NOT_NEWER({ current: data.version, given: body.version });
        previous = calendarVersionsFromCatalog(data);
      }
      const { previousVersions: _ignored, ...rest } = body as Calendar & { previousVersions?: unknown };
      const data = Calendar.parse({ ...rest, previousVersions: previous });
      try {
        calendarVersionsFromCatalog(data);
      } catch (err) {
        if (err instanceof CalendarError) throw errors.INVALID_CALENDAR(fieldIssue("body", err.message));
        throw err;
      }
      const r = await put({ type: "calendar", key: entryKey("calendar", data), data }, staffOf(req));
      return reply.code(r.status).send(r.body);
    },
  );
}
