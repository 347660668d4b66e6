import { performance } from "node:perf_hooks";
import { monthToDate } from "@tthc/calendar";
import type { Figures } from "@tthc/rates";
import type { Clock, Pool } from "@tthc/service-kit";
import { Gauge, type Registry } from "@tthc/service-kit";
import { DEFAULT_ATTRIBUTION } from "./domain/attribution.js";
import type { RebuildStatus } from "./pipeline.js";
import { unitsOf } from "./report.js";

/**
 * Per-unit gauges of the current month (Vietnam time, by the service's clock) for Prometheus and
 * Grafana, by competent unit as the index scores, computed when scraped (at most once every few
 * seconds of the machine's time: the cache is operational, not a business instant).
 */
export function registerUnitGauges(registry: Registry, pool: Pool, clock: Clock, cacheMs = 5_000): void {
  const defs: [string, string, (f: Figures) => number | null][] = [
    ["stats_unit_received", "Dossiers received this month", (f) => f.received],
    ["stats_unit_handled", "Dossiers handled this month, H(P) of the 766 rate", (f) => f.handled],
    [
      "stats_unit_on_time_rate_766_percent",
      "On-time rate, 766 definition, this month",
      (f) => f.onTimeRate766,
    ],
    [
      "stats_unit_on_time_rate_finished_percent",
      "On-time rate over resolved dossiers (state 9), this month",
      (f) => f.onTimeRateFinished,
    ],
    ["stats_unit_online_rate_percent", "Online received / received, this month", (f) => f.onlineRate],
    ["stats_unit_progress_score", "766 progress score (20 x rate), this month", (f) => f.progressScore],
    ["stats_unit_open", "Dossiers open now", (f) => f.open],
    ["stats_unit_overdue", "Dossiers open now and overdue", (f) => f.openOverdue],
    ["stats_unit_late", "Dossiers finished late this month", (f) => f.late],
    ["stats_unit_late_steps", "Step runs held by the unit that ended late this month", (f) => f.lateSteps],
    [
      "stats_unit_strict_online_rate_percent",
      "Resolved online with an electronic result / resolved, this month",
      (f) => f.strictOnlineRate,
    ],
  ];
  let cached: { at: number; rows: { unitCode: string; figures: Figures }[] } | undefined;
  let inflight: Promise<{ unitCode: string; figures: Figures }[]> | undefined;
  const rows = async () => {
    if (cached && performance.now() - cached.at < cacheMs) return cached.rows;
    inflight ??= (async () => {
      const now = clock.now();
      const units = await unitsOf(pool, { period: monthToDate(now), now, attribution: DEFAULT_ATTRIBUTION });
      cached = { at: performance.now(), rows: units };
      return units;
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  for (const [name, help, pick] of defs) {
    new Gauge({
      name,
      help,
      labelNames: ["unit"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await rows().catch(() => [])) {
          const v = pick(r.figures);
          if (v !== null) this.set({ unit: r.unitCode }, v);
        }
      },
    });
  }
}

/** The last rebuild of the aggregates from the topics (`POST /v1/stats/rebuild`), read when scraped. */
export function registerRebuildGauges(registry: Registry, status: () => RebuildStatus): void {
  const states: RebuildStatus["state"][] = ["idle", "running", "done", "failed"];
  new Gauge({
    name: "stats_rebuild_state",
    help: "1 for the state the last rebuild is in (idle: none since the start), 0 for the others",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const now = status().state;
      for (const state of states) this.set({ state }, state === now ? 1 : 0);
    },
  });
  const figures: [string, string, (s: RebuildStatus) => number][] = [
    [
      "stats_rebuild_generation",
      "Generation of the aggregates: the live one, or the one a rebuild fills",
      (s) => s.generation,
    ],
    ["stats_rebuild_records_read", "Records of the topics the last rebuild has read", (s) => s.done],
    [
      "stats_rebuild_records_to_read",
      "Records the topics held when the last rebuild started",
      (s) => s.total,
    ],
  ];
  for (const [name, help, pick] of figures) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(status()));
      },
    });
  }
}
