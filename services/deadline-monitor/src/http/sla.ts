import { formatIsoLocal } from "@tthc/calendar";
import { DossierId } from "@tthc/contracts";
import type { ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { CatalogCache } from "../catalog-cache.js";
import type { Config } from "../config.js";
import { clockOf, pausedMinutes, stepDeadlines } from "../domain/dossier-clock.js";
import { errors } from "../errors.js";
import { loadDossier } from "../store/dossiers.js";
import type { accessRules } from "./access.js";

/** `GET /v1/sla/:dossierId`: the clock now, with the history of its changes. */
export function slaRoutes(
  ctx: ServiceContext<Config>,
  catalog: CatalogCache,
  access: ReturnType<typeof accessRules>,
): void {
  ctx.app.get(
    "/v1/sla/:dossierId",
    {
      config: { access: access.sla },
      schema: { params: z.object({ dossierId: DossierId }) },
    },
    async (req) => {
      const d = await loadDossier(ctx.pool, req.params.dossierId);
      if (!d) throw errors.UNKNOWN_DOSSIER({ dossierId: req.params.dossierId });
      const calendars = await catalog.refresh();
      const clock = clockOf(d, calendars);
      const now = d.closedAt ? Date.parse(d.closedAt) : Date.now();
      let steps: {
        stepId: string;
        unitCode: string;
        deadlineAt: string | null;
        late: boolean;
        open: boolean;
      }[] = [];
      try {
        steps = stepDeadlines(d, clock, now).steps.map((s) => ({
          stepId: s.stepId,
          unitCode: s.unitCode,
          deadlineAt: s.deadlineAt ? formatIsoLocal(s.deadlineAt.getTime()) : null,
          late: s.late,
          open: s.open,
        }));
      } catch {
        steps = [];
      }
      return {
        dossierId: d.id,
        dossierCode: d.code,
        status: d.status,
        unitCode: d.unitCode,
        receivedAt: d.receivedAt,
        clockStartsAt: formatIsoLocal(clock.startedAt.getTime()),
        dueAt: d.dueAt,
        dueSoonAt: d.dueSoonAt,
        promisedAt: clock.promisedAt ? formatIsoLocal(clock.promisedAt.getTime()) : null,
        paused: clock.isPaused,
        overdue: d.status !== "closed" && clock.overdueAt(now),
        statutoryMinutes: Math.round(clock.budgetMinutes),
        usedMinutes: Math.round(clock.usedAt(now)),
        leftMinutes: Math.round(clock.leftAt(now)),
        pausedMinutes: pausedMinutes(clock, now),
        supplementRequests: clock.supplementRequests,
        steps,
        closedAt: d.closedAt,
        history: d.history,
        clock: d.clock,
      };
    },
  );
}
