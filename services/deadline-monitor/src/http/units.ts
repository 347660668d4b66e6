import { formatIsoLocal, monthOf } from "@tthc/calendar";
import { examples, Instant, UnitCode } from "@tthc/contracts";
import { emptyCounts, onTimeFinished, ratio } from "@tthc/rates";
import { Gauge, type ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { Config } from "../config.js";
import { monthCounts, monthCountsAll, openCounts, type VerdictCounts } from "../store/live.js";
import type { accessRules } from "./access.js";

/** The finished-only on-time rate of resolved dossiers (docs/domain.md, "Figures"). */
function onTimeRate(c: VerdictCounts): number | null {
  const { n, resolved } = onTimeFinished({
    ...emptyCounts(),
    resolved: c.early + c.onTime + c.late,
    resolvedEarly: c.early,
    resolvedOnTime: c.onTime,
    resolvedLate: c.late,
  });
  return ratio(n, resolved);
}

const count = z.int().min(0);

/** A unit's figures now, as `GET /v1/units/{code}/live` gives them. */
const Live = z
  .object({
    unitCode: UnitCode,
    at: Instant,
    open: count.meta({ description: "Open dossiers held by the unit" }),
    paused: count,
    dueSoon: count,
    overdue: count,
    month: z.string().meta({ description: "The month to date the rate covers, YYYY-MM" }),
    finished: z
      .object({ early: count, onTime: count, late: count })
      .meta({ description: "Dossiers resolved this month, by verdict" }),
    onTimeRate: z.number().min(0).max(1).nullable().meta({ description: "Null before any is resolved" }),
    threshold: z.number().min(0).max(1),
    belowThreshold: z.boolean(),
  })
  .meta({
    examples: [
      {
        unitCode: examples.unit.code,
        at: "2026-03-12T10:30:00+07:00",
        open: 37,
        paused: 4,
        dueSoon: 3,
        overdue: 1,
        month: "2026-03",
        finished: { early: 52, onTime: 61, late: 5 },
        onTimeRate: 0.9576,
        threshold: 0.9,
        belowThreshold: false,
      },
    ],
  });

/** `GET /v1/units/:code/live` and the per-unit Prometheus gauges: open, due soon, overdue, on-time rate. */
export function unitRoutes(ctx: ServiceContext<Config>, access: ReturnType<typeof accessRules>): void {
  const threshold = ctx.config.ON_TIME_RATE_THRESHOLD;
  ctx.app.get(
    "/v1/units/:code/live",
    {
      config: { access: access.live },
      schema: {
        operationId: "getUnitLive",
        summary: "A unit's open, due-soon and overdue dossiers now, and its on-time rate this month",
        params: z.object({ code: UnitCode }),
        response: { 200: Live },
      },
    },
    async (req) => {
      const code = req.params.code;
      const now = ctx.clock.now();
      const month = monthOf(now);
      const [open, counts] = await Promise.all([
        openCounts(ctx.pool, code, now),
        monthCounts(ctx.pool, code, month),
      ]);
      const held = open.get(code) ?? { open: 0, paused: 0, dueSoon: 0, overdue: 0 };
      const rate = onTimeRate(counts);
      return {
        unitCode: code,
        at: formatIsoLocal(now.getTime()),
        ...held,
        month: month.label,
        finished: counts,
        onTimeRate: rate,
        threshold,
        belowThreshold: rate !== null && rate < threshold,
      };
    },
  );

  const labels = ["unit"] as const;
  const open = new Gauge({
    name: "monitor_open_dossiers",
    help: "Open dossiers per unit",
    labelNames: labels,
    registers: [],
  });
  const dueSoon = new Gauge({
    name: "monitor_due_soon_dossiers",
    help: "Open dossiers past their due-soon instant",
    labelNames: labels,
    registers: [],
  });
  const overdue = new Gauge({
    name: "monitor_overdue_dossiers",
    help: "Open dossiers past their due instant",
    labelNames: labels,
    registers: [],
  });
  const rate = new Gauge({
    name: "monitor_on_time_rate",
    help: "Finished-only on-time rate (resolved dossiers) of the current month per competent unit",
    labelNames: labels,
    registers: [],
  });
  const below = new Gauge({
    name: "monitor_on_time_rate_below_threshold",
    help: "1 when the unit's on-time rate of the month is below the threshold",
    labelNames: labels,
    registers: [],
  });
  for (const g of [open, dueSoon, overdue, rate, below]) ctx.registry.registerMetric(g);
  // Refreshed on a timer rather than at scrape time, so that a scrape never waits on a grouped query.
  const refresh = async () => {
    const now = ctx.clock.now();
    const [opens, months] = await Promise.all([
      openCounts(ctx.pool, null, now),
      monthCountsAll(ctx.pool, monthOf(now)),
    ]);
    for (const g of [open, dueSoon, overdue, rate, below]) g.reset();
    for (const [unit, c] of opens) {
      open.set({ unit }, c.open);
      dueSoon.set({ unit }, c.dueSoon);
      overdue.set({ unit }, c.overdue);
    }
    for (const [unit, c] of months) {
      const r = onTimeRate(c);
      if (r === null) continue;
      rate.set({ unit }, r);
      below.set({ unit }, r < threshold ? 1 : 0);
    }
  };
  let timer: NodeJS.Timeout | null = null;
  ctx.onStart("unit gauges", async () => {
    timer = setInterval(
      () => refresh().catch((err) => ctx.logger.warn({ err }, "unit gauges failed")),
      15_000,
    );
    timer.unref();
  });
  ctx.onShutdown("unit gauges", async () => {
    if (timer) clearInterval(timer);
  });
}
