import { readFileSync } from "node:fs";
import { eventDecoder } from "@tthc/bus";
import { OFFICIAL_CALENDAR_DATA } from "@tthc/calendar";
import { type ServiceDefinition, withTransaction } from "@tthc/service-kit";
import { type Config, config } from "./config.js";
import { catalogFollower } from "./consumers/catalog.js";
import { dossierEventsHandler } from "./consumers/dossier-status.js";
import { seedEntries } from "./domain/catalog.js";
import { accessRules } from "./http/access.js";
import { catalogRoutes } from "./http/catalog.js";
import { dossierRoutes } from "./http/dossiers.js";
import { submissionRoutes } from "./http/submissions.js";
import { NotificationDispatcher } from "./notify/dispatcher.js";
import { gatewaySender, type NotificationSender, smtpSender } from "./notify/senders.js";
import { applySeed } from "./store/catalog.js";
import { CatalogCache } from "./store/catalog-cache.js";

export { type Config, config };

function readData(file: string): unknown {
  return JSON.parse(readFileSync(new URL(`../data/${file}`, import.meta.url), "utf8"));
}

/** The seed catalogue: the data files and the calendars packages/calendar ships (2025, 2026 v1 and v2). */
export function seedCatalogue() {
  return seedEntries(
    readData("units.json") as { units: unknown[] },
    readData("procedures.json") as { procedures: unknown[] },
    OFFICIAL_CALENDAR_DATA,
  );
}

/** The senders the configuration names: SMTP for e-mail, the HTTP gateways for SMS and Zalo. */
export function notificationSenders(c: Config): NotificationSender[] {
  const timeoutMs = c.NOTIFY_TIMEOUT_MS;
  const out: NotificationSender[] = [];
  if (c.NOTIFY_SMTP_URL) out.push(smtpSender({ url: c.NOTIFY_SMTP_URL, from: c.NOTIFY_FROM, timeoutMs }));
  if (c.NOTIFY_SMS_GATEWAY_URL)
    out.push(
      gatewaySender({
        channel: "sms",
        url: c.NOTIFY_SMS_GATEWAY_URL,
        token: c.NOTIFY_GATEWAY_TOKEN,
        timeoutMs,
      }),
    );
  if (c.NOTIFY_ZALO_GATEWAY_URL)
    out.push(
      gatewaySender({
        channel: "zalo",
        url: c.NOTIFY_ZALO_GATEWAY_URL,
        token: c.NOTIFY_GATEWAY_TOKEN,
        timeoutMs,
      }),
    );
  return out;
}

export const service: ServiceDefinition<Config> = {
  name: "intake",
  description:
    "The catalogue of procedures and units, online submissions awaiting acceptance, and the reception of dossiers on every channel.",
  configSchema: config,
  migrationsDir: new URL("../migrations", import.meta.url).pathname,
  async setup(ctx) {
    const cache = new CatalogCache(ctx.pool);
    const deps = {
      app: ctx.app,
      pool: ctx.pool,
      redis: ctx.redis,
      cache,
      config: ctx.config,
      access: accessRules(ctx.pool),
      logger: ctx.logger,
      now: () => ctx.clock.now(),
    };
    ctx.onStart("catalogue seed", async () => {
      const { written } = await withTransaction(ctx.pool, (tx) =>
        applySeed(tx, seedCatalogue(), ctx.clock.now()),
      );
      ctx.logger.info({ written: written.length }, "catalogue seed applied");
      await cache.load();
    });
    const follower = catalogFollower(ctx.bus, cache, ctx.logger);
    ctx.onStart("catalogue follower", () => follower.start());
    ctx.onShutdown("catalogue follower", () => follower.stop());
    ctx.publishOutbox();
    ctx.consume({
      name: "intake-dossier-status",
      topics: ["dossier.events", "sla.events"],
      decoder: eventDecoder,
      handle: dossierEventsHandler(ctx.config.NOTIFY_CHANNELS),
    });
    const senders = notificationSenders(ctx.config);
    const unsent = ctx.config.NOTIFY_CHANNELS.filter((c) => !senders.some((s) => s.channel === c));
    if (unsent.length > 0)
      ctx.logger.warn(
        { channels: unsent },
        "notifications on these channels are recorded but not sent: no sender configured (NOTIFY_SMTP_URL, NOTIFY_SMS_GATEWAY_URL, NOTIFY_ZALO_GATEWAY_URL)",
      );
    const dispatcher = new NotificationDispatcher({
      pool: ctx.pool,
      logger: ctx.logger.child({ component: "notifications" }),
      senders: senders.filter((s) => ctx.config.NOTIFY_CHANNELS.includes(s.channel)),
      maxAttempts: ctx.config.NOTIFY_MAX_ATTEMPTS,
      backoffMs: ctx.config.NOTIFY_BACKOFF_MS,
      timeoutMs: ctx.config.NOTIFY_TIMEOUT_MS,
      pollIntervalMs: ctx.config.NOTIFY_POLL_MS,
    });
    ctx.onStart("notification sender", async () => dispatcher.start());
    ctx.onShutdown("notification sender", () => dispatcher.stop());
    catalogRoutes(deps);
    dossierRoutes(deps);
    submissionRoutes(deps);
  },
};
