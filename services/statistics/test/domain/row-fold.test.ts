import { type CurrentEvent, toCurrent } from "@tthc/contracts";
import { describe, expect, it } from "vitest";
import { dailyDelta, dailyParts } from "../../src/domain/daily-sums.js";
import { type DossierPatch, patchOf } from "../../src/domain/patch.js";
import { APPLIED, applyRowPatch, type Row, withDerived } from "../../src/domain/row-fold.js";
import { deadlineSet, newDossier, received, resolved, transferred, verdict } from "../fixtures/events.js";

const current = (e: ReturnType<typeof received>) => toCurrent(e) as CurrentEvent;
const at = (local: string) => `${local}:00+07:00`;
const empty = (id: string): Row => ({ dossier_id: id, transfers: 0, [APPLIED]: [] });

/** Folds events, in order, onto one dossier row, as a run does. */
function fold(events: ReturnType<typeof received>[], row?: Row): Row | undefined {
  let r = row;
  for (const e of events) {
    const p = patchOf(current(e));
    if (p?.dossier) r = applyRowPatch(r, p.dossier as DossierPatch, p.eventId, empty).row;
  }
  return r && withDerived(r);
}

describe("a run's patches folded onto a dossier row (docs/decisions.md)", () => {
  const d = newDossier("H44.100", "2026-08-03");
  const rec = received(d, "online", at("2026-08-03T09:00"), at("2026-08-10T09:00"));
  const toDept = transferred(d, at("2026-08-04T09:00"), "H44.100", "H44.07");
  const back = transferred(d, at("2026-08-05T09:00"), "H44.07", "H44.100");
  const res = resolved(d, at("2026-08-06T16:00"));

  it("a transfer delivered twice, in the same run or a later one, counts once", () => {
    const once = fold([rec, toDept, back]);
    expect(once?.transfers).toBe(2);
    expect(fold([rec, toDept, toDept, back, back])).toEqual(once);
    expect(fold([toDept, back], once)).toEqual(once);
  });

  it("an older lifecycle event delivered again after a newer one changes nothing", () => {
    const done = fold([rec, toDept, back, res]);
    expect(done).toMatchObject({ state: "resolved", current_unit_code: "H44.100", end_kind: "resolved" });
    expect(fold([toDept, rec], done)).toEqual(done);
  });

  it("the monitor's newer deadline wins whatever the order within the run", () => {
    const older = deadlineSet(d, 1, at("2026-08-03T09:00"), { dueAt: at("2026-08-10T09:00") });
    const newer = deadlineSet(d, 2, at("2026-08-04T09:00"), { dueAt: at("2026-08-12T09:00") });
    const a = fold([rec, older, newer]);
    const b = fold([rec, newer, older]);
    expect(a?.due_at).toBe(at("2026-08-12T09:00"));
    expect(b?.due_at).toBe(at("2026-08-12T09:00"));
  });

  it("the end's Vietnam day: resolved 23:30 on Thu 06/08/2026 in Vietnam is the 6th, 16:30 UTC", () => {
    const late = resolved(d, at("2026-08-06T23:30"));
    const row = fold([rec, late]);
    expect(row).toMatchObject({ finished_day: "2026-08-06", received_day: "2026-08-03" });
  });

  it("a change to the daily sums is the new part less the old: a verdict moves early into the end's day", () => {
    const before = fold([rec, res]);
    const after = fold([verdict(d, 2, "early", at("2026-08-06T16:00"), at("2026-08-10T09:00"))], before);
    const delta = dailyDelta([{ before: dailyParts(before, []), after: dailyParts(after, []) }]);
    // under both attributions, on the day of the end only; the reception's day does not move
    expect(delta.map((p) => [p.attribution, p.day])).toEqual([
      ["competent", "2026-08-06"],
      ["receiving", "2026-08-06"],
    ]);
    expect(delta.every((p) => p.sums[5] === 1 && p.sums.filter((n) => n !== 0).length <= 4)).toBe(true);
    expect(dailyDelta([{ before: dailyParts(after, []), after: dailyParts(after, []) }])).toEqual([]);
  });
});
