import { type Actor, type AnyEvent, createEvent } from "@tthc/contracts";
import { apply } from "../../src/domain/apply.js";
import { type CatalogFacts, decide } from "../../src/domain/commands.js";
import type { Dossier } from "../../src/domain/dossier.js";
import type { Action } from "../../src/domain/transitions.js";

/** Worked example 2 of docs/domain.md: 15 working days, received Mon 04/05/2026 10:00, due Mon 25/05 10:00. */
export const DOSSIER = "0b6c2a52-5f53-4d6e-9a0e-1d2c3b4a5f60";
export const specialist: Actor = { staffId: "cv1@H44.100", unitCode: "H44.100", roles: ["specialist"] };
export const leader: Actor = { staffId: "ld@H44.100", unitCode: "H44.100", roles: ["leader"] };

export function receivedEvent(
  receivedAt = "2026-05-04T10:00:00+07:00",
  dueAt = "2026-05-25T10:00:00+07:00",
): AnyEvent {
  return createEvent("dossier.received", {
    dossierId: DOSSIER,
    unitCode: "H44.100",
    correlationId: "test",
    occurredAt: receivedAt,
    payload: {
      dossierCode: "000.00.01.H44-260504-0001",
      procedureCode: "1.001193",
      procedureName: "Thủ tục đăng ký khai sinh",
      field: "Hộ tịch",
      channel: "direct",
      receivingUnitCode: "H44.100",
      submittedAt: receivedAt,
      receivedAt,
      clockStartsAt: receivedAt,
      dueAt,
      statutoryTime: { amount: 15, unit: "days" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: 1,
      steps: [
        {
          id: "receive",
          name: "Tiếp nhận",
          unitRole: "receiving",
          unitCode: "H44.100",
          budget: { amount: 1, unit: "days" },
        },
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: "H44.07",
          budget: { amount: 10, unit: "days" },
        },
        {
          id: "approve",
          name: "Phê duyệt",
          unitRole: "deciding",
          unitCode: "H44.07",
          budget: { amount: 4, unit: "days" },
        },
      ],
      onlineServiceLevel: null,
      requestedReturnChannel: null,
      procedureRevision: 1,
    },
  });
}

export function receivedDossier(receivedAt?: string, dueAt?: string): Dossier {
  return apply(null, receivedEvent(receivedAt, dueAt)).dossier;
}

/** Decides `action` at `when` (Vietnam time) with the dossier's version; returns the event. */
export function decideAt(
  d: Dossier,
  action: Action,
  body: object,
  when: string,
  who: Actor = specialist,
  catalog: CatalogFacts = {},
): AnyEvent {
  return decide(d, {
    action,
    body: { expectedVersion: d.version, ...body } as never,
    actor: who,
    correlationId: "test",
    now: new Date(when),
    catalog,
  });
}

/** Decides and applies: the dossier after the action. */
export function act(
  d: Dossier,
  action: Action,
  body: object,
  when: string,
  who: Actor = specialist,
): Dossier {
  return apply(d, decideAt(d, action, body, when, who)).dossier;
}
