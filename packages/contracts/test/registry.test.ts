import { describe, expect, it } from "vitest";
import { createEvent } from "../src/create-event.js";
import { ContractViolation } from "../src/parse-result.js";
import {
  AnyEventSchema,
  assertEvent,
  eventDefinitions,
  eventRegistry,
  eventTypes,
  isDossierEvent,
  isEventOfType,
  isEventType,
  isSlaEvent,
  parseEvent,
  topicOfEvent,
} from "../src/registry.js";
import { fixedNow, samples } from "./fixtures.js";

/** The lifecycle and monitor events every service relies on. */
const lifecycleTypes = [
  "dossier.received",
  "dossier.assigned",
  "dossier.transferred",
  "dossier.supplement-requested",
  "dossier.supplement-received",
  "dossier.payment-requested",
  "dossier.payment-received",
  "dossier.stopped",
  "dossier.extended",
  "dossier.resolved",
  "dossier.returned",
  "dossier.withdrawal-requested",
  "sla.deadline-set",
  "sla.due-soon",
  "sla.overdue",
  "sla.verdict",
];

const build = <T extends keyof typeof samples>(type: T) =>
  createEvent(type, samples[type], { now: () => fixedNow });

function validReceived(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(build("dossier.received"))) as Record<string, unknown>;
}

function withPayload(event: Record<string, unknown>, change: (p: Record<string, unknown>) => void) {
  const payload = { ...(event.payload as Record<string, unknown>) };
  change(payload);
  return { ...event, payload };
}

describe("the event registry", () => {
  it("knows every lifecycle and monitor event type", () => {
    for (const type of lifecycleTypes) expect(eventTypes).toContain(type);
  });

  it("knows the intake events about submissions not (yet) received", () => {
    expect(eventTypes).toEqual(
      expect.arrayContaining([
        "dossier.submitted",
        "dossier.submission-refused",
        "dossier.submission-supplement-requested",
        "dossier.submission-supplement-received",
        "dossier.submission-stopped",
      ]),
    );
  });

  it("has exactly one definition per (type, version), each with a sample", () => {
    const keys = eventDefinitions.map((d) => `${d.type}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(samples).sort()).toEqual([...eventTypes]);
  });

  it.each([...eventTypes])("%s survives JSON and parses back to the same event", (type) => {
    const event = build(type);
    const bytes = Buffer.from(JSON.stringify(event));
    const parsed = parseEvent(bytes);
    expect(parsed).toEqual({ ok: true, value: event });
    expect(AnyEventSchema.parse(JSON.parse(bytes.toString()))).toEqual(event);
  });

  it("routes dossier facts to dossier.events and monitor facts to sla.events", () => {
    for (const def of eventDefinitions) {
      expect(def.topic).toBe(def.type.startsWith("sla.") ? "sla.events" : "dossier.events");
      expect(topicOfEvent(def.type)).toBe(def.topic);
      expect(def.producer === "deadline-monitor").toBe(def.topic === "sla.events");
    }
  });

  it("narrows with the type guards", () => {
    const received = build("dossier.received");
    const verdict = build("sla.verdict");
    expect(isDossierEvent(received)).toBe(true);
    expect(isSlaEvent(received)).toBe(false);
    expect(isSlaEvent(verdict)).toBe(true);
    expect(isEventOfType(received, "dossier.received")).toBe(true);
    expect(isEventOfType(verdict, "dossier.received")).toBe(false);
    if (isEventOfType(verdict, "sla.verdict")) expect(verdict.payload.verdict).toBe("early");
    expect(isEventType("dossier.received")).toBe(true);
    expect(isEventType("dossier.teleported")).toBe(false);
  });
});

describe("parseEvent refuses bad events, never throwing, with a readable path", () => {
  it("a missing payload field", () => {
    const bad = withPayload(validReceived(), (p) => {
      delete p.dossierCode;
    });
    const result = parseEvent(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("invalid");
    expect(result.error.issues[0]?.path).toEqual(["payload", "dossierCode"]);
    expect(result.error.message).toMatch(/^payload\.dossierCode: /);
  });

  it("a missing envelope field", () => {
    const { correlationId: _dropped, ...bad } = validReceived();
    const result = parseEvent(bad);
    expect(result.ok || result.error.message).toMatch(/^correlationId: /);
  });

  it("a field of the wrong type", () => {
    const bad = withPayload(validReceived(), (p) => {
      p.maxSupplementRequests = "two";
    });
    const result = parseEvent(bad);
    expect(result.ok || result.error.message).toMatch(/payload\.maxSupplementRequests: .*expected number/);
  });

  it("a nested field, with its index in the path", () => {
    const bad = withPayload(validReceived(), (p) => {
      const steps = p.steps as Record<string, unknown>[];
      p.steps = [steps[0], { ...steps[1], unitCode: "Việt Trì" }];
    });
    const result = parseEvent(bad);
    expect(result.ok || result.error.message).toMatch(/^payload\.steps\[1\]\.unitCode: expected a unit code/);
  });

  it("an instant without an offset", () => {
    const result = parseEvent({ ...validReceived(), occurredAt: "2026-05-04T10:00:00" });
    expect(result.ok || result.error.message).toBe(
      "occurredAt: expected an ISO 8601 instant with an offset, e.g. 2026-02-10T09:00:00+07:00",
    );
  });

  it("an impossible date", () => {
    const bad = withPayload(validReceived(), (p) => {
      p.dueAt = "2026-02-30T10:00:00+07:00";
    });
    expect(parseEvent(bad).ok).toBe(false);
  });

  it("an unknown type", () => {
    const result = parseEvent({ ...validReceived(), type: "dossier.teleported" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown_type");
    expect(result.error.message).toBe('type: unknown event type "dossier.teleported"');
  });

  it("an unknown version, naming the known ones", () => {
    const result = parseEvent({ ...validReceived(), version: 7 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe("unknown_version");
    expect(result.error.message).toBe("version: unknown version 7 of dossier.received (known: 1)");
  });

  it("a version that is not an integer", () => {
    const result = parseEvent({ ...validReceived(), version: "1" });
    expect(result.ok || result.error.message).toBe("version: expected an integer version");
  });

  it("bytes that are not JSON, and JSON that is not an object", () => {
    const notJson = parseEvent(Buffer.from("{ not json"));
    expect(notJson.ok || notJson.error.kind).toBe("invalid_json");
    const array = parseEvent("[1, 2]");
    expect(array.ok || array.error.message).toBe("expected an event object");
    expect(parseEvent(null).ok).toBe(false);
    const noType = parseEvent({ version: 1 });
    expect(noType.ok || noType.error.message).toBe("type: expected an event type");
  });

  it("personal data on dossier.received", () => {
    const bad = withPayload(validReceived(), (p) => {
      p.applicantName = "Nguyễn Văn A";
      p.identityNumber = "025090001234";
    });
    const result = parseEvent(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => i.path.join("."))).toEqual([
      "payload.applicantName",
      "payload.identityNumber",
    ]);
    expect(result.error.message).toContain("payload.applicantName: personal data must stay in intake");
  });

  it("an applicant object on any dossier event", () => {
    const returned = JSON.parse(JSON.stringify(build("dossier.returned"))) as Record<string, unknown>;
    const bad = withPayload(returned, (p) => {
      p.applicant = { name: "Nguyễn Văn A", phone: "0912345678" };
    });
    const result = parseEvent(bad);
    expect(result.ok || result.error.message).toBe(
      "payload.applicant: personal data must stay in intake: remove this field",
    );
  });

  it("tolerates a field added by a newer producer (and drops it)", () => {
    const newer = withPayload(validReceived(), (p) => {
      p.priority = "high";
    });
    const result = parseEvent(newer);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.payload).not.toHaveProperty("priority");
  });

  it("assertEvent throws the same error as a ContractViolation", () => {
    expect(() => assertEvent({ ...validReceived(), type: "nope.nope" })).toThrow(ContractViolation);
    expect(assertEvent(validReceived()).type).toBe("dossier.received");
  });

  it("the registry lists the versions of a type", () => {
    expect(eventRegistry.versions("dossier.received")).toEqual([1]);
    expect(eventRegistry.versions("nope")).toEqual([]);
    expect(eventRegistry.definition("sla.verdict", 1)?.producer).toBe("deadline-monitor");
  });
});
