import { catalogDecoder, eventDecoder } from "@tthc/bus";
import { topicName } from "@tthc/contracts";
import type { ServiceDefinition } from "@tthc/service-kit";
import { CatalogCache } from "./catalog-cache.js";
import { type Config, config } from "./config.js";
import { handleCatalog } from "./consumers/catalog.js";
import { dossierEventsHandler } from "./consumers/dossier-events.js";
import { accessRules } from "./http/access.js";
import { AlertStream } from "./http/alert-stream.js";
import { alertRoutes } from "./http/alerts.js";
import { slaRoutes } from "./http/sla.js";
import { unitRoutes } from "./http/units.js";
import { webhookRoutes } from "./http/webhooks.js";
import { TimerLoop } from "./timers/timer-loop.js";
import { WebhookDelivery } from "./webhooks/delivery.js";

export { type Config, config } from "./config.js";

export const service: ServiceDefinition<Config> = {
  name: "deadline-monitor",
  description:
    "The SLA clock of each dossier: due instants, pauses, timers, due-soon, overdue and escalation alerts, verdicts.",
  configSchema: config,
  migrationsDir: new URL("../migrations", import.meta.url).pathname,
  async setup(ctx) {
    const catalog = new CatalogCache(ctx.pool);
    const timers = new TimerLoop({
      pool: ctx.pool,
      clock: ctx.clock,
      logger: ctx.logger.child({ component: "timers" }),
      registry: ctx.registry,
      calendars: () => catalog.calendars,
      refreshCatalog: () => catalog.refresh(),
      escalateAfterHours: ctx.config.ESCALATION_AFTER_WORKING_HOURS,
      batchSize: ctx.config.TIMER_BATCH_SIZE,
      maxSleepMs: ctx.config.TIMER_MAX_SLEEP_MS,
    });
    const webhooks = new WebhookDelivery({
      pool: ctx.pool,
      logger: ctx.logger.child({ component: "webhooks" }),
      maxAttempts: ctx.config.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: ctx.config.WEBHOOK_BACKOFF_MS,
      timeoutMs: ctx.config.WEBHOOK_TIMEOUT_MS,
      concurrency: ctx.config.WEBHOOK_CONCURRENCY,
      allow: ctx.config.WEBHOOK_ALLOWED_TARGETS,
    });
    const stream = new AlertStream(ctx.pool, ctx.logger);

    ctx.publishOutbox();
    ctx.consume({
      name: "deadline-monitor-catalog",
      topics: ["catalog"],
      decoder: catalogDecoder,
      handle: (deliveries, tx) => handleCatalog(deliveries, tx),
    });
    const dossiers = ctx.consume({
      name: "deadline-monitor",
      topics: ["dossier.events"],
      decoder: eventDecoder,
      handle: dossierEventsHandler({
        catalog,
        clock: ctx.clock,
        rule: { share: ctx.config.DUE_SOON_SHARE ?? null },
        rateThreshold: ctx.config.ON_TIME_RATE_THRESHOLD,
        onTimersChanged: () => timers.nudge(),
      }),
    });
    // The timers of a partition are fired by whoever owns that partition of dossier.events now.
    const dossierTopic = topicName(ctx.config.KAFKA_TOPIC_PREFIX ?? "", "dossier.events");
    const { on, events } = dossiers.instrumentation;
    on(events.GROUP_JOIN, (e) => {
      const assignment = e.payload.memberAssignment as Record<string, number[]>;
      timers.setPartitions(assignment[dossierTopic] ?? []);
    });
    on(events.STOP, () => timers.setPartitions([]));
    on(events.CRASH, () => timers.setPartitions([]));

    const access = accessRules(ctx.pool);
    slaRoutes(ctx, catalog, access);
    alertRoutes(ctx, stream, access);
    webhookRoutes(ctx, access);
    unitRoutes(ctx, access);

    ctx.onStart("timers", async () => {
      await catalog.refresh();
      timers.start();
      webhooks.start();
    });
    ctx.onShutdown("timers", async () => {
      await stream.close();
      await timers.stop();
      await webhooks.stop();
    });
  },
};
