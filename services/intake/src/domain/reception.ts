import { clockStart, computeDueAt, stepDeadline, type WorkingCalendar } from "@tthc/calendar";
import {
  type Channel,
  type DossierReceivedPayload,
  type DossierStep,
  formatInstant,
  type Procedure,
  type ReturnChannel,
  type Unit,
} from "@tthc/contracts";

/**
 * Reception (tiếp nhận hồ sơ): when the clock starts, when the dossier is due, the steps with their
 * units fixed, and the receipt (form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả). Pure: the
 * calendar and the instants are given.
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
 * The instant the clock counts from: an online dossier's submission instant (the portal's), the
 * reception instant otherwise; then the working-time rules (next working instant, cut-off hour).
 */
export function clockBasis(channel: Channel, submittedAt: Date, receivedAt: Date): Date {
  return channel === "online" ? submittedAt : receivedAt;
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

/**
 * The `dossier.received` payload. `calendar` is the receiving unit's, for the due instant;
 * `calendarOf` gives the first step unit's, for that step's deadline from the reception instant.
 */
export function receivedPayload(
  facts: ReceptionFacts,
  calendar: WorkingCalendar,
  calendarOf: (unitCode: string) => WorkingCalendar = () => calendar,
): DossierReceivedPayload {
  const { procedure } = facts;
  const { clockStartsAt, dueAt } = dueOf(
    calendar,
    procedure,
    clockBasis(facts.channel, facts.submittedAt, facts.receivedAt),
  );
  const steps = dossierSteps(procedure, facts.unit.code);
  const first = steps[0];
  const firstStepDeadlineAt = first
    ? formatInstant(
        new Date(stepDeadline(calendarOf(first.unitCode), facts.receivedAt.getTime(), first.budget)),
      )
    : undefined;
  return {
    dossierCode: facts.dossierCode,
    procedureCode: procedure.code,
    procedureName: procedure.name,
    field: procedure.field,
    channel: facts.channel,
    receivingUnitCode: facts.unit.code,
    submittedAt: formatInstant(facts.submittedAt),
    receivedAt: formatInstant(facts.receivedAt),
    clockStartsAt: formatInstant(clockStartsAt),
    dueAt: formatInstant(dueAt),
    statutoryTime: procedure.statutoryTime,
    cutOff: procedure.cutOff,
    supplementRule: procedure.supplementRule,
    maxSupplementRequests: procedure.maxSupplementRequests,
    steps,
    ...(firstStepDeadlineAt ? { firstStepDeadlineAt } : {}),
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
