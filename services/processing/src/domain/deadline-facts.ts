import { isDueSoon, isOverdue } from "@tthc/calendar";
import { type DossierState, isOpenState } from "@tthc/contracts";
import type { Dossier } from "./dossier.js";
import type { MonitorStepRun, MonitorVerdict, SlaRecord } from "./sla.js";

/**
 * A dossier's deadlines as every service shows them at an instant (docs/domain.md, "One owner of
 * the clock"): the monitor's latest data, the receipt's due instant before the first of them; only
 * an open dossier can be overdue or due soon, with the calendar's boundaries.
 */

const ms = (instant: string | null): number | null => (instant === null ? null : Date.parse(instant));

export function isOverdueDossier(state: DossierState, dueAt: string | null, now: Date): boolean {
  return isOpenState(state) && isOverdue(ms(dueAt), now.getTime());
}

export function isDueSoonDossier(
  state: DossierState,
  dueSoonAt: string | null,
  dueAt: string | null,
  now: Date,
): boolean {
  return isOpenState(state) && isDueSoon(ms(dueSoonAt), ms(dueAt), now.getTime());
}

export interface DeadlineFacts {
  dueAt: string | null;
  dueSoonAt: string | null;
  overdue: boolean;
  dueSoon: boolean;
  paused: boolean;
  lateSince: string | null;
  promisedAt: string | null;
  competentUnitCode: string;
  verdict: MonitorVerdict | null;
  /** The sequence of the monitor's data shown; null before any. */
  slaSequence: number | null;
  stepRuns: (MonitorStepRun & { overdue: boolean })[];
}

export function deadlineFacts(d: Dossier, sla: SlaRecord | null, now: Date): DeadlineFacts {
  const dueAt = sla ? sla.dueAt : d.dueAt;
  const dueSoonAt = sla ? sla.dueSoonAt : d.dueSoonAt;
  return {
    dueAt,
    dueSoonAt,
    overdue: isOverdueDossier(d.state, dueAt, now),
    dueSoon: isDueSoonDossier(d.state, dueSoonAt, dueAt, now),
    // Before the monitor's first word, processing's own state says whether the applicant's time runs.
    paused: sla ? sla.paused : d.pausedAt !== null,
    lateSince: sla?.lateSince ?? null,
    promisedAt: sla?.promisedAt ?? null,
    competentUnitCode: sla?.competentUnitCode ?? d.competentUnitCode,
    verdict: sla?.verdict ?? null,
    slaSequence: sla?.sequence ?? null,
    stepRuns: (sla?.steps ?? []).map((r) => ({
      ...r,
      overdue: r.endedAt === null && isOverdue(ms(r.dueAt), now.getTime()),
    })),
  };
}
