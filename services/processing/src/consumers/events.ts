import { type Delivery, PermanentError } from "@tthc/bus";
import type { CurrentEvent } from "@tthc/contracts";
import type { Logger, PoolClient } from "@tthc/service-kit";
import { apply, isFolded } from "../domain/apply.js";
import type { Dossier } from "../domain/dossier.js";
import { DomainError } from "../domain/errors.js";
import { isSlaEvent, nextSla, type SlaRecord } from "../domain/sla.js";
import { eventsInTimeline, type Fold, loadDossiers, saveFolds } from "../store/folds.js";
import { loadSlas, saveSlas } from "../store/sla.js";

/**
 * Folds `dossier.events` (the reception, and processing's own events) and keeps the monitor's
 * deadlines and verdict from `sla.events`, a run at a time, set-based: the dossiers, the timeline
 * ids and the monitor's data the run touches are read in one query each, the events are folded in
 * memory in order, and the results are written with a few statements whatever the run's length.
 *
 * An event already in the timeline (or earlier in the run) was applied: by the action that wrote
 * it, so the live service skips its own events, or before, so a copy delivered again changes
 * nothing; a replay into an empty schema applies them all, through `apply`. The monitor's data are
 * kept by the highest sequence, whether or not the dossier is known yet: a duplicate or an older
 * event changes nothing.
 */
export function eventHandler(logger: Pick<Logger, "warn">) {
  return async (deliveries: Delivery<CurrentEvent>[], tx: PoolClient): Promise<void> => {
    const events = deliveries.map((d) => d.value);
    const sla = events.filter(isSlaEvent);
    const folded = events.filter((e) => !isSlaEvent(e) && isFolded(e.type));

    if (sla.length > 0) {
      const kept = await loadSlas(tx, unique(sla.map((e) => e.dossierId)));
      const changed = new Map<string, SlaRecord>();
      for (const event of sla) {
        const next = nextSla(kept.get(event.dossierId) ?? null, event);
        if (!next) continue;
        kept.set(event.dossierId, next);
        changed.set(event.dossierId, next);
      }
      await saveSlas(tx, [...changed.values()]);
    }

    if (folded.length === 0) return;
    const seen = await eventsInTimeline(
      tx,
      folded.map((e) => e.id),
    );
    // Processing's own events are in the timeline already: their dossiers need not be read.
    const fresh = folded.filter((e) => !seen.has(e.id.toLowerCase()));
    if (fresh.length === 0) return;
    const read = await loadDossiers(tx, unique(fresh.map((e) => e.dossierId)));
    const folds = new Map<string, Fold>();
    for (const event of fresh) {
      const id = event.id.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      const fold = folds.get(event.dossierId);
      const before: Dossier | null = fold?.dossier ?? read.get(event.dossierId) ?? null;
      if (before === null && event.type !== "dossier.received") {
        logger.warn({ dossierId: event.dossierId, type: event.type }, "event for a dossier never received");
        continue;
      }
      try {
        const applied = apply(before, event);
        if (fold) {
          fold.dossier = applied.dossier;
          fold.entries.push(applied.entry);
        } else
          folds.set(event.dossierId, {
            before: read.get(event.dossierId) ?? null,
            dossier: applied.dossier,
            entries: [applied.entry],
          });
      } catch (err) {
        if (err instanceof DomainError) throw new PermanentError(`${event.type} ${event.id}: ${err.message}`);
        throw err;
      }
    }
    await saveFolds(tx, [...folds.values()]);
  };
}

const unique = (ids: string[]): string[] => [...new Set(ids)];
