import { formatIsoLocal, isDueSoon, isOverdue, toEpochMs } from "@tthc/calendar";
import { DossierId } from "@tthc/contracts";
import type { ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { CatalogCache } from "../catalog-cache.js";
import type { Config } from "../config.js";
import type { SubmissionClock } from "../domain/acceptance-clock.js";
import { clockOf, type DossierClock, pausedMinutes } from "../domain/dossier-clock.js";
import { errors } from "../errors.js";
import { loadDossier } from "../store/dossiers.js";
import { loadSubmission } from "../store/submissions.js";
import type { accessRules } from "./access.js";

const ms = (iso: string | null) => (iso === null ? null : toEpochMs(iso));

/** The acceptance clock of an online submission, as the monitor keeps it. */
function acceptanceView(s: SubmissionClock, now: number) {
  const waiting = s.status === "waiting";
  return {
    status: s.status,
    submittedAt: s.submittedAt,
    waitingSince: s.waitingSince,
    dueAt: s.dueAt,
    dueSoonAt: s.dueSoonAt,
    overdue: waiting && isOverdue(ms(s.dueAt), now),
    dueSoon: waiting && isDueSoon(ms(s.dueSoonAt), ms(s.dueAt), now),
    lateSince: s.lateSince,
    verdict: s.verdict,
    sequence: s.sequence,
  };
}

/**
 * A dossier's clock at `now`, as docs/domain.md defines what every reader shows: the due instant,
 * overdue and due soon by the shared boundaries, each step run with its deadline and unit, and the
 * verdict; with the sequence of what was published, so that readers can be compared.
 */
export function slaView(d: DossierClock, clock: ReturnType<typeof clockOf>, now: number) {
  const open = d.status !== "closed";
  const at = open ? now : toEpochMs(d.closedAt as string);
  return {
    dossierId: d.id,
    dossierCode: d.code,
    status: d.status,
    receivingUnitCode: d.receivingUnitCode,
    competentUnitCode: d.competentUnitCode,
    holdingUnitCode: d.holdingUnitCode,
    clockBasis: d.clockBasis,
    receivedAt: d.receivedAt,
    clockStartsAt: formatIsoLocal(clock.startedAt.getTime()),
    dueAt: d.dueAt,
    dueSoonAt: d.dueSoonAt,
    overdue: open && isOverdue(ms(d.dueAt), now),
    dueSoon: open && isDueSoon(ms(d.dueSoonAt), ms(d.dueAt), now),
    paused: clock.isPaused,
    lateSince: clock.lateSince ? formatIsoLocal(clock.lateSince.getTime()) : null,
    promisedAt: clock.extension ? formatIsoLocal(clock.extension.newDueAt.getTime()) : null,
    statutoryMinutes: Math.round(clock.budgetMinutes),
    usedMinutes: Math.round(clock.usedAt(at)),
    leftMinutes: Math.round(clock.leftAt(at)),
    pausedMinutes: pausedMinutes(d, clock, at),
    supplementRequests: clock.supplementRequests,
    steps: d.publishedSteps.map((s) => ({
      ...s,
      overdue: open && s.endedAt === null && isOverdue(ms(s.dueAt), now),
    })),
    verdict: d.verdict
      ? {
          verdict: d.verdict.verdict,
          reason: d.verdict.reason,
          endKind: d.verdict.endKind,
          effectiveEndAt: d.verdict.effectiveEndAt,
          unitAtFaultCode: d.verdict.unitAtFaultCode,
        }
      : null,
    slaSequence: d.sequence,
    closedAt: d.closedAt,
    history: d.history,
    clock: d.clock,
  };
}

/** `GET /v1/sla/:dossierId`: the clock now, with the history of its changes and any acceptance clock. */
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
      const now = ctx.clock.nowMs();
      const [d, s] = await Promise.all([
        loadDossier(ctx.pool, req.params.dossierId),
        loadSubmission(ctx.pool, req.params.dossierId),
      ]);
      if (!d && !s) throw errors.UNKNOWN_DOSSIER({ dossierId: req.params.dossierId });
      const acceptance = s ? acceptanceView(s, now) : null;
      if (!d) return { dossierId: req.params.dossierId, status: "submitted", acceptance };
      const calendars = await catalog.refresh();
      return { ...slaView(d, clockOf(d, calendars), now), acceptance };
    },
  );
}
