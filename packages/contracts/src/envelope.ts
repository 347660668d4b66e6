import { z } from "zod";
import { DossierId, EventId, Instant, StaffId, UnitCode } from "./formats.js";

/**
 * The envelope every event travels in, on `dossier.events` and `sla.events`: one JSON object whose
 * `type` and `version` select the schema of its `payload`. Each event's schema is the envelope with a
 * literal `type`, a literal `version` and its payload schema (`defineEvent`).
 *
 * Compatibility: a field may be added to a payload (consumers ignore what they do not know); a field
 * is never renamed or given another meaning. A breaking change is a new `version` of the type, and
 * consumers accept the versions side by side.
 */

/** Roles a staff member's bearer token may carry. */
export const StaffRole = z
  .enum(["reception", "specialist", "leader", "admin"])
  .meta({ description: "Staff role named by the bearer token" });
export type StaffRole = z.infer<typeof StaffRole>;

/** The staff member who acted, and the unit they acted for. Absent when the system or the applicant acted. */
export const Actor = z
  .object({
    staffId: StaffId,
    unitCode: UnitCode.meta({ description: "The unit the staff member acted for" }),
    roles: z.array(StaffRole).optional(),
  })
  .meta({ description: "Acting staff member (NguoiXuLy) and their unit" });
export type Actor = z.infer<typeof Actor>;

/** Identifier that ties together the events and requests of one piece of work (an HTTP request id, say). */
export const CorrelationId = z
  .string()
  .min(1)
  .max(200)
  .meta({ description: "Correlation id shared by every event and request of one piece of work" });
export type CorrelationId = z.infer<typeof CorrelationId>;

/** Event type name: the fact in the past tense, prefixed by its topic's subject (`dossier.`, `sla.`). */
export const EventTypeName = z
  .string()
  .regex(/^[a-z]+\.[a-z]+(-[a-z]+)*$/, "expected an event type like dossier.received")
  .meta({ description: "Event type, the fact in the past tense, e.g. dossier.received" });

/** The envelope fields shared by every event, apart from `type`, `version` and `payload`. */
export const envelopeShape = {
  id: EventId,
  occurredAt: Instant.meta({ description: "When the fact happened in the world (ThoiDiemXuLy)" }),
  recordedAt: Instant.meta({ description: "When the producing service recorded the event" }),
  dossierId: DossierId,
  unitCode: UnitCode.meta({
    description:
      "The unit where the fact happened: the acting unit; for SLA events the unit holding the dossier",
  }),
  actor: Actor.optional(),
  correlationId: CorrelationId,
  causationId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Id of the event or command that caused this event" }),
} as const;

/** Any event, its payload not yet checked: what a consumer can read before it knows the type. */
export const EventEnvelope = z
  .object({
    ...envelopeShape,
    type: EventTypeName,
    version: z.int().positive().meta({ description: "Schema version of this event type" }),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ title: "Event envelope", description: "The envelope shared by every event" });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** The topic an event goes to. */
export type EventTopic = "dossier.events" | "sla.events";

/** The service that produces an event type (the only one allowed to). */
export type Producer = "intake" | "processing" | "deadline-monitor";

interface EventSpec<T extends string, V extends number, P extends z.ZodObject> {
  readonly type: T;
  readonly version: V;
  readonly topic: EventTopic;
  readonly producer: Producer;
  /** What the fact means, for the generated documents. */
  readonly description: string;
  readonly payload: P;
}

/** Builds one event's schema: the envelope plus its literal `type`, literal `version` and payload. */
export function defineEvent<const T extends string, const V extends number, P extends z.ZodObject>(
  spec: EventSpec<T, V, P>,
) {
  const schema = z
    .object({
      ...envelopeShape,
      type: z.literal(spec.type),
      version: z.literal(spec.version),
      payload: spec.payload,
    })
    .meta({ title: `${spec.type} v${spec.version}`, description: spec.description });
  return { ...spec, schema };
}

/** One version of one event type: its schema and where it travels. */
export type EventDefinition = ReturnType<typeof defineEvent<string, number, z.ZodObject>>;
