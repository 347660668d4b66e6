import { basisInstant, clockStart, computeDueAt, type WorkingCalendar } from "@tthc/calendar";
import {
  type Channel,
  competentUnitOf,
  type DossierReceivedPayload,
  type DossierStep,
  formatInstant,
  type Procedure,
  type ReturnChannel,
  type Unit,
} from "@tthc/contracts";

/**
 * Reception (tiếp nhận hồ sơ): when the clock starts, the due date printed on the receipt, the steps
 * with their units fixed, and the receipt (form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả). Pure:
 * the calendar and the instants are given. The due date comes from the same pure rules the deadline
 * monitor starts from (docs/domain.md, "One owner of the clock"); the monitor alone moves it later.
 */

export interface DocumentItem {
  name: string;
  copies: number;
  original: boolean;
}

export interface ReceptionFacts {
  dossierId: string;
  dossierCode: string;
  channel: Channel;
  procedure: Procedure;
  procedureRevision: number;
  unit: Unit;
  submittedAt: Date;
  receivedAt: Date;
  requestedReturnChannel: ReturnChannel | null;
}

/**
 * The instant the clock's start rules apply to (docs/domain.md, "Start"): the reception, which for
 * an online dossier is its acceptance; the portal submission only for a procedure whose decree
 * counts from it.
 */
export function clockBasisOf(procedure: Procedure, submittedAt: Date, receivedAt: Date): Date {
  return new Date(
    basisInstant(procedure.clockStartsFrom ?? "acceptance", receivedAt.getTime(), submittedAt.getTime()),
  );
}

export function dueOf(
  calendar: WorkingCalendar,
  procedure: Procedure,
  basis: Date,
): { clockStartsAt: Date; dueAt: Date } {
  const at = basis.getTime();
  return {
    clockStartsAt: new Date(clockStart(calendar, at, procedure.cutOff)),
    dueAt: new Date(computeDueAt(calendar, at, procedure.statutoryTime, procedure.cutOff)),
  };
}

/** Steps whose unit depends on the dossier (null in the catalogue) are the receiving unit's. */
export function dossierSteps(procedure: Procedure, receivingUnitCode: string): DossierStep[] {
  return procedure.steps.map((s) => ({ ...s, unitCode: s.unitCode ?? receivingUnitCode }));
}

/** The `dossier.received` payload; `calendar` is the receiving unit's working calendar. */
export function receivedPayload(facts: ReceptionFacts, calendar: WorkingCalendar): DossierReceivedPayload {
  const { procedure } = facts;
  const { clockStartsAt, dueAt } = dueOf(
    calendar,
    procedure,
    clockBasisOf(procedure, facts.submittedAt, facts.receivedAt),
  );
  const steps = dossierSteps(procedure, facts.unit.code);
  return {
    dossierCode: facts.dossierCode,
    procedureCode: procedure.code,
    procedureName: procedure.name,
    field: procedure.field,
    channel: facts.channel,
    receivingUnitCode: facts.unit.code,
    submittedAt: formatInstant(facts.submittedAt),
    receivedAt: formatInstant(facts.receivedAt),
    clockBasis: procedure.clockStartsFrom ?? "acceptance",
    clockStartsAt: formatInstant(clockStartsAt),
    dueAt: formatInstant(dueAt),
    statutoryTime: procedure.statutoryTime,
    cutOff: procedure.cutOff,
    supplementRule: procedure.supplementRule,
    maxSupplementRequests: procedure.maxSupplementRequests,
    steps,
    competentUnitCode: competentUnitOf(steps, facts.unit.code),
    onlineServiceLevel: procedure.onlineServiceLevel,
    requestedReturnChannel: facts.requestedReturnChannel,
    procedureRevision: facts.procedureRevision,
  };
}

/** The receipt (form 01) as JSON: what the counter prints and hands over. */
export interface Receipt {
  form: "01";
  dossierId: string;
  code: string;
  status: "received";
  channel: Channel;
  procedure: {
    code: string;
    name: string;
    field: string;
    statutoryTime: Procedure["statutoryTime"];
  };
  receivingUnit: { code: string; name: string };
  applicantName: string;
  submittedAt: string;
  receivedAt: string;
  clockStartsAt: string;
  dueAt: string;
  documents: DocumentItem[];
  requestedReturnChannel: ReturnChannel | null;
  receivedBy: string;
}

export function receiptOf(
  payload: DossierReceivedPayload,
  facts: ReceptionFacts,
  applicantName: string,
  documents: DocumentItem[],
  receivedBy: string,
): Receipt {
  return {
    form: "01",
    dossierId: facts.dossierId,
    code: payload.dossierCode,
    status: "received",
    channel: payload.channel,
    procedure: {
      code: facts.procedure.code,
      name: facts.procedure.name,
      field: facts.procedure.field,
      statutoryTime: facts.procedure.statutoryTime,
    },
    receivingUnit: { code: facts.unit.code, name: facts.unit.name },
    applicantName,
    submittedAt: payload.submittedAt,
    receivedAt: payload.receivedAt,
    clockStartsAt: payload.clockStartsAt,
    dueAt: payload.dueAt,
    documents,
    requestedReturnChannel: payload.requestedReturnChannel,
    receivedBy,
  };
}
