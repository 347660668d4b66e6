import { holds, toSql } from "@tthc/calendar";
import { describe, expect, it } from "vitest";
import * as p from "../src/predicates.js";

const t = (local: string) => Date.parse(`${local}:00+07:00`);
/** August 2026, judged at its end. */
const august = { start: t("2026-08-01T00:00"), end: t("2026-09-01T00:00"), at: t("2026-09-01T00:00") };

const dossier = (d: Partial<Record<string, number | string | null>>) => ({
  ...august,
  receivedAt: null,
  finishedAt: null,
  dueAt: null,
  dueSoonAt: null,
  verdict: null,
  endKind: null,
  ...d,
});

describe("which dossiers a figure of August 2026 counts", () => {
  it("received at 00:00 on 1 August is August's; at 00:00 on 1 September is not", () => {
    expect(holds(p.receivedIn, dossier({ receivedAt: t("2026-08-01T00:00") }))).toBe(true);
    expect(holds(p.receivedIn, dossier({ receivedAt: t("2026-09-01T00:00") }))).toBe(false);
  });

  it("every dossier of H(P) is either finished in P or open at its end, never both", () => {
    const cases = [
      dossier({ receivedAt: t("2026-07-20T09:00") }),
      dossier({ receivedAt: t("2026-07-20T09:00"), finishedAt: t("2026-08-01T00:00") }),
      dossier({ receivedAt: t("2026-08-05T09:00"), finishedAt: t("2026-08-31T23:59") }),
      dossier({ receivedAt: t("2026-08-05T09:00"), finishedAt: t("2026-09-01T00:00") }),
      dossier({ receivedAt: t("2026-07-01T09:00"), finishedAt: t("2026-07-31T23:59") }),
    ];
    for (const d of cases) {
      const inH = holds(p.handled, d);
      expect([holds(p.finishedIn, d), holds(p.openAtEnd, d)].filter(Boolean).length).toBe(inH ? 1 : 0);
    }
    expect(cases.map((d) => holds(p.handled, d))).toEqual([true, true, true, true, false]);
  });

  it("an open dossier due exactly at the instant judged is within; a millisecond later it is overdue", () => {
    const due = august.at;
    expect(holds(p.openWithin, dossier({ receivedAt: t("2026-08-10T09:00"), dueAt: due }))).toBe(true);
    expect(holds(p.openOverdue, dossier({ receivedAt: t("2026-08-10T09:00"), dueAt: due }))).toBe(false);
    expect(holds(p.openOverdue, dossier({ receivedAt: t("2026-08-10T09:00"), dueAt: due - 1 }))).toBe(true);
  });

  it("a paused dossier whose due instant is unknown counts as not yet due", () => {
    expect(holds(p.openWithin, dossier({ receivedAt: t("2026-08-10T09:00"), dueAt: null }))).toBe(true);
    expect(holds(p.onTime766, dossier({ receivedAt: t("2026-08-10T09:00"), dueAt: null }))).toBe(true);
  });

  it("the finished-only numerator takes resolved dossiers only, not a withdrawal judged on time", () => {
    const withdrawn = dossier({
      receivedAt: t("2026-08-10T09:00"),
      finishedAt: t("2026-08-11T09:00"),
      verdict: "early",
      endKind: "stopped",
    });
    expect(holds(p.onTime766, withdrawn)).toBe(true);
    expect(holds(p.resolvedOnTime, withdrawn)).toBe(false);
  });

  it("renders the same boundaries for SQL", () => {
    const sql = toSql(p.openOverdue, (name) => name);
    expect(sql).toContain("(at > dueAt)");
    expect(sql).toContain("(receivedAt < end)");
    expect(toSql(p.finishedIn, (n) => n)).toBe("((start <= finishedAt) AND (finishedAt < end))");
  });
});
