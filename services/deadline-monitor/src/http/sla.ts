import { formatIsoLocal, isDueSoon, isOverdue, toEpochMs } from "@tthc/calendar";
import {
  ClockBasis,
  DossierCode,
  DossierId,
  examples,
  Instant,
  SlaAcceptanceVerdictPayload,
  StepRunDeadline,
  UnitCode,
  WorkingMinutes,
} from "@tthc/contracts";
import { errorResponses, type ServiceContext } from "@tthc/service-kit";
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

const AcceptanceView = z
  .object({
    status: z.enum(["waiting", "awaiting-applicant", "closed"]),
    submittedAt: Instant,
    waitingSince: Instant.meta({ description: "From when the centre's time counts" }),
    dueAt: Instant.nullable(),
    dueSoonAt: Instant.nullable(),
    overdue: z.boolean(),
    dueSoon: z.boolean(),
    lateSince: Instant.nullable(),
    verdict: SlaAcceptanceVerdictPayload.nullable(),
    sequence: z.int().min(0),
  })
  .meta({
    description:
      "The centre's clock to accept an online submission; null for a dossier received at the counter",
  });

const at = (local: string) => local.replace(".000", "");

/** A dossier's clock, as `slaView` gives it, with its acceptance clock. */
const SlaView = z
  .object({
    dossierId: DossierId,
    dossierCode: DossierCode,
    status: z.enum(["open", "paused", "closed"]),
    receivingUnitCode: UnitCode,
    competentUnitCode: UnitCode,
    holdingUnitCode: UnitCode,
    clockBasis: ClockBasis,
    receivedAt: Instant,
    clockStartsAt: Instant,
    dueAt: Instant.nullable().meta({ description: "Null while a pause that began before it is open" }),
    dueSoonAt: Instant.nullable(),
    overdue: z.boolean(),
    dueSoon: z.boolean(),
    paused: z.boolean(),
    lateSince: Instant.nullable(),
    promisedAt: Instant.nullable().meta({ description: "The apology letter's new date, once extended" }),
    statutoryMinutes: WorkingMinutes,
    usedMinutes: WorkingMinutes,
    leftMinutes: z.int().meta({ description: "Working minutes left; negative once late" }),
    pausedMinutes: WorkingMinutes.meta({ description: "The applicant's time (supplements, payments)" }),
    supplementRequests: z.int().min(0),
    steps: z.array(StepRunDeadline.extend({ overdue: z.boolean() })),
    verdict: z
      .object({
        verdict: z.enum(["early", "on_time", "late"]),
        reason: z.string(),
        endKind: z.enum(["resolved", "stopped"]),
        effectiveEndAt: Instant,
        unitAtFaultCode: UnitCode.nullable(),
      })
      .nullable(),
    slaSequence: z.int().min(0).meta({ description: "Sequence of the last deadline or verdict published" }),
    closedAt: Instant.nullable(),
    history: z.array(
      z.object({
        at: Instant,
        event: z.string(),
        dueAt: Instant.nullable(),
        previousDueAt: Instant.nullable(),
        note: z.string().optional(),
      }),
    ),
    clock: z
      .object({
        receivedAt: Instant,
        statutory: z.unknown(),
        cutoff: z.unknown(),
        events: z.array(z.unknown()).meta({ description: "Pauses, resumptions, resets, the extension" }),
      })
      .meta({
        description: "The clock's state as the monitor keeps it, for diagnosis; its fields may change",
      }),
    acceptance: AcceptanceView.nullable(),
  })
  .meta({
    examples: [
      {
        dossierId: examples.dossier.id,
        dossierCode: examples.dossier.code,
        status: "open",
        receivingUnitCode: examples.unit.code,
        competentUnitCode: examples.unit.code,
        holdingUnitCode: examples.unit.code,
        clockBasis: "acceptance",
        receivedAt: at(examples.dossier.receivedAt),
        clockStartsAt: at(examples.dossier.receivedAt),
        dueAt: at(examples.dossier.dueAt),
        dueSoonAt: at(examples.dossier.dueSoonAt),
        overdue: false,
        dueSoon: false,
        paused: false,
        lateSince: null,
        promisedAt: null,
        statutoryMinutes: 1350,
        usedMinutes: 510,
        leftMinutes: 840,
        pausedMinutes: 0,
        supplementRequests: 0,
        steps: [
          {
            runNo: 1,
            stepId: "receive",
            unitCode: examples.unit.code,
            startedAt: at(examples.dossier.receivedAt),
            endedAt: "2026-03-10T09:40:00+07:00",
            dueAt: "2026-03-10T11:04:30+07:00",
            budgetMinutes: 113,
            staffId: examples.staff.reception,
            late: false,
            overMinutes: 0,
            overdue: false,
          },
        ],
        verdict: null,
        slaSequence: 2,
        closedAt: null,
        history: [
          {
            at: at(examples.dossier.receivedAt),
            event: "dossier.received",
            dueAt: at(examples.dossier.dueAt),
            previousDueAt: null,
          },
        ],
        clock: {
          receivedAt: at(examples.dossier.receivedAt),
          statutory: { amount: 3, unit: "days" },
          cutoff: null,
          events: [],
        },
        acceptance: null,
      },
    ],
  });

/** An online submission not yet accepted: only its acceptance clock. */
const SubmissionOnly = z
  .object({ dossierId: DossierId, status: z.literal("submitted"), acceptance: AcceptanceView })
  .meta({ description: "An online submission awaiting acceptance" });

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
      schema: {
        operationId: "getSla",
        summary: "A dossier's clock now: due instants, step runs, verdict, history",
        params: z.object({ dossierId: DossierId }),
        response: {
          200: z
            .union([SlaView, SubmissionOnly])
            .describe("The clock of a received dossier, or the acceptance clock of an online submission"),
          ...errorResponses(404),
        },
      },
    },
    async (req) => {
      const now = ctx.clock.nowMs();
      const [d, s] = await Promise.all([
        loadDossier(ctx.pool, req.params.dossierId),
        loadSubmission(ctx.pool, req.params.dossierId),
      ]);
      if (!d) {
        if (!s) throw errors.UNKNOWN_DOSSIER({ dossierId: req.params.dossierId });
        return {
          dossierId: req.params.dossierId,
          status: "submitted" as const,
          acceptance: acceptanceView(s, now),
        };
      }
      const acceptance = s ? acceptanceView(s, now) : null;
      const calendars = await catalog.refresh();
      return { ...slaView(d, clockOf(d, calendars), now), acceptance };
    },
  );
}
