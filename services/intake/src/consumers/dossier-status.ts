import type { Delivery } from "@tthc/bus";
import type { CurrentEvent } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { foldDossierEvents } from "../domain/dossier-status.js";
import { type NotifyChannel, noticesOf } from "../domain/notifications.js";
import { applyDossierChanges } from "../store/dossier-status.js";
import { recordNotifications } from "../store/notifications.js";

/**
 * Keeps the public lookup current: the state of record and the unit now handling each received
 * dossier, from the lifecycle events the processing service publishes, and the due instant the
 * deadline monitor last set. Intake's own events (submission and reception) are already in its
 * tables. The batch is folded per dossier in memory and written by one statement; a copy of an
 * event already applied, in this call or a later one, changes nothing (docs/decisions.md, "The
 * public lookup's state, set-based and duplicate-proof").
 */
export async function applyDossierEvents(
  deliveries: Delivery<CurrentEvent>[],
  tx: PoolClient,
): Promise<void> {
  await applyDossierChanges(tx, foldDossierEvents(deliveries.map((d) => d.value)));
}

/**
 * The consumer of `dossier.events` and `sla.events`: the public lookup as above, and in the same
 * transaction the notifications to the applicant (reception, supplement request, extension with
 * apology, result ready) on each channel the applicant has a contact for, one row per event and
 * channel: a copy of an event records nothing more.
 */
export function dossierEventsHandler(channels: readonly NotifyChannel[]) {
  return async (deliveries: Delivery<CurrentEvent>[], tx: PoolClient): Promise<void> => {
    const events = deliveries.map((d) => d.value);
    await applyDossierChanges(tx, foldDossierEvents(events));
    await recordNotifications(tx, noticesOf(events), channels);
  };
}
