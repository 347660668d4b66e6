import { randomUUID } from "node:crypto";
import { examples, UnitCode } from "@tthc/contracts";
import { type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import type { Config } from "../config.js";
import { errors } from "../errors.js";
import { WEBHOOK_ALERT_KINDS } from "../store/alerts.js";
import {
  deleteWebhook,
  insertWebhook,
  listAttempts,
  listWebhooks,
  type WebhookRow,
} from "../store/webhooks.js";
import { newSecret, SECRET_PATTERN } from "../webhooks/signing.js";
import { checkTarget } from "../webhooks/targets.js";
import type { accessRules } from "./access.js";

const AlertKind = z.enum(WEBHOOK_ALERT_KINDS);

const WebhookBody = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  unitCode: UnitCode.optional().meta({
    description: "The unit whose alerts (and its units' alerts) the webhook receives; default: yours",
  }),
  kinds: z
    .array(AlertKind)
    .min(1)
    .default([...WEBHOOK_ALERT_KINDS])
    .meta({ description: "The kinds of alert the webhook hears; default: all" }),
  secret: z
    .string()
    .regex(SECRET_PATTERN, "expected whsec_ and the base64 of 24 to 64 random bytes")
    .optional()
    .meta({ description: "Signing secret (Standard Webhooks, whsec_...); generated when absent" }),
});

const webhookExample = {
  id: "3d6f0b8e-2a1c-4e5f-8b7a-9c0d1e2f3a4b",
  url: "https://hooks.phutho.gov.vn/tthc/canh-bao",
  unitCode: examples.unit.code,
  kinds: ["overdue", "due-soon"],
  createdAt: "2026-03-02T01:30:00.000Z",
};

const fields = {
  id: z.uuid(),
  url: z.url(),
  unitCode: UnitCode.nullable(),
  kinds: z.array(AlertKind),
  createdAt: z.iso.datetime(),
};

const Webhook = z.object(fields).meta({ examples: [webhookExample] });

const Registered = z
  .object({ ...fields, secret: z.string().meta({ description: "The signing secret, shown once" }) })
  .meta({
    description: "Registered: the webhook and its signing secret, shown this once",
    examples: [{ ...webhookExample, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw5Yxt0j2Fh9k=" }],
  });

const Attempt = z.object({
  id: z.string(),
  alertId: z.string(),
  deliveryId: z.string().meta({ description: "The `webhook-id` header: the same on every attempt" }),
  status: z.enum(["pending", "delivered", "failed"]).meta({ description: "The delivery's status now" }),
  attempts: z.int().min(0),
  attemptedAt: z.iso.datetime(),
  statusCode: z.int().nullable().meta({ description: "The receiver's answer" }),
  error: z.enum(["http-status", "redirect", "timeout", "network", "target-refused"]).nullable(),
  durationMs: z.int().nullable(),
});

const view = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  unitCode: w.unit_code,
  kinds: w.kinds,
  createdAt: w.created_at.toISOString(),
});

const Params = z.object({ id: z.uuid() });

/**
 * `POST|GET|DELETE /v1/webhooks`: where a unit's alerts are pushed (docs/webhooks.md). A webhook
 * belongs to a unit; its target is checked here and again at each delivery.
 */
export function webhookRoutes(ctx: ServiceContext<Config>, access: ReturnType<typeof accessRules>): void {
  ctx.app.post(
    "/v1/webhooks",
    {
      config: { access: access.registerWebhook },
      schema: {
        operationId: "registerWebhook",
        summary: "Push a unit's alerts to an endpoint (docs/webhooks.md)",
        body: WebhookBody,
        response: { 201: Registered },
      },
    },
    async (req, reply) => {
      const staff = staffOf(req);
      const target = await checkTarget(new URL(req.body.url), ctx.config.WEBHOOK_ALLOWED_TARGETS);
      if (!target.ok)
        throw errors.WEBHOOK_TARGET_REFUSED([
          {
            path: "body.url",
            reason: "must reach a public address (or one the operator allows), resolving now",
          },
        ]);
      const secret = req.body.secret ?? newSecret();
      const row = await insertWebhook(ctx.pool, {
        id: randomUUID(),
        url: req.body.url,
        secret,
        unitCode: req.body.unitCode ?? staff.unit,
        kinds: req.body.kinds,
      });
      return reply.code(201).send({ ...view(row), secret });
    },
  );

  ctx.app.get(
    "/v1/webhooks",
    {
      config: { access: access.listWebhooks },
      schema: {
        operationId: "listWebhooks",
        summary: "The webhooks of the caller's unit and the units under it (all for an admin)",
        response: { 200: z.object({ items: z.array(Webhook) }) },
      },
    },
    async (req) => {
      const staff = staffOf(req);
      const scope = staff.roles.includes("admin") ? null : staff.unit;
      return { items: (await listWebhooks(ctx.pool, scope)).map(view) };
    },
  );

  ctx.app.get(
    "/v1/webhooks/:id/attempts",
    {
      config: { access: access.webhook },
      schema: {
        operationId: "listWebhookAttempts",
        summary: "The webhook's last 500 delivery attempts, newest first",
        params: Params,
        response: { 200: z.object({ items: z.array(Attempt) }) },
      },
    },
    async (req) => ({ items: await listAttempts(ctx.pool, req.params.id) }),
  );

  ctx.app.delete(
    "/v1/webhooks/:id",
    {
      config: { access: access.webhook },
      schema: {
        operationId: "deleteWebhook",
        summary: "Stop pushing to this endpoint",
        params: Params,
        response: { 204: z.null().describe("Deleted") },
      },
    },
    async (req, reply) => {
      if (!(await deleteWebhook(ctx.pool, req.params.id)))
        throw errors.UNKNOWN_WEBHOOK({ id: req.params.id });
      return reply.code(204).send(null);
    },
  );
}
