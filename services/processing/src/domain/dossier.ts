import type { DossierState, DossierStep, ReturnChannel, SupplementRule } from "@tthc/contracts";

/**
 * One visit of a dossier to one step of its process (a product of work under Nghị định 335/2025):
 * who handled it, in which unit, when it started and ended, and the deadline its budget gave.
 */
export interface StepRun {
  runNo: number;
  stepId: string;
  unitCode: string;
  staffId: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Step deadline (NgayKetThucTheoQuyDinh): start plus the step's budget, pauses added back. */
  deadlineAt: string;
}

/** The state of one dossier after reception, as processing keeps it. Instants are ISO UTC strings. */
export interface Dossier {
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  receivingUnitCode: string;
  /** The unit holding the dossier now (DonViXuLy). */
  currentUnitCode: string;
  assigneeStaffId: string | null;
  assigneeName: string | null;
  state: DossierState;
  /** How many events have been applied: the `expectedVersion` of the next action. */
  version: number;
  steps: DossierStep[];
  stepIndex: number;
  supplementRule: SupplementRule;
  maxSupplementRequests: number | null;
  receivedAt: string;
  /** Promised return instant (NgayHenTra) from reception; the monitor's later `sla.deadline-set` moves it. */
  dueAt: string;
  /** The apology letter's new date (NgayHenTraMoi), once. */
  extendedDueAt: string | null;
  extendedAt: string | null;
  extensionReason: string | null;
  supplementRequests: number;
  /** When the current pause (supplement or payment) began. */
  pausedAt: string | null;
  withdrawalFromState: DossierState | null;
  outcome: "approved" | "refused" | null;
  resolvedAt: string | null;
  returnChannel: ReturnChannel | null;
  returnedAt: string | null;
  stopReason: string | null;
  stoppedAt: string | null;
  /** The instant of the last event applied. */
  updatedAt: string;
  runs: StepRun[];
}

/** One line of a dossier's timeline: who, which unit, when, what, and the reason or note. */
export interface TimelineEntry {
  eventId: string;
  dossierId: string;
  seq: number;
  type: string;
  occurredAt: string;
  staffId: string | null;
  unitCode: string;
  stateAfter: DossierState;
  note: string | null;
  details: Record<string, unknown>;
}

export const iso = (instant: string): string => new Date(instant).toISOString();

export function currentStep(d: Dossier): DossierStep {
  const step = d.steps[d.stepIndex];
  if (!step) throw new Error(`dossier ${d.id} has no step ${d.stepIndex}`);
  return step;
}

export function openRun(d: Dossier): StepRun | undefined {
  const last = d.runs[d.runs.length - 1];
  return last && last.endedAt === null ? last : undefined;
}
