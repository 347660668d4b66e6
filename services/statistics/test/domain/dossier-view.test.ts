import { describe, expect, it } from "vitest";
import { deadlineFlags } from "../../src/domain/dossier-view.js";

const t = (local: string) => Date.parse(`${local}:00+07:00`);
const due = t("2026-09-10T10:00");
const open = { state: "processing", dueAt: due, dueSoonAt: t("2026-09-09T10:00"), finishedAt: null };

describe("overdue and due soon in a list, by the definitions every service shares", () => {
  it("due Thu 10/09/2026 10:00: at 10:00 exactly due soon, not overdue; a millisecond later overdue", () => {
    const now = { at: due, isNow: true };
    expect(deadlineFlags(open, now)).toEqual({ overdue: false, dueSoon: true });
    expect(deadlineFlags(open, { at: due + 1, isNow: true })).toEqual({ overdue: true, dueSoon: false });
  });

  it("only an open dossier is overdue now: a resolved one past its due instant is not", () => {
    expect(
      deadlineFlags(
        { ...open, state: "resolved", finishedAt: t("2026-09-11T09:00") },
        { at: t("2026-09-12T09:00"), isNow: true },
      ),
    ).toEqual({
      overdue: false,
      dueSoon: false,
    });
  });

  it("paused before its due instant (no due instant): neither overdue nor due soon", () => {
    expect(
      deadlineFlags({ ...open, dueAt: null, dueSoonAt: null }, { at: t("2026-12-01T09:00"), isNow: true }),
    ).toEqual({
      overdue: false,
      dueSoon: false,
    });
  });

  it("at the end of a past period, a dossier finished after it was still open then", () => {
    const endOfSeptember = { at: t("2026-10-01T00:00"), isNow: false };
    const finishedLater = { ...open, state: "resolved", finishedAt: t("2026-10-05T09:00") };
    expect(deadlineFlags(finishedLater, endOfSeptember).overdue).toBe(true);
    const finishedBefore = { ...open, state: "resolved", finishedAt: t("2026-09-30T09:00") };
    expect(deadlineFlags(finishedBefore, endOfSeptember).overdue).toBe(false);
  });
});
