import { fileURLToPath } from "node:url";
import { monthToDate } from "@tthc/calendar";
import { baseConfig, port, type ServiceDefinition } from "@tthc/service-kit";
import { z } from "zod";
import { targetsVariable } from "./domain/targets.js";
import { registerDashboard } from "./http/dashboard.js";
import { registerRoutes } from "./http/routes.js";
import { FigureStream, notifyChanged } from "./http/stream.js";
import { registerRebuildGauges, registerUnitGauges } from "./metrics.js";
import { StatsPipeline } from "./pipeline.js";
import { rankingOf, summaryOf } from "./report.js";

export const config = baseConfig.extend({
  PORT: port.default(3004),
  STATS_STREAM_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(300),
  /** The provinces' targets for the dashboard's trend chart (src/domain/targets.ts), JSON. */
  STATS_TARGETS: targetsVariable,
});
export type Config = z.infer<typeof config>;

export const service: ServiceDefinition<Config> = {
  name: "statistics",
  description: "Aggregates per unit, procedure, field and period; on-time and online rates; the dashboard.",
  configSchema: config,
  migrationsDir: fileURLToPath(new URL("../migrations", import.meta.url)),
  async setup(ctx) {
    const { pool, clock } = ctx;
    const stream = new FigureStream(
      pool,
      ctx.logger,
      async (units, attribution) => {
        const now = clock.now();
        const scope = { period: monthToDate(now), now, attribution };
        const [summary, ranked] = await Promise.all([summaryOf(pool, scope), rankingOf(pool, scope)]);
        const changed = units.includes("*") ? null : new Set(units);
        return {
          at: now.toISOString(),
          attribution,
          changedUnits: changed ? [...changed] : "*",
          summary,
          rankingTitle: ranked.title,
          units: ranked.ranking.filter((r) => !changed || changed.has(r.unitCode)),
        };
      },
      ctx.config.STATS_STREAM_DEBOUNCE_MS,
    );
    const pipeline = new StatsPipeline({
      pool,
      bus: ctx.bus,
      registry: ctx.registry,
      logger: ctx.logger,
      clock,
      onChanged: (units) => notifyChanged(pool, units),
      onSwapped: () => stream.poke(),
    });
    registerRoutes(ctx.app, {
      pool,
      pipeline,
      stream,
      now: () => clock.now(),
      targets: ctx.config.STATS_TARGETS,
    });
    registerDashboard(ctx.app);
    registerUnitGauges(ctx.registry, pool, clock);
    registerRebuildGauges(ctx.registry, () => pipeline.status);
    ctx.onStart("figure stream", () => stream.start());
    ctx.onStart("aggregates consumer", () => pipeline.start());
    ctx.onShutdown("figure stream", () => stream.stop());
    ctx.onShutdown("aggregates consumer", () => pipeline.stop());
  },
};
