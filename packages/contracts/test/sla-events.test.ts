import { describe, expect, it } from "vitest";
import { alertKey, DeadlineRef, SlaDeadlineSetPayload, SlaVerdictPayload } from "../src/sla-events.js";
import { dossierId, samples } from "./fixtures.js";

describe("sla events", () => {
  it("an alert is keyed once per dossier and deadline, whatever offset wrote the instant", () => {
    const deadline = samples["sla.overdue"].payload.deadline;
    const same = { ...deadline, dueAt: "2026-05-27T08:15:00Z" };
    expect(alertKey(dossierId, DeadlineRef.parse(same))).toBe(
      alertKey(dossierId, DeadlineRef.parse(deadline)),
    );
    const moved = { ...deadline, dueAt: "2026-05-28T15:15:00+07:00" };
    expect(alertKey(dossierId, moved)).not.toBe(alertKey(dossierId, deadline));
    expect(alertKey(dossierId, deadline)).toBe(`${dossierId}|step|review|2026-05-27T08:15:00.000Z`);
  });

  it("a step deadline names its step, the dossier's does not", () => {
    const dossierWide = {
      kind: "dossier",
      stepId: "review",
      unitCode: "H44.100",
      dueAt: "2026-06-01T10:00:00+07:00",
    };
    expect(DeadlineRef.safeParse(dossierWide).error?.issues[0]?.path).toEqual(["stepId"]);
    expect(DeadlineRef.safeParse({ ...dossierWide, kind: "step", stepId: null }).success).toBe(false);
  });

  it("the due-soon warning comes before the due instant", () => {
    const payload = samples["sla.deadline-set"].payload;
    const after = SlaDeadlineSetPayload.safeParse({ ...payload, dueSoonAt: "2026-06-01T10:00:01+07:00" });
    expect(after.error?.issues[0]?.message).toBe("dueSoonAt must not be after dueAt");
  });

  it("a verdict reports whether an extension's promise was kept, only when there was one", () => {
    const payload = samples["sla.verdict"].payload;
    const kept = {
      ...payload,
      verdict: "late",
      extendedDueAt: "2026-06-05T10:00:00+07:00",
      extensionPromiseKept: true,
    };
    expect(SlaVerdictPayload.safeParse(kept).success).toBe(true);
    const orphan = { ...payload, extensionPromiseKept: false };
    expect(SlaVerdictPayload.safeParse(orphan).error?.issues[0]?.path).toEqual(["extensionPromiseKept"]);
  });

  it("a verdict is early, on_time or late: an open dossier is never judged", () => {
    const payload = samples["sla.verdict"].payload;
    expect(SlaVerdictPayload.safeParse({ ...payload, verdict: "on_time" }).success).toBe(true);
    expect(SlaVerdictPayload.safeParse({ ...payload, verdict: "overdue" }).success).toBe(false);
  });
});
