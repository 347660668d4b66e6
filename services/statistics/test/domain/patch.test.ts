import { type CurrentEvent, toCurrent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { patchOf } from "../../src/domain/patch.js";
import {
  acceptanceVerdict,
  deadlineSet,
  newDossier,
  received,
  resolved,
  run,
  submitted,
  transferred,
  verdict,
} from "../fixtures/events.js";

const current = (e: ReturnType<typeof received>) => toCurrent(e) as CurrentEvent;
const at = (local: string) => `${local}:00+07:00`;

describe("what each event changes in the statistics' rows (docs/domain.md)", () => {
  it("a reception names the competent unit, or, in an event older than the field, its deciding step's unit", () => {
    const d = newDossier("H44.TTPV", "2026-08-12");
    const withField = patchOf(
      current(received(d, "direct", at("2026-08-12T09:00"), at("2026-08-19T09:00"), { decidedBy: "H44.07" })),
    );
    expect(withField?.dossier?.set).toMatchObject({
      receiving_unit_code: "H44.TTPV",
      received_competent_unit_code: "H44.07",
      receipt_due_at: at("2026-08-19T09:00"),
    });
    const older = patchOf(
      current(
        received(d, "online", at("2026-08-12T09:00"), at("2026-08-19T09:00"), {
          decidedBy: "H44.08",
          olderEvent: true,
        }),
      ),
    );
    expect(older?.dossier?.set.received_competent_unit_code).toBe("H44.08");
    // the acceptance of an online submission, if one was recorded: never creates a submission
    expect(older?.submission).toMatchObject({ onlyIfExists: true, fill: { outcome: "accepted" } });
  });

  it("sla.deadline-set v2 writes the due instant (null while paused) and the runs under its sequence", () => {
    const d = newDossier("H44.100", "2026-08-11");
    const steps = [run(1, "review", "H44.07", at("2026-08-11T09:00"), null, null)];
    const patch = patchOf(
      current(
        deadlineSet(d, 3, at("2026-08-12T09:00"), {
          dueAt: null,
          dueSoonAt: null,
          paused: true,
          competentUnitCode: "H44.07",
          steps,
        }),
      ),
    );
    expect(patch?.dossier?.guarded).toEqual([
      {
        group: "deadline",
        sequence: 3,
        at: at("2026-08-12T09:00"),
        set: { sla_due_at: null, due_soon_at: null, late_since: null, paused: true },
      },
      { group: "runs", sequence: 3, at: at("2026-08-12T09:00"), set: {} },
      {
        group: "competent",
        sequence: 3,
        at: at("2026-08-12T09:00"),
        set: { sla_competent_unit_code: "H44.07" },
      },
    ]);
    expect(patch?.runs).toEqual({
      dossierId: d.dossierId,
      sequence: 3,
      at: at("2026-08-12T09:00"),
      runs: steps,
    });
  });

  it("a version 1 deadline (upcast, sequence 0) keeps its due instant but names no competent unit", () => {
    const d = newDossier("H44.100", "2026-08-11");
    const v1 = {
      ...deadlineSet(d, 0, at("2026-08-12T09:00"), { dueAt: at("2026-08-19T09:00") }),
      version: 1,
      payload: {
        dossierCode: d.dossierCode,
        dueAt: at("2026-08-19T09:00"),
        dueSoonAt: at("2026-08-18T09:00"),
        previousDueAt: null,
        reason: "received",
        explanation: null,
        clockStartsAt: at("2026-08-11T09:00"),
        statutoryMinutes: 2250,
        pausedMinutes: 0,
        steps: [],
        calendarVersions: [{ year: 2026, version: 1 }],
      },
    } as unknown as Parameters<typeof toCurrent>[0];
    const patch = patchOf(toCurrent(v1));
    expect(patch?.dossier?.guarded.map((g) => g.group)).toEqual(["deadline", "runs"]);
    expect(patch?.dossier?.guarded[0]).toMatchObject({
      sequence: 0,
      set: { sla_due_at: at("2026-08-19T09:00") },
    });
  });

  it("a verdict sets the verdict under its sequence; a resolution records the electronic result", () => {
    const d = newDossier("H44.100", "2026-08-03");
    const v = patchOf(current(verdict(d, 5, "late", at("2026-08-20T15:00"), at("2026-08-12T08:00"))));
    expect(v?.dossier?.guarded[0]).toMatchObject({ group: "verdict", sequence: 5, set: { verdict: "late" } });
    expect(v?.dossier?.fill).toMatchObject({ end_kind: "resolved" });
    const r = patchOf(current(resolved(d, at("2026-08-20T15:00"), { electronicResult: false })));
    expect(r?.dossier?.set).toMatchObject({
      state: "resolved",
      end_kind: "resolved",
      electronic_result: false,
    });
  });

  it("the states come from the one event → state map; a transfer adds one transfer", () => {
    const d = newDossier("H44.100", "2026-08-03");
    const t = patchOf(current(transferred(d, at("2026-08-06T08:00"), "H44.100", "H44.07")));
    expect(t?.dossier).toMatchObject({
      set: { state: "processing", current_unit_code: "H44.07" },
      add: { transfers: 1 },
    });
  });

  it("a submission and its acceptance verdict land on the submission row of the receiving centre", () => {
    const d = newDossier("H44.TTPV", "2026-08-20");
    expect(patchOf(current(submitted(d, at("2026-08-20T09:00"))))?.submission?.set).toEqual({
      receiving_unit_code: "H44.TTPV",
      procedure_code: "2.000777",
      submitted_at: at("2026-08-20T09:00"),
    });
    const v = patchOf(
      current(
        acceptanceVerdict(d, 2, at("2026-08-20T09:00"), {
          outcome: "refused",
          decidedAt: at("2026-08-22T10:00"),
          dueAt: at("2026-08-21T09:00"),
          verdict: "late",
        }),
      ),
    );
    expect(v?.dossier).toBeUndefined();
    expect(v?.submission?.guarded[0]).toMatchObject({
      group: "verdict",
      sequence: 2,
      set: { outcome: "refused", decided_at: at("2026-08-22T10:00"), verdict: "late" },
    });
  });
});
