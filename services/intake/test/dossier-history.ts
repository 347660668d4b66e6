import { type CurrentEvent, createEvent } from "@tthc/contracts";
import { UNIT, UNIT_ID } from "./fixtures.js";

/** A received dossier's code in these tests: the last two characters of its id as its number. */
export const codeOf = (id: string) => `${UNIT_ID}-261110-00${id.slice(-2)}`;

export const at = (hhmm: string, day = "11") => `2026-11-${day}T${hhmm}:00+07:00`;

/** A dossier's life at processing: in charge, transferred, asked for a supplement and given it at the same instant. */
export function history(dossierId: string): CurrentEvent[] {
  const dossierCode = codeOf(dossierId);
  const base = { dossierId, unitCode: UNIT, correlationId: `status-${dossierId}` };
  const clock = (instant: string) => ({ now: () => new Date(instant) });
  const deadline = (sequence: number, dueAt: string) =>
    createEvent(
      "sla.deadline-set",
      {
        ...base,
        occurredAt: at("09:00", "12"),
        payload: {
          dossierCode,
          sequence,
          reason: "resumed",
          explanation: null,
          receivingUnitCode: UNIT,
          competentUnitCode: "H44.04",
          holdingUnitCode: "H44.04",
          clockBasis: "acceptance",
          clockStartsAt: at("10:00", "10"),
          dueAt,
          dueSoonAt: null,
          previousDueAt: at("10:00", "24"),
          paused: false,
          lateSince: null,
          promisedAt: null,
          statutoryMinutes: 4500,
          pausedMinutes: 0,
          steps: [],
          calendarVersions: [{ year: 2026, version: 2 }],
        },
      },
      clock(at("09:00", "12")),
    );
  return [
    createEvent(
      "dossier.assigned",
      {
        ...base,
        occurredAt: at("11:00"),
        payload: {
          dossierCode,
          stepId: "receive",
          assigneeStaffId: "staff-2",
          assigneeName: null,
          previousAssigneeStaffId: null,
        },
      },
      clock(at("11:00")),
    ),
    createEvent(
      "dossier.transferred",
      {
        ...base,
        occurredAt: at("14:00"),
        payload: {
          dossierCode,
          fromStepId: "receive",
          toStepId: "registry-review",
          fromUnitCode: UNIT,
          toUnitCode: "H44.04",
          assigneeStaffId: null,
          note: null,
        },
      },
      clock(at("14:00")),
    ),
    deadline(1, at("10:00", "25")),
    createEvent(
      "dossier.supplement-requested",
      {
        ...base,
        occurredAt: at("08:00", "12"),
        payload: {
          dossierCode,
          requestNumber: 1,
          missingItems: ["Bản sao sổ đỏ"],
          reason: "Thiếu giấy tờ",
          supplementRule: "pause",
          stepId: "registry-review",
          supplyBy: null,
        },
      },
      clock(at("08:00", "12")),
    ),
    // The applicant brought it while the counter was still open: the same instant as the request.
    createEvent(
      "dossier.supplement-received",
      {
        ...base,
        occurredAt: at("08:00", "12"),
        payload: {
          dossierCode,
          requestNumber: 1,
          requestedAt: at("08:00", "12"),
          suppliedAt: at("08:00", "12"),
          supplementRule: "pause",
          stepId: "registry-review",
        },
      },
      clock(at("08:00", "12")),
    ),
    deadline(2, at("10:00", "26")),
  ] as CurrentEvent[];
}
