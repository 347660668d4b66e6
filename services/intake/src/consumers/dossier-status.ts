import type { Delivery } from "@tthc/bus";
import { type CurrentEvent, stateAfterEvent } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";

/**
 * Keeps the public lookup current: the state of record and the unit now handling each received
 * dossier, from the lifecycle events the processing service publishes, and the due instant the
 * deadline monitor last set. Intake's own events (submission and reception) are already in its
 * tables. Runs inside the consumer's transaction, so each event has its effect once; an older
 * event never overwrites a newer state or a later deadline.
 */
export async function applyDossierEvents(
  deliveries: Delivery<CurrentEvent>[],
  tx: PoolClient,
): Promise<void> {
  for (const { value: event } of deliveries) {
    if (event.type === "sla.deadline-set") {
      const p = event.payload;
      if (p.dueAt === null) continue;
      await tx.query(
        "UPDATE dossiers SET due_at = $2, sla_sequence = $3 WHERE id = $1 AND sla_sequence < $3",
        [event.dossierId, p.dueAt, p.sequence],
      );
      continue;
    }
    if (event.type === "dossier.received" || event.type.startsWith("dossier.submi")) continue;
    const state = stateAfterEvent[event.type];
    if (state === null || state === undefined) continue;
    const handlingUnit =
      event.type === "dossier.transferred" ? (event.payload as { toUnitCode: string }).toUnitCode : null;
    await tx.query(
      `UPDATE dossiers SET state = $2, handling_unit_code = COALESCE($3, handling_unit_code), state_changed_at = $4
       WHERE id = $1 AND state_changed_at <= $4`,
      [event.dossierId, state, handlingUnit, event.occurredAt],
    );
  }
}
