import { DossierCode, DossierId, EventId, examples, Instant, PageQuery, UnitCode } from "@tthc/contracts";
import { openEventStream, type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import type { Config } from "../config.js";
import { errors } from "../errors.js";
import { ALERT_KINDS, type AlertRow, listAlerts } from "../store/alerts.js";
import type { accessRules } from "./access.js";
import type { AlertStream } from "./alert-stream.js";

const alertExample = {
  id: "1842",
  kind: "overdue",
  dossierId: examples.dossier.id,
  dossierCode: examples.dossier.code,
  unitCode: examples.unit.code,
  dueAt: new Date(examples.dossier.dueAt).toISOString(),
  raisedAt: "2026-03-13T02:12:00.412Z",
  eventId: "c4f1e2d3-6b5a-5e48-9c7d-2f1e0a9b8c7d",
  body: { type: "sla.overdue", dossierId: examples.dossier.id, unitCode: examples.unit.code },
};

/** An alert as the list and the stream give it. */
const Alert = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ description: "Increasing; the stream's event id" }),
    kind: z.enum(ALERT_KINDS),
    dossierId: DossierId.nullable(),
    dossierCode: DossierCode.nullable(),
    unitCode: UnitCode,
    dueAt: Instant.nullable(),
    raisedAt: Instant,
    eventId: EventId.nullable().meta({ description: "The event published on sla.events" }),
    body: z.record(z.string(), z.unknown()).meta({ description: "The event itself, as webhooks receive it" }),
  })
  .meta({ examples: [alertExample] });

const cursorOf = (id: string) => Buffer.from(`a:${id}`).toString("base64url");

function idOfCursor(cursor: string | undefined): string {
  if (cursor === undefined) return "0";
  const text = Buffer.from(cursor, "base64url").toString();
  const m = /^a:(\d{1,18})$/.exec(text);
  if (!m?.[1]) throw errors.BAD_CURSOR({ cursor });
  return m[1];
}

/** The unit whose alerts (with its units') a caller gets: the one asked, else its own; all for an admin. */
function scopeOf(req: Parameters<typeof staffOf>[0], unit: string | undefined): string | undefined {
  const staff = staffOf(req);
  return unit ?? (staff.roles.includes("admin") ? undefined : staff.unit);
}

/**
 * `GET /v1/alerts` (keyset pages) and `GET /v1/alerts/stream` (SSE): the alerts of a unit and the
 * units under it, by default the caller's.
 */
export function alertRoutes(
  ctx: ServiceContext<Config>,
  alertStream: AlertStream,
  access: ReturnType<typeof accessRules>,
): void {
  ctx.app.get(
    "/v1/alerts",
    {
      config: { access: access.alerts },
      schema: {
        operationId: "listAlerts",
        summary: "Alerts of a unit and the units under it (by default the caller's), oldest first",
        querystring: PageQuery.extend({ unit: UnitCode.optional(), since: Instant.optional() }),
        response: {
          200: z.object({ items: z.array(Alert), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (req) => {
      const { since, cursor, limit } = req.query;
      const unit = scopeOf(req, req.query.unit);
      // A Date, not the text: PostgreSQL refuses offsets past ±15:59 and the year 0000 that ISO 8601 allows.
      const from = since === undefined ? undefined : new Date(since);
      const items = await listAlerts(ctx.pool, { unit, since: from, afterId: idOfCursor(cursor), limit });
      const last = items[items.length - 1];
      return { items, nextCursor: items.length === limit && last ? cursorOf(last.id) : null };
    },
  );

  ctx.app.get(
    "/v1/alerts/stream",
    {
      config: { access: access.alerts },
      schema: {
        operationId: "streamAlerts",
        summary: "Alerts as they are raised (server-sent events)",
        description:
          "One event per alert: `event:` its kind, `id:` its id, `data:` the alert as `GET /v1/alerts` gives it. " +
          "A client that reconnects with `Last-Event-ID` (or `?after=`) misses none; a comment every 15 s keeps the line open.",
        querystring: z.object({
          unit: UnitCode.optional(),
          after: z.coerce.number().int().min(0).optional().meta({ description: "Alerts after this id" }),
        }),
        response: {
          200: {
            description: "An endless stream of alerts",
            content: {
              "text/event-stream": {
                schema: z.string().meta({
                  examples: [
                    `id: ${alertExample.id}\nevent: overdue\ndata: ${JSON.stringify(alertExample)}\n\n`,
                  ],
                }),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const unit = scopeOf(req, req.query.unit);
      const header = req.headers["last-event-id"];
      const lastId = String(
        req.query.after ?? (typeof header === "string" && /^\d+$/.test(header) ? header : "-1"),
      );
      const stream = openEventStream(req, reply);
      const unsubscribe = await alertStream.subscribe({ unit, afterId: lastId }, (a: AlertRow) =>
        stream.send(a.kind, a, a.id),
      );
      stream.onClose(unsubscribe);
    },
  );
}
