import { holds, toSql } from "@tthc/calendar";
import { describe, expect, it } from "vitest";
import * as p from "../src/acceptance-predicates.js";

const t = (local: string) => Date.parse(`${local}:00+07:00`);
/** November 2026, judged at its end. */
const november = { start: t("2026-11-01T00:00"), end: t("2026-12-01T00:00"), at: t("2026-12-01T00:00") };

const submission = (s: Partial<Record<string, number | string | null>>) => ({
  ...november,
  submittedAt: t("2026-11-20T09:00"),
  decidedAt: null,
  outcome: null,
  verdict: null,
  dueAt: null,
  ...s,
});

describe("which online submissions the acceptance figures of November 2026 count", () => {
  it("accepted on 25/11 within the deadline is decided in November and on time", () => {
    const s = submission({ decidedAt: t("2026-11-25T09:00"), outcome: "accepted", verdict: "on_time" });
    expect(holds(p.acceptanceDecidedIn, s)).toBe(true);
    expect(holds(p.acceptanceOnTime, s)).toBe(true);
    expect(holds(p.acceptanceWaiting, s)).toBe(false);
  });

  it("refused late is decided but not on time; closed by the applicant is not a decision", () => {
    const refused = submission({ decidedAt: t("2026-11-25T09:00"), outcome: "refused", verdict: "late" });
    expect(holds(p.acceptanceDecidedIn, refused)).toBe(true);
    expect(holds(p.acceptanceOnTime, refused)).toBe(false);
    const closed = submission({ decidedAt: t("2026-11-25T09:00"), outcome: "stopped" });
    expect(holds(p.acceptanceDecidedIn, closed)).toBe(false);
  });

  it("accepted at 00:00 on 1 December is still waiting at the end of November", () => {
    const s = submission({
      decidedAt: t("2026-12-01T00:00"),
      outcome: "accepted",
      dueAt: t("2026-11-23T09:00"),
    });
    expect(holds(p.acceptanceDecidedIn, s)).toBe(false);
    expect(holds(p.acceptanceWaiting, s)).toBe(true);
    expect(holds(p.acceptanceOverdue, s)).toBe(true);
  });

  it("a submission back with the applicant (no deadline running) waits but is never overdue", () => {
    const s = submission({ dueAt: null });
    expect(holds(p.acceptanceWaiting, s)).toBe(true);
    expect(holds(p.acceptanceOverdue, s)).toBe(false);
  });

  it("due exactly at the instant judged is within; a millisecond earlier it is overdue", () => {
    expect(holds(p.acceptanceOverdue, submission({ dueAt: november.at }))).toBe(false);
    expect(holds(p.acceptanceOverdue, submission({ dueAt: november.at - 1 }))).toBe(true);
  });

  it("renders the same boundaries for SQL", () => {
    expect(toSql(p.acceptanceOverdue, (n) => n)).toContain("(at > dueAt)");
  });
});
