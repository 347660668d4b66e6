import { readFileSync } from "node:fs";
import { eventDecoder } from "@tthc/bus";
import { OFFICIAL_CALENDAR_DATA } from "@tthc/calendar";
import { type ServiceDefinition, withTransaction } from "@tthc/service-kit";
import { type Config, config } from "./config.js";
import { catalogFollower } from "./consumers/catalog.js";
import { applyDossierEvents } from "./consumers/dossier-status.js";
import { seedEntries } from "./domain/catalog.js";
import { accessRules } from "./http/access.js";
import { catalogRoutes } from "./http/catalog.js";
import { dossierRoutes } from "./http/dossiers.js";
import { submissionRoutes } from "./http/submissions.js";
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
      handle: applyDossierEvents,
    });
    catalogRoutes(deps);
    dossierRoutes(deps);
    submissionRoutes(deps);
  },
};
