import { randomUUID } from "node:crypto";
import { createEvent, parseCurrentEvent, type StepRunDeadline } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { isSlaEvent, nextSla, type SlaEvent, type SlaRecord } from "../../src/domain/sla.js";
import { DOSSIER } from "./samples.js";

const run = (over: Partial<StepRunDeadline> = {}): StepRunDeadline => ({
  runNo: 1,
  stepId: "receive",
  unitCode: "H44.100",
  startedAt: "2026-05-04T10:00:00+07:00",
  endedAt: null,
  dueAt: "2026-05-05T10:00:00+07:00",
  budgetMinutes: 450,
  staffId: "cv1@H44.100",
  late: false,
  overMinutes: 0,
  ...over,
});

function deadlineSet(sequence: number, over: Record<string, unknown> = {}): SlaEvent {
  return createEvent("sla.deadline-set", {
    dossierId: DOSSIER,
    unitCode: "H44.100",
    correlationId: "test",
    recordedAt: "2026-05-04T10:00:05+07:00",
    payload: {
      dossierCode: "000.00.01.H44-260504-0001",
      sequence,
      reason: "received",
      explanation: null,
      receivingUnitCode: "H44.100",
      competentUnitCode: "H44.07",
      holdingUnitCode: "H44.100",
      clockBasis: "acceptance",
      clockStartsAt: "2026-05-04T10:00:00+07:00",
      dueAt: "2026-05-25T10:00:00+07:00",
      dueSoonAt: "2026-05-22T10:00:00+07:00",
      previousDueAt: null,
      paused: false,
      lateSince: null,
      promisedAt: null,
      statutoryMinutes: 6750,
      pausedMinutes: 0,
      steps: [run()],
      calendarVersions: [{ year: 2026, version: 2 }],
      ...over,
    },
  }) as SlaEvent;
}

function verdict(sequence: number): SlaEvent {
  return createEvent("sla.verdict", {
    dossierId: DOSSIER,
    unitCode: "H44.100",
    correlationId: "test",
    payload: {
      dossierCode: "000.00.01.H44-260504-0001",
      sequence,
      receivingUnitCode: "H44.100",
      competentUnitCode: "H44.07",
      verdict: "late",
      endKind: "resolved",
      endedAt: "2026-05-26T10:00:00+07:00",
      effectiveEndAt: "2026-05-26T10:00:00+07:00",
      dueAt: "2026-05-25T10:00:00+07:00",
      usedMinutes: 7200,
      statutoryMinutes: 6750,
      pausedMinutes: 0,
      unitAtFaultCode: "H44.07",
      steps: [
        run({ endedAt: "2026-05-05T09:00:00+07:00" }),
        run({
          runNo: 2,
          stepId: "review",
          unitCode: "H44.07",
          startedAt: "2026-05-05T09:00:00+07:00",
          endedAt: "2026-05-26T10:00:00+07:00",
          dueAt: "2026-05-22T09:00:00+07:00",
          staffId: "cv@H44.07",
          late: true,
          overMinutes: 480,
        }),
      ],
      reason: "Resolved Tue 26/05/2026 10:00, after the due instant Mon 25/05/2026 10:00",
      secondSupplement: false,
      lateSince: null,
      extendedDueAt: null,
      extensionPromiseKept: null,
    },
  }) as SlaEvent;
}

const keep = (events: SlaEvent[]): SlaRecord | null =>
  events.reduce<SlaRecord | null>((kept, e) => nextSla(kept, e) ?? kept, null);

describe("the monitor's data kept per dossier, by the highest sequence", () => {
  it("the first sla.deadline-set is kept as published, its step runs with it", () => {
    const kept = nextSla(null, deadlineSet(1));
    expect(kept).toMatchObject({
      sequence: 1,
      dueAt: "2026-05-25T03:00:00.000Z",
      dueSoonAt: "2026-05-22T03:00:00.000Z",
      competentUnitCode: "H44.07",
      holdingUnitCode: "H44.100",
      verdict: null,
      steps: [
        {
          runNo: 1,
          stepId: "receive",
          unitCode: "H44.100",
          staffId: "cv1@H44.100",
          startedAt: "2026-05-04T03:00:00.000Z",
          endedAt: null,
          dueAt: "2026-05-05T03:00:00.000Z",
          late: false,
        },
      ],
    });
  });

  it("an older sequence delivered after a newer one changes nothing", () => {
    const newer = keep([deadlineSet(1), deadlineSet(3, { dueAt: "2026-06-01T10:00:00+07:00" })]);
    expect(nextSla(newer, deadlineSet(2, { dueAt: "2026-05-28T10:00:00+07:00" }))).toBeUndefined();
    expect(newer?.dueAt).toBe("2026-06-01T03:00:00.000Z");
  });

  it("a duplicate changes nothing, whatever it carries", () => {
    const kept = keep([deadlineSet(2)]);
    expect(nextSla(kept, deadlineSet(2, { dueAt: "2026-07-01T10:00:00+07:00" }))).toBeUndefined();
  });

  it("a pause begun before the due instant hides it, and the last one known is kept", () => {
    const kept = keep([
      deadlineSet(1),
      deadlineSet(2, {
        reason: "paused",
        dueAt: null,
        dueSoonAt: null,
        paused: true,
        previousDueAt: "2026-05-25T10:00:00+07:00",
        steps: [run({ dueAt: null })],
      }),
    ]);
    expect(kept).toMatchObject({ dueAt: null, knownDueAt: "2026-05-25T03:00:00.000Z", paused: true });
    expect(kept?.steps[0]?.dueAt).toBeNull();
  });

  it("a pause is the first word heard: the due instant before it is the one known", () => {
    const kept = nextSla(
      null,
      deadlineSet(4, {
        dueAt: null,
        dueSoonAt: null,
        paused: true,
        previousDueAt: "2026-05-25T10:00:00+07:00",
      }),
    );
    expect(kept).toMatchObject({ dueAt: null, knownDueAt: "2026-05-25T03:00:00.000Z" });
  });

  it("the verdict replaces the step runs and keeps the warning instant; an older deadline after it changes nothing", () => {
    const kept = keep([deadlineSet(1), verdict(5)]);
    expect(kept).toMatchObject({
      sequence: 5,
      dueAt: "2026-05-25T03:00:00.000Z",
      dueSoonAt: "2026-05-22T03:00:00.000Z",
      paused: false,
      verdict: {
        verdict: "late",
        reason: "Resolved Tue 26/05/2026 10:00, after the due instant Mon 25/05/2026 10:00",
        effectiveEndAt: "2026-05-26T03:00:00.000Z",
        unitAtFaultCode: "H44.07",
      },
    });
    expect(kept?.steps.map((s) => [s.unitCode, s.late])).toEqual([
      ["H44.100", false],
      ["H44.07", true],
    ]);
    expect(nextSla(kept, deadlineSet(4))).toBeUndefined();
  });

  it("a deadline set after a verdict keeps the verdict", () => {
    const kept = keep([verdict(5), deadlineSet(6, { reason: "corrected" })]);
    expect(kept?.verdict?.verdict).toBe("late");
    expect(kept?.sequence).toBe(6);
  });

  it("version 1 events, all read as sequence 0, are kept by the later recorded", () => {
    const v1 = (recordedAt: string, dueAt: string): SlaEvent => {
      const parsed = parseCurrentEvent({
        id: randomUUID(),
        type: "sla.deadline-set",
        version: 1,
        occurredAt: recordedAt,
        recordedAt,
        dossierId: DOSSIER,
        unitCode: "H44.100",
        correlationId: "test",
        payload: {
          dossierCode: "000.00.01.H44-260504-0001",
          dueAt,
          dueSoonAt: "2026-05-22T10:00:00+07:00",
          previousDueAt: null,
          reason: "received",
          explanation: null,
          clockStartsAt: "2026-05-04T10:00:00+07:00",
          statutoryMinutes: 6750,
          pausedMinutes: 0,
          steps: [],
          calendarVersions: [{ year: 2026, version: 2 }],
        },
      });
      if (!parsed.ok || !isSlaEvent(parsed.value)) throw new Error("not a version 1 sla.deadline-set");
      return parsed.value;
    };
    const first = v1("2026-05-04T10:00:05+07:00", "2026-05-25T10:00:00+07:00");
    const later = v1("2026-05-19T10:00:05+07:00", "2026-06-01T10:00:00+07:00");
    expect(later.payload.sequence).toBe(0);
    expect(keep([first, later])?.dueAt).toBe("2026-06-01T03:00:00.000Z");
    expect(keep([later, first])?.dueAt).toBe("2026-06-01T03:00:00.000Z");
    expect(nextSla(keep([later]), later)).toBeUndefined();
  });
});
