import { DossierIdParams, DossierState, Instant, PageQuery, UnitCode } from "@tthc/contracts";
import { type BaseConfig, type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import { errors } from "../errors.js";
import { loadDossier, loadTimeline } from "../store/dossiers.js";
import { decodeCursor, queuePage } from "../store/queue.js";
import { loadSla } from "../store/sla.js";
import type { accessRules } from "./access.js";
import { dossierView, timelineView } from "./views.js";

const QueueQuery = PageQuery.extend({
  unit: UnitCode.optional().meta({ description: "Unit holding the dossiers; default: your unit" }),
  status: DossierState.optional(),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .meta({
      description: "true: open (states 2, 4, 5, 6, 7) and past the due instant now; false: the others",
    }),
  dueBefore: Instant.optional().meta({
    description: "Due strictly before this instant (a due instant a pause hides is not)",
  }),
});

/** Work queues and the dossier with its timeline. Staff see their own unit's; admins any. */
export function registerQueries<C extends BaseConfig>(
  ctx: ServiceContext<C>,
  access: ReturnType<typeof accessRules>,
): void {
  ctx.app.get(
    "/v1/dossiers",
    {
      config: { access: access.queue },
      schema: { summary: "A unit's work queue, most urgent first", querystring: QueueQuery },
    },
    async (req) => {
      const staff = staffOf(req);
      const q = req.query;
      const unit = q.unit ?? staff.unit;
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && !after) throw errors.BAD_CURSOR({ cursor: q.cursor });
      return queuePage(
        ctx.pool,
        {
          unit,
          ...(q.status ? { status: q.status } : {}),
          ...(q.overdue === undefined ? {} : { overdue: q.overdue }),
          // A Date, not the text: PostgreSQL refuses offsets past ±15:59 and the year 0000 that ISO 8601 allows.
          ...(q.dueBefore ? { dueBefore: new Date(q.dueBefore) } : {}),
          limit: q.limit,
          now: ctx.clock.now(),
        },
        after,
      );
    },
  );

  ctx.app.get(
    "/v1/dossiers/:id",
    {
      config: { access: access.dossier },
      schema: { summary: "A dossier with its timeline and steps", params: DossierIdParams },
    },
    async (req) => {
      const d = await loadDossier(ctx.pool, req.params.id);
      if (!d) throw errors.DOSSIER_NOT_FOUND({ id: req.params.id });
      const [sla, timeline] = await Promise.all([loadSla(ctx.pool, d.id), loadTimeline(ctx.pool, d.id)]);
      return { ...dossierView(d, sla, ctx.clock.now()), timeline: timelineView(timeline) };
    },
  );
}
