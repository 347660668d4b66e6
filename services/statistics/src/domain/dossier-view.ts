import { isDueSoon, isOverdue } from "@tthc/calendar";
import { type DossierState, isOpenState } from "@tthc/contracts";

/**
 * Overdue and due soon for one dossier of a list, by the definitions every service shares
 * (docs/domain.md, "Verdict and the overdue boundary"): only an open dossier can be overdue or due
 * soon, against the due instant in force (the monitor's latest, else the receipt's). A list of a
 * period not yet over is judged now, by the dossier's state, as processing and the monitor judge
 * it; a past period at its end, where a dossier was open if it had not finished by then.
 */
export interface DeadlineFacts {
  state: string | null;
  dueAt: number | null;
  dueSoonAt: number | null;
  finishedAt: number | null;
}

export interface JudgedAt {
  at: number;
  /** `at` is now (the period is not over), not the end of a past period. */
  isNow: boolean;
}

export function openAt(d: DeadlineFacts, ref: JudgedAt): boolean {
  if (ref.isNow) return d.state !== null && isOpenState(d.state as DossierState);
  return d.finishedAt === null || d.finishedAt >= ref.at;
}

export function deadlineFlags(d: DeadlineFacts, ref: JudgedAt): { overdue: boolean; dueSoon: boolean } {
  const open = openAt(d, ref);
  return {
    overdue: open && isOverdue(d.dueAt, ref.at),
    dueSoon: open && isDueSoon(d.dueSoonAt, d.dueAt, ref.at),
  };
}
