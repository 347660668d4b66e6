import { Instant, PageQuery, UnitCode } from "@tthc/contracts";
import { openEventStream, requireStaff, type ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { Config } from "../config.js";
import { errors } from "../errors.js";
import { type AlertRow, listAlerts } from "../store/alerts.js";
import type { AlertStream } from "./alert-stream.js";

const cursorOf = (id: string) => Buffer.from(`a:${id}`).toString("base64url");

function idOfCursor(cursor: string | undefined): string {
  if (cursor === undefined) return "0";
  const text = Buffer.from(cursor, "base64url").toString();
  const m = /^a:(\d{1,18})$/.exec(text);
  if (!m?.[1]) throw errors.BAD_CURSOR({ cursor });
  return m[1];
}

/** `GET /v1/alerts` (keyset pages) and `GET /v1/alerts/stream` (SSE), both filtered by unit. */
export function alertRoutes(ctx: ServiceContext<Config>, alertStream: AlertStream): void {
  const staff = requireStaff(ctx.config.AUTH_SIGNING_KEY);
  ctx.app.get(
    "/v1/alerts",
    {
      preHandler: staff,
      schema: { querystring: PageQuery.extend({ unit: UnitCode.optional(), since: Instant.optional() }) },
    },
    async (req) => {
      const { unit, since, cursor, limit } = req.query;
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
      preHandler: staff,
      schema: {
        querystring: z.object({
          unit: UnitCode.optional(),
          after: z.coerce.number().int().min(0).optional(),
        }),
      },
    },
    async (req, reply) => {
      const unit = req.query.unit;
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
