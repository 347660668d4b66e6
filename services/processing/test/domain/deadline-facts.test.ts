import { describe, expect, it } from "vitest";
import { deadlineFacts } from "../../src/domain/deadline-facts.js";
import type { Dossier } from "../../src/domain/dossier.js";
import type { SlaRecord } from "../../src/domain/sla.js";
import { act, leader, receivedDossier } from "./samples.js";

const at = (s: string) => new Date(s);

const sla = (over: Partial<SlaRecord> = {}): SlaRecord => ({
  dossierId: "0b6c2a52-5f53-4d6e-9a0e-1d2c3b4a5f60",
  dossierCode: "000.00.01.H44-260504-0001",
  sequence: 3,
  recordedAt: "2026-05-19T03:00:05.000Z",
  dueAt: "2026-06-01T03:00:00.000Z",
  dueSoonAt: "2026-05-29T03:00:00.000Z",
  knownDueAt: "2026-06-01T03:00:00.000Z",
  paused: false,
  lateSince: null,
  promisedAt: null,
  receivingUnitCode: "H44.100",
  competentUnitCode: "H44.07",
  holdingUnitCode: "H44.07",
  verdict: null,
  steps: [
    {
      runNo: 1,
      stepId: "receive",
      unitCode: "H44.100",
      staffId: "cv1@H44.100",
      startedAt: "2026-05-04T03:00:00.000Z",
      endedAt: "2026-05-04T07:00:00.000Z",
      dueAt: "2026-05-05T03:00:00.000Z",
      late: false,
    },
    {
      runNo: 2,
      stepId: "review",
      unitCode: "H44.07",
      staffId: null,
      startedAt: "2026-05-04T07:00:00.000Z",
      endedAt: null,
      dueAt: "2026-05-27T08:15:00.000Z",
      late: false,
    },
  ],
  ...over,
});

describe("a dossier's deadlines as every service shows them (docs/domain.md)", () => {
  it("before the monitor's first word: the receipt's due instant, no step run, no sequence", () => {
    const facts = deadlineFacts(receivedDossier(), null, at("2026-05-04T10:05:00+07:00"));
    expect(facts).toMatchObject({
      dueAt: "2026-05-25T03:00:00.000Z",
      dueSoonAt: null,
      overdue: false,
      dueSoon: false,
      paused: false,
      verdict: null,
      slaSequence: null,
      stepRuns: [],
      // provisional: the unit of the last deciding step
      competentUnitCode: "H44.07",
    });
  });

  it("the receipt's due instant Mon 25/05/2026 10:00: within time at 10:00 exactly, overdue a millisecond later", () => {
    const d = receivedDossier();
    expect(deadlineFacts(d, null, at("2026-05-25T10:00:00+07:00")).overdue).toBe(false);
    expect(deadlineFacts(d, null, at("2026-05-25T10:00:00.001+07:00")).overdue).toBe(true);
  });

  it("the monitor's due instant replaces the receipt's: due soon from Fri 29/05 10:00 to Mon 01/06 10:00", () => {
    const d = receivedDossier();
    expect(deadlineFacts(d, sla(), at("2026-05-29T09:59:00+07:00"))).toMatchObject({
      dueAt: "2026-06-01T03:00:00.000Z",
      dueSoon: false,
      overdue: false,
      slaSequence: 3,
      competentUnitCode: "H44.07",
    });
    expect(deadlineFacts(d, sla(), at("2026-05-29T10:00:00+07:00")).dueSoon).toBe(true);
    expect(deadlineFacts(d, sla(), at("2026-06-01T10:00:00+07:00"))).toMatchObject({
      dueSoon: true,
      overdue: false,
    });
    expect(deadlineFacts(d, sla(), at("2026-06-01T10:01:00+07:00"))).toMatchObject({
      dueSoon: false,
      overdue: true,
    });
  });

  it("a pause that hides the due instant is never overdue", () => {
    const paused = sla({ dueAt: null, dueSoonAt: null, paused: true });
    expect(deadlineFacts(receivedDossier(), paused, at("2026-07-01T10:00:00+07:00"))).toMatchObject({
      dueAt: null,
      overdue: false,
      dueSoon: false,
      paused: true,
    });
  });

  it("an open dossier awaiting its supplement, asked after the due instant, is overdue: the due instant stays", () => {
    let d: Dossier = act(
      receivedDossier(),
      "assign",
      { assigneeStaffId: "cv1@H44.100" },
      "2026-05-04T11:00:00+07:00",
      leader,
    );
    d = act(d, "request-supplement", { missingItems: ["x"], reason: "y" }, "2026-06-02T10:00:00+07:00");
    const late = sla({ paused: true, lateSince: "2026-06-01T03:00:00.000Z" });
    expect(deadlineFacts(d, late, at("2026-06-03T10:00:00+07:00"))).toMatchObject({
      overdue: true,
      lateSince: "2026-06-01T03:00:00.000Z",
    });
  });

  it("a resolved dossier is neither overdue nor due soon, whatever the instant", () => {
    const d: Dossier = { ...receivedDossier(), state: "resolved" };
    expect(deadlineFacts(d, sla(), at("2026-07-01T10:00:00+07:00"))).toMatchObject({
      overdue: false,
      dueSoon: false,
    });
  });

  it("the step runs are the monitor's; only an open run past its deadline is overdue", () => {
    const runs = deadlineFacts(receivedDossier(), sla(), at("2026-05-28T10:00:00+07:00")).stepRuns;
    expect(runs.map((r) => [r.stepId, r.unitCode, r.dueAt, r.overdue])).toEqual([
      ["receive", "H44.100", "2026-05-05T03:00:00.000Z", false],
      ["review", "H44.07", "2026-05-27T08:15:00.000Z", true],
    ]);
  });
});
