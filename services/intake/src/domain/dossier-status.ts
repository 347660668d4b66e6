import { type CurrentEvent, type DossierState, stateAfterEvent } from "@tthc/contracts";

/**
 * What a batch of events does to the public lookup, per dossier. Pure: the store writes it in one
 * statement. Lifecycle events are kept in delivery order (a dossier's events come on one partition,
 * in the order processing wrote them), each id once: whether one was already applied is known only
 * from the dossier's row, so the store, not this fold, drops those and keeps the last of the rest.
 * Of the deadlines the monitor set, only the highest sequence counts.
 */

export interface LifecycleStep {
  eventId: string;
  state: DossierState;
  /** The unit the dossier moved to (a transfer), or null: the handling unit stays. */
  handlingUnitCode: string | null;
  occurredAt: string;
}

export interface DossierChange {
  dossierId: string;
  steps: LifecycleStep[];
  deadline: { sequence: number; dueAt: string } | null;
}

export function foldDossierEvents(events: readonly CurrentEvent[]): DossierChange[] {
  const byDossier = new Map<string, DossierChange>();
  const seen = new Set<string>();
  const changeOf = (dossierId: string): DossierChange => {
    let c = byDossier.get(dossierId);
    if (!c) {
      c = { dossierId, steps: [], deadline: null };
      byDossier.set(dossierId, c);
    }
    return c;
  };
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    if (event.type === "sla.deadline-set") {
      const { dueAt, sequence } = event.payload;
      if (dueAt === null) continue;
      const c = changeOf(event.dossierId);
      if (!c.deadline || sequence > c.deadline.sequence) c.deadline = { sequence, dueAt };
      continue;
    }
    // Intake's own events are already in its tables.
    if (event.type === "dossier.received" || event.type.startsWith("dossier.submi")) continue;
    const state = stateAfterEvent[event.type];
    if (state === null || state === undefined) continue;
    changeOf(event.dossierId).steps.push({
      eventId: event.id,
      state,
      handlingUnitCode: event.type === "dossier.transferred" ? event.payload.toUnitCode : null,
      occurredAt: event.occurredAt,
    });
  }
  return [...byDossier.values()];
}
