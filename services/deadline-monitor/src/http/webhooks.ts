import { randomBytes, randomUUID } from "node:crypto";
import { UnitCode } from "@tthc/contracts";
import { requireStaff, type ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { Config } from "../config.js";
import { errors } from "../errors.js";

const AlertKind = z.enum(["overdue", "due-soon", "on-time-rate-below"]);

const WebhookBody = z.object({
  url: z.url({ protocol: /^https?$/ }),
  unitCode: UnitCode.nullable().default(null).meta({ description: "Only this unit's alerts; null for all" }),
  kinds: z.array(AlertKind).min(1).default(["overdue", "due-soon", "on-time-rate-below"]),
  secret: z.string().min(16).max(200).optional().meta({ description: "HMAC key; generated when absent" }),
});

interface WebhookRow {
  id: string;
  url: string;
  unit_code: string | null;
  kinds: string[];
  created_at: Date;
}

const view = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  unitCode: w.unit_code,
  kinds: w.kinds,
  createdAt: w.created_at.toISOString(),
});

/** `POST|GET|DELETE /v1/webhooks`: where alerts are pushed, signed with the webhook's secret. */
export function webhookRoutes(ctx: ServiceContext<Config>): void {
  const admin = requireStaff(ctx.config.AUTH_SIGNING_KEY, ["admin", "leader"]);
  ctx.app.post("/v1/webhooks", { preHandler: admin, schema: { body: WebhookBody } }, async (req, reply) => {
    const secret = req.body.secret ?? randomBytes(24).toString("base64url");
    const { rows } = await ctx.pool.query<WebhookRow>(
      `INSERT INTO webhooks (id, url, secret, unit_code, kinds) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, url, unit_code, kinds, created_at`,
      [randomUUID(), req.body.url, secret, req.body.unitCode, req.body.kinds],
    );
    return reply.code(201).send({ ...view(rows[0] as WebhookRow), secret });
  });

  ctx.app.get("/v1/webhooks", { preHandler: admin }, async () => {
    const { rows } = await ctx.pool.query<WebhookRow>(
      "SELECT id, url, unit_code, kinds, created_at FROM webhooks ORDER BY created_at, id",
    );
    return { items: rows.map(view) };
  });

  ctx.app.get(
    "/v1/webhooks/:id/attempts",
    { preHandler: admin, schema: { params: z.object({ id: z.uuid() }) } },
    async (req) => {
      const { rows } = await ctx.pool.query(
        `SELECT a.id::text, d.alert_id::text AS "alertId", d.status, d.attempts, a.attempted_at AS "attemptedAt",
           a.status_code AS "statusCode", a.error, a.duration_ms AS "durationMs"
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.webhook_id = $1 ORDER BY a.id DESC LIMIT 500`,
        [req.params.id],
      );
      return { items: rows };
    },
  );

  ctx.app.delete(
    "/v1/webhooks/:id",
    { preHandler: admin, schema: { params: z.object({ id: z.uuid() }) } },
    async (req, reply) => {
      const { rowCount } = await ctx.pool.query("DELETE FROM webhooks WHERE id = $1", [req.params.id]);
      if (!rowCount) throw errors.UNKNOWN_WEBHOOK({ id: req.params.id });
      return reply.code(204).send();
    },
  );
}
