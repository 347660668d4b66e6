import { join } from "node:path";
import { catalogDecoder, eventDecoder } from "@tthc/bus";
import { baseConfig, port, type ServiceDefinition } from "@tthc/service-kit";
import { z } from "zod";
import { eventHandler } from "./consumers/events.js";
import { accessRules } from "./http/access.js";
import { registerActions } from "./http/actions.js";
import { registerLetter } from "./http/letter.js";
import { registerQueries } from "./http/queries.js";
import { registerTimeliness } from "./http/timeliness.js";
import { saveCatalogRecord } from "./store/catalog.js";

export const config = baseConfig.extend({
  PORT: port.default(3002),
  /** Consumer group of the dossier fold; a replay uses a fresh one (and a fresh schema). */
  PROCESSING_EVENTS_CONSUMER: z.string().min(1).default("processing-dossiers"),
});
export type Config = z.infer<typeof config>;

export const service: ServiceDefinition<Config> = {
  name: "processing",
  description:
    "The workflow of each dossier after reception: assignment, transfers between units, supplements, payments, extensions, results, return and withdrawal.",
  configSchema: config,
  migrationsDir: join(import.meta.dirname, "..", "migrations"),
  async setup(ctx) {
    ctx.publishOutbox();
    ctx.consume({
      name: ctx.config.PROCESSING_EVENTS_CONSUMER,
      topics: ["dossier.events", "sla.events"],
      decoder: eventDecoder,
      handle: eventHandler(ctx.logger),
    });
    ctx.consume({
      name: `${ctx.config.PROCESSING_EVENTS_CONSUMER}-catalog`,
      topics: ["catalog"],
      decoder: catalogDecoder,
      handle: async (deliveries, tx) => {
        for (const d of deliveries) await saveCatalogRecord(tx, d.value);
      },
    });
    const access = accessRules(ctx.pool);
    registerActions(ctx, access);
    registerQueries(ctx, access);
    registerLetter(ctx, access);
    registerTimeliness(ctx, access);
  },
};
