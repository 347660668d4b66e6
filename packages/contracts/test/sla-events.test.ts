import { describe, expect, it } from "vitest";
import { parseCurrentEvent, parseEvent, toCurrent } from "../src/registry.js";
import { alertKey, DeadlineRef, SlaDeadlineSetPayload, SlaVerdictPayload } from "../src/sla-events.js";
import { dossierId, samples, samplesV1 } from "./fixtures.js";

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

describe("version 1 of the monitor's events, read as version 2", () => {
  const envelope = {
    id: "3b1d9e44-5a6f-4c1e-8f7a-2d9c0b1a4e55",
    occurredAt: "2026-05-19T10:00:00+07:00",
    recordedAt: "2026-05-19T10:00:01+07:00",
    version: 1,
  };
  it.each(Object.entries(samplesV1))("%s v1 parses, and toCurrent gives a valid v2", (type, fields) => {
    const v1 = parseEvent({ ...fields, ...envelope, type });
    expect(v1.ok && v1.value.version).toBe(1);
    if (!v1.ok) return;
    const current = toCurrent(v1.value);
    expect(current.version).toBe(2);
    const again = parseEvent(JSON.parse(JSON.stringify(current)));
    expect(again.ok || again.error.message).toBe(true);
  });

  it("a v1 deadline keeps its due instant and steps, older than any v2 of the dossier (sequence 0)", () => {
    const parsed = parseCurrentEvent({
      ...samplesV1["sla.deadline-set"],
      ...envelope,
      type: "sla.deadline-set",
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.value.type !== "sla.deadline-set") return;
    expect(parsed.value.payload).toMatchObject({
      sequence: 0,
      dueAt: "2026-06-01T10:00:00+07:00",
      reason: "resumed",
      clockBasis: "acceptance",
    });
    expect(parsed.value.payload.steps.map((s) => [s.runNo, s.stepId, s.dueAt])).toEqual([
      [1, "reception", "2026-05-04T15:15:00+07:00"],
      [2, "review", "2026-05-27T15:15:00+07:00"],
      [3, "approval", "2026-06-01T10:00:00+07:00"],
    ]);
  });
});
