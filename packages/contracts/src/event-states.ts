import type { EventType } from "./registry.js";
import type { DossierState } from "./states.js";

/**
 * The state of record (TrangThaiHoSo) a dossier is in after each event; `null` for facts that do not
 * change it (an extension, an SLA event). Submission events before acceptance reach 1, 3, 5 and 8
 * without 2: only `dossier.received` makes a dossier count as received.
 */
export const stateAfterEvent: Readonly<Record<EventType, DossierState | null>> = {
  "dossier.submitted": "submitted",
  "dossier.submission-refused": "refused",
  "dossier.submission-supplement-requested": "awaiting_supplement",
  "dossier.submission-supplement-received": "submitted",
  "dossier.submission-stopped": "stopped",
  "dossier.received": "received",
  "dossier.assigned": "processing",
  "dossier.transferred": "processing",
  "dossier.supplement-requested": "awaiting_supplement",
  "dossier.supplement-received": "processing",
  "dossier.payment-requested": "awaiting_payment",
  "dossier.payment-received": "processing",
  "dossier.stopped": "stopped",
  "dossier.extended": null,
  "dossier.resolved": "resolved",
  "dossier.returned": "returned",
  "dossier.withdrawal-requested": "withdrawal_requested",
  "sla.deadline-set": null,
  "sla.due-soon": null,
  "sla.overdue": null,
  "sla.verdict": null,
  "sla.acceptance-deadline-set": null,
  "sla.acceptance-verdict": null,
};
