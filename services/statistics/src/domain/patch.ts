import type { AnyEvent } from "@tthc/contracts";

/**
 * What one event changes in the dossier's statistics row. Pure: the store turns it into one upsert.
 * Every patch is a function of its event alone, and the derived columns (finished_at, the days) are
 * recomputed from the row, so the row does not depend on how the two topics interleave: a rebuild
 * gives the same rows.
 */

export type Value = string | number | boolean | null;

export const setColumns = [
  "dossier_code",
  "unit_code",
  "current_unit_code",
  "procedure_code",
  "procedure_name",
  "field",
  "channel",
  "received_at",
  "due_at",
  "extended_due_at",
  "state",
  "end_at",
  "end_kind",
  "stop_reason",
  "outcome",
  "verdict",
  "verdict_end_at",
  "verdict_due_at",
  "effective_end_at",
  "used_minutes",
  "verdict_reason",
  "unit_at_fault_code",
  "second_supplement",
] as const;
export type Column = (typeof setColumns)[number];

export interface DossierPatch {
  dossierId: string;
  /** Overwrite. */
  set: Partial<Record<Column, Value>>;
  /** Only where still empty. */
  fill: Partial<Record<Column, Value>>;
  /** A due instant from sla.deadline-set: the latest one (by occurredAt) wins. */
  due?: { dueAt: string; dueSoonAt: string; setAt: string };
  /** One more transfer between steps or units. */
  transfer?: boolean;
}

/** The national states (DOMAIN.md, 1–10) that the dossier events move to. */
const stateAfter: Partial<Record<AnyEvent["type"], string>> = {
  "dossier.assigned": "processing",
  "dossier.transferred": "processing",
  "dossier.supplement-requested": "awaiting_supplement",
  "dossier.supplement-received": "processing",
  "dossier.payment-requested": "awaiting_payment",
  "dossier.payment-received": "processing",
  "dossier.withdrawal-requested": "withdrawal_requested",
  "dossier.stopped": "stopped",
  "dossier.resolved": "resolved",
  "dossier.returned": "returned",
};

/** The patch of an event, or null when the event changes no figure (submissions, alerts). */
export function patchOf(event: AnyEvent): DossierPatch | null {
  const base = { dossierId: event.dossierId, set: {}, fill: {} } satisfies DossierPatch;
  const state = stateAfter[event.type];
  const fill = "dossierCode" in event.payload ? { dossier_code: event.payload.dossierCode } : {};
  switch (event.type) {
    case "dossier.received": {
      const p = event.payload;
      return {
        ...base,
        set: {
          dossier_code: p.dossierCode,
          unit_code: p.receivingUnitCode,
          procedure_code: p.procedureCode,
          procedure_name: p.procedureName,
          field: p.field,
          channel: p.channel,
          received_at: p.receivedAt,
          due_at: p.dueAt,
        },
        fill: { state: "received", current_unit_code: p.receivingUnitCode },
      };
    }
    case "dossier.transferred":
      return {
        ...base,
        set: { state: "processing", current_unit_code: event.payload.toUnitCode },
        fill,
        transfer: true,
      };
    case "dossier.extended":
      return { ...base, set: { extended_due_at: event.payload.newDueAt }, fill };
    case "dossier.stopped":
      return {
        ...base,
        set: {
          state: "stopped",
          end_at: event.occurredAt,
          end_kind: "stopped",
          stop_reason: event.payload.reason,
        },
        fill,
      };
    case "dossier.resolved":
      return {
        ...base,
        set: {
          state: "resolved",
          end_at: event.payload.resolvedAt,
          end_kind: "resolved",
          outcome: event.payload.outcome,
        },
        fill,
      };
    case "sla.deadline-set":
      return {
        ...base,
        fill,
        due: { dueAt: event.payload.dueAt, dueSoonAt: event.payload.dueSoonAt, setAt: event.occurredAt },
      };
    case "sla.verdict": {
      const p = event.payload;
      return {
        ...base,
        set: {
          verdict: p.verdict,
          verdict_end_at: p.endedAt,
          verdict_due_at: p.dueAt,
          effective_end_at: p.effectiveEndAt,
          used_minutes: p.usedMinutes,
          verdict_reason: p.reason,
          unit_at_fault_code: p.unitAtFaultCode,
          second_supplement: p.secondSupplement,
        },
        fill: { ...fill, end_kind: p.endKind },
      };
    }
    default:
      return state ? { ...base, set: { state }, fill } : null;
  }
}
