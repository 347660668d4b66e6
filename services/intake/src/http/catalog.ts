import {
  CalendarError,
  calendarVersionsFromCatalog,
  createCalendarSet,
  unitSessionsFromCatalog,
} from "@tthc/calendar";
import { Calendar, PageQuery, Procedure, ProcedureCode, Unit, UnitCode } from "@tthc/contracts";
import { commonErrors, errorResponses, parentUnitOf, staffOf, withTransaction } from "@tthc/service-kit";
import { z } from "zod";
import { type CatalogData, type CatalogEntry, type CatalogType, entryKey } from "../domain/catalog.js";
import { errors, fieldIssue } from "../errors.js";
import { listEntries, putEntry, readEntry, type StoredEntry } from "../store/catalog.js";
import { actorOf, type RouteDeps } from "./deps.js";
import {
  CalendarEntry,
  CalendarPage,
  ChangedEntry,
  calendarEntryExample,
  ProcedureEntry,
  ProcedurePage,
  procedureEntryExample,
  UnitEntry,
  UnitPage,
  unitEntryExample,
} from "./schemas.js";

/** The catalogue over HTTP: anyone with a staff token reads it, an admin writes it. */
export function catalogRoutes(deps: RouteDeps): void {
  const { app, pool, access } = deps;
  const staff = { access: access.anyStaff };
  const admin = { access: access.admin };

  /** An entry as the API shows it; its key's type (`procedure:`, `unit:`, `calendar:`) says what `data` is. */
  const view = <T extends CatalogData>(e: StoredEntry) => ({
    key: e.key,
    revision: e.revision,
    updatedAt: e.updatedAt,
    data: e.data as T,
  });

  /** A page of one type's entries, by key. */
  const pageOf = async <T extends CatalogData>(
    type: CatalogType,
    query: { cursor?: string; limit: number },
  ) => {
    // A key has no NUL, and PostgreSQL's text refuses one: such a cursor is no cursor of ours.
    if (query.cursor?.includes("\u0000"))
      throw commonErrors.VALIDATION_FAILED(fieldIssue("querystring.cursor", "not a cursor of this list"));
    const items = await listEntries(pool, type, query.cursor ?? null, query.limit + 1);
    const page = items.slice(0, query.limit);
    return {
      items: page.map((e) => view<T>(e)),
      nextCursor: items.length > query.limit ? (page[page.length - 1]?.key ?? null) : null,
    };
  };

  const put = async <T extends CatalogData>(
    entry: CatalogEntry,
    actorStaff: Parameters<typeof actorOf>[0],
  ) => {
    const result = await withTransaction(pool, (tx) => putEntry(tx, entry, actorOf(actorStaff), deps.now()));
    // Committed: this instance uses it at once; the others when they consume its record.
    deps.cache.apply(result.stored);
    const status: 200 | 201 = result.created ? 201 : 200;
    return { status, body: { ...view<T>(result.stored), changed: result.changed } };
  };

  const listing = (operationId: string, summary: string, page: z.ZodType) => ({
    config: staff,
    schema: { operationId, summary, querystring: PageQuery, response: { 200: page } },
  });
  app.get("/v1/procedures", listing("listProcedures", "Procedures of the catalogue", ProcedurePage), (req) =>
    pageOf<Procedure>("procedure", req.query),
  );
  app.get("/v1/units", listing("listUnits", "Units of the catalogue", UnitPage), (req) =>
    pageOf<Unit>("unit", req.query),
  );
  app.get(
    "/v1/calendars",
    listing("listCalendars", "Yearly calendars of the catalogue", CalendarPage),
    (req) => pageOf<Calendar>("calendar", req.query),
  );

  /** What a change answers: 201 for a new entry, 200 for a changed (or unchanged) one. */
  const changed = <T extends z.ZodType>(data: T, example: { key: string; data: unknown }) => ({
    201: ChangedEntry(data, example).describe("Created: the entry, revision 1, published on `catalog`"),
    200: ChangedEntry(data, example).describe(
      "Changed (or the same as before, `changed: false`): the entry, published on `catalog` when changed",
    ),
  });

  const getOne = async <T extends CatalogData>(key: string, notFound: () => Error) => {
    const e = await readEntry(pool, key);
    if (!e) throw notFound();
    return view<T>(e);
  };

  const ProcedureParams = z.object({ code: ProcedureCode });
  app.get(
    "/v1/procedures/:code",
    {
      config: staff,
      schema: {
        operationId: "getProcedure",
        summary: "A procedure",
        params: ProcedureParams,
        response: { 200: ProcedureEntry, ...errorResponses(404) },
      },
    },
    (req) =>
      getOne<Procedure>(`procedure:${req.params.code}`, () =>
        errors.PROCEDURE_NOT_FOUND({ code: req.params.code }),
      ),
  );
  app.put(
    "/v1/procedures/:code",
    {
      config: admin,
      schema: {
        operationId: "putProcedure",
        summary: "Create or change a procedure (admin); published on `catalog`",
        params: ProcedureParams,
        body: Procedure,
        response: changed(Procedure, procedureEntryExample),
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
      const r = await put<Procedure>(
        { type: "procedure", key: entryKey("procedure", req.body), data: req.body },
        staffOf(req),
      );
      return reply.code(r.status).send(r.body);
    },
  );

  const UnitParams = z.object({ code: UnitCode });
  app.get(
    "/v1/units/:code",
    {
      config: staff,
      schema: {
        operationId: "getUnit",
        summary: "A unit",
        params: UnitParams,
        response: { 200: UnitEntry, ...errorResponses(404) },
      },
    },
    (req) => getOne<Unit>(`unit:${req.params.code}`, () => errors.UNIT_NOT_FOUND({ code: req.params.code })),
  );
  app.put(
    "/v1/units/:code",
    {
      config: admin,
      schema: {
        operationId: "putUnit",
        summary: "Create or change a unit (admin); published on `catalog`",
        params: UnitParams,
        body: Unit,
        response: changed(Unit, unitEntryExample),
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
      const r = await put<Unit>({ type: "unit", key: entryKey("unit", unit), data: unit }, staffOf(req));
      return reply.code(r.status).send(r.body);
    },
  );

  const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
  app.get(
    "/v1/calendars/:year",
    {
      config: staff,
      schema: {
        operationId: "getCalendar",
        summary: "A year's calendar",
        params: YearParams,
        response: { 200: CalendarEntry, ...errorResponses(404) },
      },
    },
    (req) =>
      getOne<Calendar>(`calendar:${req.params.year}`, () =>
        errors.CALENDAR_NOT_FOUND({ year: req.params.year }),
      ),
  );
  app.put(
    "/v1/calendars/:year",
    {
      config: admin,
      schema: {
        operationId: "putCalendar",
        summary: "Publish a new version of a year's calendar (admin); earlier versions are kept",
        params: YearParams,
        body: Calendar,
        response: { ...changed(Calendar, calendarEntryExample), ...errorResponses(409) },
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
      const r = await put<Calendar>(
        { type: "calendar", key: entryKey("calendar", data), data },
        staffOf(req),
      );
      return reply.code(r.status).send(r.body);
    },
  );
}
