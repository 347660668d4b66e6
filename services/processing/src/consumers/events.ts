import { type Delivery, PermanentError } from "@tthc/bus";
import type { CurrentEvent } from "@tthc/contracts";
import type { Logger, PoolClient } from "@tthc/service-kit";
import { apply, isFolded } from "../domain/apply.js";
import { DomainError } from "../domain/errors.js";
import { isSlaEvent, nextSla } from "../domain/sla.js";
import { hasEvent, loadDossier, saveApplied } from "../store/dossiers.js";
import { loadSla, saveSla } from "../store/sla.js";

/**
 * Folds `dossier.events` (the reception, and processing's own events) and keeps the monitor's
 * deadlines and verdict from `sla.events`. An event already in the timeline was applied by the action
 * that wrote it, so the live service skips its own events, and a replay into an empty schema applies
 * them all: both through `apply`. The monitor's data are kept by the highest sequence, whether or
 * not the dossier is known yet: a duplicate or an older event changes nothing.
 */
export function eventHandler(logger: Pick<Logger, "warn">) {
  return async (deliveries: Delivery<CurrentEvent>[], tx: PoolClient): Promise<void> => {
    for (const { value: event } of deliveries) {
      if (isSlaEvent(event)) {
        const next = nextSla(await loadSla(tx, event.dossierId, true), event);
        if (next) await saveSla(tx, next);
        continue;
      }
      if (!isFolded(event.type)) continue;
      if (await hasEvent(tx, event.id)) continue;
      const before = (await loadDossier(tx, event.dossierId)) ?? null;
      if (before === null && event.type !== "dossier.received") {
        logger.warn({ dossierId: event.dossierId, type: event.type }, "event for a dossier never received");
        continue;
      }
      try {
        await saveApplied(tx, before, apply(before, event));
      } catch (err) {
        if (err instanceof DomainError) throw new PermanentError(`${event.type} ${event.id}: ${err.message}`);
        throw err;
      }
    }
  };
}
