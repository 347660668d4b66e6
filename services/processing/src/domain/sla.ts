import type { CurrentEventOf } from "@tthc/contracts";
import { iso, type StepVisit } from "./dossier.js";

/**
 * What processing keeps of the deadline monitor's data on one dossier (docs/domain.md, "One owner
 * of the clock"): the due instant, every step run's deadline and the verdict, as the monitor's event
 * with the highest `sequence` gave them. Processing computes none of them.
 */

/** One run of one step as the monitor published it (StepRunDeadline), the fields processing shows. */
export interface MonitorStepRun extends StepVisit {
  /** The run's deadline (NgayKetThucTheoQuyDinh); null while a pause that began before it is open. */
  dueAt: string | null;
  /** The run ended after its deadline, as the monitor judged it. */
  late: boolean;
}

/** The verdict on a finished dossier, as the monitor gave it. */
export interface MonitorVerdict {
  verdict: "early" | "on_time" | "late";
  reason: string;
  effectiveEndAt: string;
  unitAtFaultCode: string | null;
}

export interface SlaRecord {
  dossierId: string;
  dossierCode: string | null;
  /** The sequence of the monitor's event these data come from. */
  sequence: number;
  recordedAt: string;
  dueAt: string | null;
  dueSoonAt: string | null;
  /** The latest due instant known, kept while a pause hides it. */
  knownDueAt: string | null;
  paused: boolean;
  lateSince: string | null;
  promisedAt: string | null;
  receivingUnitCode: string | null;
  competentUnitCode: string | null;
  holdingUnitCode: string | null;
  verdict: MonitorVerdict | null;
  steps: MonitorStepRun[];
}

export type SlaEvent = CurrentEventOf<"sla.deadline-set"> | CurrentEventOf<"sla.verdict">;

export function isSlaEvent(event: { type: string }): event is SlaEvent {
  return event.type === "sla.deadline-set" || event.type === "sla.verdict";
}

const at = (instant: string | null): string | null => (instant === null ? null : iso(instant));

/**
 * Whether `event` is newer than what is kept: a higher sequence. Events of version 1 had none and
 * are read with sequence 0 (contracts' sla-upcast.ts); between two of those the later recorded wins,
 * as it did when version 1 was current. A duplicate is never newer.
 */
export function supersedes(kept: SlaRecord | null, event: SlaEvent): boolean {
  if (kept === null) return true;
  const sequence = event.payload.sequence;
  if (sequence !== kept.sequence) return sequence > kept.sequence;
  return sequence === 0 && Date.parse(event.recordedAt) > Date.parse(kept.recordedAt);
}

/**
 * The record after the monitor's `event`, or undefined when it changes nothing (older or the same
 * as what is kept). A deadline-set replaces the deadlines and the step runs whole; a verdict
 * replaces the step runs, the due instant it judged against and the verdict, and keeps the warning
 * instant of the last deadline (a finished dossier is never due soon).
 */
export function nextSla(kept: SlaRecord | null, event: SlaEvent): SlaRecord | undefined {
  if (!supersedes(kept, event)) return undefined;
  const p = event.payload;
  const steps = p.steps.map((s) => ({
    runNo: s.runNo,
    stepId: s.stepId,
    unitCode: s.unitCode,
    staffId: s.staffId,
    startedAt: iso(s.startedAt),
    endedAt: at(s.endedAt),
    dueAt: at(s.dueAt),
    late: s.late,
  }));
  const common = {
    dossierId: event.dossierId,
    dossierCode: p.dossierCode,
    sequence: p.sequence,
    recordedAt: iso(event.recordedAt),
    lateSince: at(p.lateSince),
    receivingUnitCode: p.receivingUnitCode,
    competentUnitCode: p.competentUnitCode,
    steps,
  };
  if (event.type === "sla.deadline-set") {
    const q = event.payload;
    return {
      ...common,
      dueAt: at(q.dueAt),
      dueSoonAt: at(q.dueSoonAt),
      knownDueAt: at(q.dueAt) ?? kept?.knownDueAt ?? at(q.previousDueAt),
      paused: q.paused,
      promisedAt: at(q.promisedAt),
      holdingUnitCode: q.holdingUnitCode,
      verdict: kept?.verdict ?? null,
    };
  }
  const v = event.payload;
  return {
    ...common,
    dueAt: iso(v.dueAt),
    dueSoonAt: kept?.dueSoonAt ?? null,
    knownDueAt: iso(v.dueAt),
    paused: false,
    promisedAt: at(v.extendedDueAt),
    holdingUnitCode: kept?.holdingUnitCode ?? null,
    verdict: {
      verdict: v.verdict,
      reason: v.reason,
      effectiveEndAt: iso(v.effectiveEndAt),
      unitAtFaultCode: v.unitAtFaultCode,
    },
  };
}
