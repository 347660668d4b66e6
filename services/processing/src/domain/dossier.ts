import type { DossierState, DossierStep, ReturnChannel, SupplementRule } from "@tthc/contracts";

/**
 * One stay of a dossier at one step of its process, as processing records it: which unit held it,
 * who, from when to when. It carries no deadline: the deadline monitor decides each run's deadline
 * and whether it was late (the `sla.deadline-set` runs, src/domain/sla.ts).
 */
export interface StepVisit {
  runNo: number;
  stepId: string;
  /** The unit that held the step in this run, after transfers. */
  unitCode: string;
  staffId: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** The state of one dossier after reception, as processing keeps it. Instants are ISO UTC strings. */
export interface Dossier {
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  receivingUnitCode: string;
  /** The competent unit as the reception named it; the monitor's later word is in its sla data. */
  competentUnitCode: string;
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
  /**
   * Due instant (NgayHenTra): the receipt's, until the monitor's `sla.deadline-set` gives its own;
   * null while a pause that began before it is open. The fold sets it at reception only.
   */
  dueAt: string | null;
  /** When the due-soon warning comes, from the monitor; null before its first deadline. */
  dueSoonAt: string | null;
  /** The latest due instant known, kept while a pause hides it (`dueAt` null). */
  knownDueAt: string;
  /** The apology letter's new date (NgayHenTraMoi), once. */
  extendedDueAt: string | null;
  /** The due instant the letter moved (NgayHenTraTruoc). */
  extensionPreviousDueAt: string | null;
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
  visits: StepVisit[];
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

export function openVisit(d: Dossier): StepVisit | undefined {
  const last = d.visits[d.visits.length - 1];
  return last && last.endedAt === null ? last : undefined;
}
