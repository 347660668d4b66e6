import { z } from "zod";
import {
  dossierAssignedV1,
  dossierExtendedV1,
  dossierPaymentReceivedV1,
  dossierPaymentRequestedV1,
  dossierResolvedV1,
  dossierReturnedV1,
  dossierStoppedV1,
  dossierSupplementReceivedV1,
  dossierSupplementRequestedV1,
  dossierTransferredV1,
  dossierWithdrawalRequestedV1,
} from "./dossier-events.js";
import type { EventDefinition, EventTopic } from "./envelope.js";
import { ContractViolation, customIssue, decodeJson, failure, type ParseResult } from "./parse-result.js";
import {
  dossierReceivedV1,
  dossierSubmissionRefusedV1,
  dossierSubmissionStoppedV1,
  dossierSubmissionSupplementReceivedV1,
  dossierSubmissionSupplementRequestedV1,
  dossierSubmittedV1,
} from "./reception-events.js";
import {
  slaAcceptanceDeadlineSetV1,
  slaAcceptanceVerdictV1,
  slaDeadlineSetV2,
  slaDueSoonV2,
  slaOverdueV2,
  slaVerdictV2,
} from "./sla-events.js";
import { slaDeadlineSetV1, slaDueSoonV1, slaOverdueV1, slaVerdictV1 } from "./sla-events-v1.js";
import { upcastDeadlineSet, upcastDueSoon, upcastOverdue, upcastVerdict } from "./sla-upcast.js";

/**
 * The registry of event schemas, `(type, version) → schema`. A breaking change to an event adds a
 * definition with the next version beside the old one; consumers keep accepting both until no
 * producer writes the old one and no history holds it (and `dossier.events` keeps history forever).
 */
export interface EventRegistry<E extends { readonly type: string; readonly version: number }> {
  readonly definitions: readonly EventDefinition[];
  /** Every event type, sorted. */
  readonly types: readonly string[];
  /** The schema of one version of one type, if known. */
  definition(type: string, version: number): EventDefinition | undefined;
  /** The known versions of a type, ascending; empty for an unknown type. */
  versions(type: string): readonly number[];
  /** A zod schema accepting any known event: a union on `type`, then on `version`. */
  readonly schema: z.ZodType<E>;
  /** Parses bytes, text or a value as an event; never throws. */
  parse(input: unknown): ParseResult<E>;
}

/** Builds a registry from event definitions; throws if one `(type, version)` is defined twice. */
export function createEventRegistry<const D extends readonly EventDefinition[]>(
  definitions: D,
): EventRegistry<z.output<D[number]["schema"]>> {
  type E = z.output<D[number]["schema"]>;
  const byType = new Map<string, Map<number, EventDefinition>>();
  for (const def of definitions) {
    const versions = byType.get(def.type) ?? new Map<number, EventDefinition>();
    if (versions.has(def.version)) throw new Error(`event ${def.type} v${def.version} is defined twice`);
    versions.set(def.version, def);
    byType.set(def.type, versions);
  }
  const types = [...byType.keys()].sort();
  const versionsOf = (type: string): number[] => [...(byType.get(type)?.keys() ?? [])].sort((a, b) => a - b);

  const perType = types.map((type) => {
    const schemas = versionsOf(type).map((v) => byType.get(type)?.get(v)?.schema as z.ZodObject);
    return schemas.length === 1
      ? (schemas[0] as z.ZodObject)
      : z.discriminatedUnion("version", schemas as [z.ZodObject, ...z.ZodObject[]]);
  });
  const schema = z.discriminatedUnion(
    "type",
    perType as [z.ZodObject, ...z.ZodObject[]],
  ) as unknown as z.ZodType<E>;

  function parse(input: unknown): ParseResult<E> {
    const json = decodeJson(input);
    if (!json.ok) return failure("invalid_json", json.error.issues);
    const value = json.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return failure("invalid", [customIssue([], "expected an event object", value)]);
    }
    const { type, version } = value as { type?: unknown; version?: unknown };
    if (typeof type !== "string")
      return failure("invalid", [customIssue(["type"], "expected an event type", type)]);
    const versions = byType.get(type);
    if (!versions)
      return failure("unknown_type", [customIssue(["type"], `unknown event type "${type}"`, type)]);
    if (typeof version !== "number" || !Number.isInteger(version)) {
      return failure("invalid", [customIssue(["version"], "expected an integer version", version)]);
    }
    const def = versions.get(version);
    if (!def) {
      const known = versionsOf(type).join(", ");
      return failure("unknown_version", [
        customIssue(["version"], `unknown version ${version} of ${type} (known: ${known})`, version),
      ]);
    }
    const parsed = def.schema.safeParse(value);
    if (!parsed.success) return failure("invalid", parsed.error.issues);
    return { ok: true, value: parsed.data as E };
  }

  return {
    definitions,
    types,
    definition: (type, version) => byType.get(type)?.get(version),
    versions: versionsOf,
    schema,
    parse,
  };
}

/** Every version of every event type this build knows. */
export const eventDefinitions = [
  dossierSubmittedV1,
  dossierSubmissionRefusedV1,
  dossierSubmissionSupplementRequestedV1,
  dossierSubmissionSupplementReceivedV1,
  dossierSubmissionStoppedV1,
  dossierReceivedV1,
  dossierAssignedV1,
  dossierTransferredV1,
  dossierSupplementRequestedV1,
  dossierSupplementReceivedV1,
  dossierPaymentRequestedV1,
  dossierPaymentReceivedV1,
  dossierStoppedV1,
  dossierExtendedV1,
  dossierResolvedV1,
  dossierReturnedV1,
  dossierWithdrawalRequestedV1,
  slaDeadlineSetV1,
  slaDueSoonV1,
  slaOverdueV1,
  slaVerdictV1,
  slaDeadlineSetV2,
  slaDueSoonV2,
  slaOverdueV2,
  slaVerdictV2,
  slaAcceptanceDeadlineSetV1,
  slaAcceptanceVerdictV1,
] as const;

/** The version of each type that producers write now (`createEvent`). */
export const latestEventDefinitions = {
  "dossier.submitted": dossierSubmittedV1,
  "dossier.submission-refused": dossierSubmissionRefusedV1,
  "dossier.submission-supplement-requested": dossierSubmissionSupplementRequestedV1,
  "dossier.submission-supplement-received": dossierSubmissionSupplementReceivedV1,
  "dossier.submission-stopped": dossierSubmissionStoppedV1,
  "dossier.received": dossierReceivedV1,
  "dossier.assigned": dossierAssignedV1,
  "dossier.transferred": dossierTransferredV1,
  "dossier.supplement-requested": dossierSupplementRequestedV1,
  "dossier.supplement-received": dossierSupplementReceivedV1,
  "dossier.payment-requested": dossierPaymentRequestedV1,
  "dossier.payment-received": dossierPaymentReceivedV1,
  "dossier.stopped": dossierStoppedV1,
  "dossier.extended": dossierExtendedV1,
  "dossier.resolved": dossierResolvedV1,
  "dossier.returned": dossierReturnedV1,
  "dossier.withdrawal-requested": dossierWithdrawalRequestedV1,
  "sla.deadline-set": slaDeadlineSetV2,
  "sla.due-soon": slaDueSoonV2,
  "sla.overdue": slaOverdueV2,
  "sla.verdict": slaVerdictV2,
  "sla.acceptance-deadline-set": slaAcceptanceDeadlineSetV1,
  "sla.acceptance-verdict": slaAcceptanceVerdictV1,
} as const;

/** Any event of any known type and version. */
export type AnyEvent = z.output<(typeof eventDefinitions)[number]["schema"]>;
/** An event type name, e.g. `dossier.received`. */
export type EventType = AnyEvent["type"];
/** The events of one type, every known version. */
export type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;
/** The events of `dossier.events`. */
export type DossierEvent = Extract<AnyEvent, { type: `dossier.${string}` }>;
/** The events of `sla.events`. */
export type SlaEvent = Extract<AnyEvent, { type: `sla.${string}` }>;

/** An event in the version producers write now: what consumers handle after `toCurrent`. */
export type CurrentEvent = z.output<(typeof latestEventDefinitions)[EventType]["schema"]>;
/** The current version of one type. */
export type CurrentEventOf<T extends EventType> = Extract<CurrentEvent, { type: T }>;

/**
 * Any known version of an event as its current version (sla-upcast.ts), so that a consumer reads
 * the history of a topic with the code it uses for new events.
 */
export function toCurrent(event: AnyEvent): CurrentEvent {
  if (event.type === "sla.deadline-set" && event.version === 1) return upcastDeadlineSet(event);
  if (event.type === "sla.due-soon" && event.version === 1) return upcastDueSoon(event);
  if (event.type === "sla.overdue" && event.version === 1) return upcastOverdue(event);
  if (event.type === "sla.verdict" && event.version === 1) return upcastVerdict(event);
  return event as CurrentEvent;
}

/** Parses an event of any known version and returns its current version. Never throws. */
export function parseCurrentEvent(input: unknown): ParseResult<CurrentEvent> {
  const parsed = eventRegistry.parse(input);
  return parsed.ok ? { ok: true, value: toCurrent(parsed.value) } : parsed;
}

/** The registry of this build's events. */
export const eventRegistry = createEventRegistry(eventDefinitions);

/** A zod schema accepting any known event (union on `type`, then `version`). */
export const AnyEventSchema = eventRegistry.schema;

/** Every event type name, sorted. */
export const eventTypes = eventRegistry.types as readonly EventType[];

/**
 * Parses an event from bytes (a Kafka message value), text or a parsed value. Never throws: returns
 * `{ ok: true, value }` or `{ ok: false, error }` with the kind of failure and zod's issues.
 */
export function parseEvent(input: unknown): ParseResult<AnyEvent> {
  return eventRegistry.parse(input);
}

/** Like `parseEvent`, but throws a `ContractViolation` (for code that cannot go on without the event). */
export function assertEvent(input: unknown): AnyEvent {
  const result = parseEvent(input);
  if (!result.ok) throw new ContractViolation(result.error);
  return result.value;
}

/** Whether `type` names a known event type. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(latestEventDefinitions, type);
}

/** Narrows an event to one type. */
export function isEventOfType<T extends EventType>(event: AnyEvent, type: T): event is EventOf<T> {
  return event.type === type;
}

/** Whether the event belongs on `dossier.events`. */
export function isDossierEvent(event: AnyEvent): event is DossierEvent {
  return event.type.startsWith("dossier.");
}

/** Whether the event belongs on `sla.events`. */
export function isSlaEvent(event: AnyEvent): event is SlaEvent {
  return event.type.startsWith("sla.");
}

/** The topic an event type goes to. */
export function topicOfEvent(type: EventType): EventTopic {
  return latestEventDefinitions[type].topic;
}
