import type { CurrentEvent } from "@tthc/contracts";

/**
 * Which lifecycle events the applicant is told of, and the facts each message needs. Pure: the
 * consumer turns a batch of deliveries into notices, the store adds the applicant's contact (which
 * only intake holds) and writes one row per notice and channel. Each event id gives one notice,
 * however often the batch carries it.
 *
 * - reception (state 2, form 01): `dossier.received`;
 * - a supplement request (form 02), before acceptance (`dossier.submission-supplement-requested`)
 *   or during processing (`dossier.supplement-requested`);
 * - an extension with apology (form 04): `dossier.extended`;
 * - the result ready to be handed over (state 9): `dossier.resolved`, approved or refused.
 */

export type NoticeKind = "received" | "supplement-requested" | "extended" | "result-ready";
export type NotifyChannel = "email" | "sms" | "zalo";

interface NoticeBase {
  eventId: string;
  dossierId: string;
}

export type Notice = NoticeBase &
  (
    | { kind: "received"; dossierCode: string; procedureName: string; receivedAt: string; dueAt: string }
    | {
        kind: "supplement-requested";
        /** The dossier code, or before acceptance the portal's reference (or null). */
        reference: string | null;
        missingItems: string[];
        reason: string;
        supplyBy: string | null;
      }
    | {
        kind: "extended";
        dossierCode: string;
        previousDueAt: string;
        newDueAt: string;
        reason: string;
        apologyLetterRef: string | null;
      }
    | { kind: "result-ready"; dossierCode: string; outcome: "approved" | "refused" }
  );

/** The notices a batch of events gives, in delivery order, one per event id. */
export function noticesOf(events: readonly CurrentEvent[]): Notice[] {
  const seen = new Set<string>();
  const out: Notice[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const base = { eventId: e.id, dossierId: e.dossierId };
    switch (e.type) {
      case "dossier.received":
        out.push({
          ...base,
          kind: "received",
          dossierCode: e.payload.dossierCode,
          procedureName: e.payload.procedureName,
          receivedAt: e.payload.receivedAt,
          dueAt: e.payload.dueAt,
        });
        break;
      case "dossier.submission-supplement-requested":
      case "dossier.supplement-requested":
        out.push({
          ...base,
          kind: "supplement-requested",
          reference: "dossierCode" in e.payload ? e.payload.dossierCode : e.payload.portalRef,
          missingItems: e.payload.missingItems,
          reason: e.payload.reason,
          supplyBy: e.payload.supplyBy,
        });
        break;
      case "dossier.extended":
        out.push({
          ...base,
          kind: "extended",
          dossierCode: e.payload.dossierCode,
          previousDueAt: e.payload.previousDueAt,
          newDueAt: e.payload.newDueAt,
          reason: e.payload.reason,
          apologyLetterRef: e.payload.apologyLetterRef,
        });
        break;
      case "dossier.resolved":
        out.push({
          ...base,
          kind: "result-ready",
          dossierCode: e.payload.dossierCode,
          outcome: e.payload.outcome,
        });
        break;
    }
  }
  return out;
}

/** The applicant's contact as intake holds it. */
export interface Contact {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  /** The receiving unit's name, from the receipt; null before reception. */
  unitName: string | null;
}

/** Where a channel's message goes; null when the applicant gave no such contact (no message, no error). */
export function recipientOf(contact: Contact, channel: NotifyChannel): string | null {
  return (channel === "email" ? contact.email : contact.phone) ?? null;
}
