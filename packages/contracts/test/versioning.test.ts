import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dossierAssignedV1 } from "../src/dossier-events.js";
import { defineEvent } from "../src/envelope.js";
import { DossierCode, StaffId, StepId } from "../src/formats.js";
import { createEventRegistry } from "../src/registry.js";

/**
 * A breaking change is a new version, accepted beside the old one. Here a made-up v2 of
 * dossier.assigned groups the assignee into an object; consumers built with both read both.
 */
const dossierAssignedV2 = defineEvent({
  type: "dossier.assigned",
  version: 2,
  topic: "dossier.events",
  producer: "processing",
  description: "v2 for the test: the assignee as an object",
  payload: z.object({
    dossierCode: DossierCode,
    stepId: StepId,
    assignee: z.object({ staffId: StaffId, name: z.string().nullable() }),
  }),
});

const envelope = {
  id: "7d0c2b8a-3f4e-4a6b-8c9d-0e1f2a3b4c5d",
  type: "dossier.assigned",
  occurredAt: "2026-05-04T10:05:00+07:00",
  recordedAt: "2026-05-04T10:05:01+07:00",
  dossierId: "0f8e6c1e-4b7a-4c2d-9e3f-1a2b3c4d5e6f",
  unitCode: "H44.100",
  correlationId: "req-1",
};
const v1 = {
  ...envelope,
  version: 1,
  payload: {
    dossierCode: "000.00.100.H44-260504-0007",
    stepId: "review",
    assigneeStaffId: "staff-0107",
    assigneeName: null,
    previousAssigneeStaffId: null,
  },
};
const v2 = {
  ...envelope,
  version: 2,
  payload: {
    dossierCode: "000.00.100.H44-260504-0007",
    stepId: "review",
    assignee: { staffId: "staff-0107", name: null },
  },
};

describe("versions side by side", () => {
  const registry = createEventRegistry([dossierAssignedV1, dossierAssignedV2]);

  it("accepts v1 and v2 of the same type, each by its own schema", () => {
    const one = registry.parse(v1);
    const two = registry.parse(v2);
    expect(one.ok && one.value.version).toBe(1);
    expect(two.ok && two.value.version).toBe(2);
    expect(registry.versions("dossier.assigned")).toEqual([1, 2]);
  });

  it("does not read a v2 body under v1", () => {
    const result = registry.parse({ ...v2, version: 1 });
    expect(result.ok || result.error.message).toMatch(/^payload\.assigneeStaffId: /);
  });

  it("the union schema dispatches on type, then on version", () => {
    expect(registry.schema.parse(v1)).toMatchObject({ version: 1 });
    expect(registry.schema.parse(v2)).toMatchObject({ version: 2 });
    expect(registry.schema.safeParse({ ...v2, version: 3 }).success).toBe(false);
  });

  it("refuses a version it does not know, naming those it does", () => {
    const result = registry.parse({ ...v2, version: 3 });
    expect(result.ok || result.error.message).toBe(
      "version: unknown version 3 of dossier.assigned (known: 1, 2)",
    );
  });

  it("a build that only knows v1 says so for v2 instead of misreading it", () => {
    const old = createEventRegistry([dossierAssignedV1]);
    const result = old.parse(v2);
    expect(result.ok || result.error.kind).toBe("unknown_version");
  });

  it("refuses to define the same version twice", () => {
    expect(() => createEventRegistry([dossierAssignedV1, dossierAssignedV1])).toThrow(
      "event dossier.assigned v1 is defined twice",
    );
  });
});
