import { describe, expect, it } from "vitest";
import { CalendarError } from "../src/errors.js";
import { type ProcessStep, splitByUnit } from "../src/split.js";
import { formatLocal } from "../src/time.js";
import { latest, vn } from "./helpers.js";

const calendar = latest();
const quarter = { amount: 0.25, unit: "days" } as const;
/** docs/domain.md's example process of a 1.5-day procedure: reception, assignment, review, head of division, approval. */
const steps: ProcessStep[] = [
  { id: "reception", unitCode: "H44.100", budget: quarter },
  { id: "assignment", unitCode: "H44.07", budget: quarter },
  { id: "review", unitCode: "H44.07", budget: { amount: 0.5, unit: "days" } },
  { id: "head", unitCode: "H44.07", budget: quarter },
  { id: "approval", unitCode: "H44", budget: quarter },
];

describe("split of working time between units on transfer", () => {
  it("gives each unit its planned share: reception 0.25, the department 1.0, approval 0.25 of 1.5 days", () => {
    const result = splitByUnit({ calendar, steps, runs: [], at: vn("2026-03-09 07:30") });
    expect(result.totalBudgetMinutes).toBe(675);
    expect(result.units.map((u) => [u.unitCode, u.budgetMinutes, u.share])).toEqual([
      ["H44.100", 112.5, 0.25 / 1.5],
      ["H44.07", 450, 1 / 1.5],
      ["H44", 112.5, 0.25 / 1.5],
    ]);
  });

  it("blames the review step (and so H44.07) that ran over, not the approval that started late because of it", () => {
    const result = splitByUnit({
      calendar,
      steps,
      at: vn("2026-03-12 17:00"),
      runs: [
        { stepId: "reception", startedAt: vn("2026-03-09 07:30"), endedAt: vn("2026-03-09 09:00") },
        { stepId: "assignment", startedAt: vn("2026-03-09 09:00"), endedAt: vn("2026-03-09 10:00") },
        { stepId: "review", startedAt: vn("2026-03-09 10:00"), endedAt: vn("2026-03-11 10:00") },
        { stepId: "head", startedAt: vn("2026-03-11 10:00"), endedAt: vn("2026-03-11 11:00") },
        { stepId: "approval", startedAt: vn("2026-03-11 11:00"), endedAt: vn("2026-03-11 14:00") },
      ],
    });
    const review = result.steps.find((s) => s.stepId === "review");
    expect(formatLocal((review?.deadlineAt ?? new Date(0)).getTime())).toBe("Mon 09/03/2026 15:45");
    expect(review?.usedMinutes).toBe(900);
    expect(review?.overrunMinutes).toBe(675);
    expect(result.steps.filter((s) => s.late).map((s) => s.stepId)).toEqual(["review"]);
    expect(result.unitsAtFault).toEqual(["H44.07"]);
    expect(result.totalUsedMinutes).toBe(90 + 60 + 900 + 60 + 60);
  });

  it("does not charge a supplement pause to the step it falls in", () => {
    const result = splitByUnit({
      calendar,
      steps,
      at: vn("2026-03-20 17:00"),
      pauses: [{ from: vn("2026-03-09 10:30"), to: vn("2026-03-16 10:30") }],
      runs: [{ stepId: "review", startedAt: vn("2026-03-09 10:00"), endedAt: vn("2026-03-16 13:30") }],
    });
    expect(result.steps[0]?.usedMinutes).toBe(90);
    expect(result.steps[0]?.late).toBe(false);
    expect(formatLocal((result.steps[0]?.deadlineAt ?? new Date(0)).getTime())).toBe("Mon 16/03/2026 15:45");
  });

  it("judges an open step at the given instant, and a step sent back shares its budget across runs", () => {
    const result = splitByUnit({
      calendar,
      steps,
      at: vn("2026-03-10 08:00"),
      runs: [
        { stepId: "head", startedAt: vn("2026-03-09 07:30"), endedAt: vn("2026-03-09 09:00") },
        { stepId: "head", startedAt: vn("2026-03-09 16:00"), endedAt: null },
      ],
    });
    const [first, second] = result.steps;
    expect(first?.budgetMinutes).toBe(112.5);
    expect(second?.budgetMinutes).toBe(22.5);
    expect(second?.open).toBe(true);
    expect(second?.late).toBe(true);
    expect(result.unitsAtFault).toEqual(["H44.07"]);
  });

  it("refuses a run of an unknown step and a step without a fixed budget", () => {
    expect(() =>
      splitByUnit({
        calendar,
        steps,
        at: vn("2026-03-09 07:30"),
        runs: [{ stepId: "nope", startedAt: vn("2026-03-09 07:30") }],
      }),
    ).toThrow(CalendarError);
    expect(() =>
      splitByUnit({
        calendar,
        steps: [{ id: "x", unitCode: "U", budget: { amount: 1, unit: "within-day" } }],
        runs: [],
        at: vn("2026-03-09 07:30"),
      }),
    ).toThrow(expect.objectContaining({ code: "SPLIT_INVALID_STEPS" }));
  });
});
