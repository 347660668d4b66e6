import {
  DossierCode,
  DossierId,
  DossierIdParams,
  DossierState,
  Instant,
  Page,
  PageQuery,
  ProcedureCode,
  StaffId,
  StepId,
  UnitCode,
} from "@tthc/contracts";
import { type BaseConfig, errorResponses, type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import { errors } from "../errors.js";
import { loadDossier, loadTimeline } from "../store/dossiers.js";
import { decodeCursor, queuePage } from "../store/queue.js";
import { loadSla } from "../store/sla.js";
import type { accessRules } from "./access.js";
import { DossierWithTimeline, dossierExample, dossierView, timelineView } from "./views.js";

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

/** One dossier of a work queue. */
const QueueItem = z
  .object({
    id: DossierId,
    code: DossierCode,
    procedureCode: ProcedureCode,
    procedureName: z.string(),
    state: DossierState,
    version: z.int().min(1),
    currentUnitCode: UnitCode,
    receivingUnitCode: UnitCode,
    assigneeStaffId: StaffId.nullable(),
    stepId: StepId,
    receivedAt: Instant,
    dueAt: Instant.nullable(),
    dueSoonAt: Instant.nullable(),
    extendedDueAt: Instant.nullable(),
    overdue: z.boolean(),
    dueSoon: z.boolean(),
  })
  .meta({
    examples: [
      {
        id: dossierExample.id,
        code: dossierExample.code,
        procedureCode: dossierExample.procedureCode,
        procedureName: dossierExample.procedureName,
        state: dossierExample.state,
        version: dossierExample.version,
        currentUnitCode: dossierExample.currentUnitCode,
        receivingUnitCode: dossierExample.receivingUnitCode,
        assigneeStaffId: dossierExample.assigneeStaffId,
        stepId: "review",
        receivedAt: dossierExample.receivedAt,
        dueAt: dossierExample.dueAt,
        dueSoonAt: dossierExample.dueSoonAt,
        extendedDueAt: null,
        overdue: false,
        dueSoon: false,
      },
    ],
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
      schema: {
        operationId: "listQueue",
        summary: "A unit's work queue, most urgent first",
        querystring: QueueQuery,
        response: { 200: Page(QueueItem) },
      },
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
      schema: {
        operationId: "getDossier",
        summary: "A dossier with its timeline and steps",
        params: DossierIdParams,
        response: { 200: DossierWithTimeline, ...errorResponses(404) },
      },
    },
    async (req) => {
      const d = await loadDossier(ctx.pool, req.params.id);
      if (!d) throw errors.DOSSIER_NOT_FOUND({ id: req.params.id });
      const [sla, timeline] = await Promise.all([loadSla(ctx.pool, d.id), loadTimeline(ctx.pool, d.id)]);
      return { ...dossierView(d, sla, ctx.clock.now()), timeline: timelineView(timeline) };
    },
  );
}
