import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { formatInstant } from "./formats.js";
import { ContractViolation, contractError } from "./parse-result.js";
import { type EventType, latestEventDefinitions } from "./registry.js";

type Latest = typeof latestEventDefinitions;

/** The event a producer writes now for a type: its latest version. */
export type LatestEvent<T extends EventType> = z.output<Latest[T]["schema"]>;

/**
 * What a producer gives `createEvent`: everything but `type` and `version`; `id`, `recordedAt` and
 * `occurredAt` may be given and are filled in otherwise.
 */
export type EventFields<T extends EventType> = Omit<
  z.input<Latest[T]["schema"]>,
  "id" | "type" | "version" | "recordedAt" | "occurredAt"
> & { id?: string; recordedAt?: string; occurredAt?: string };

export interface CreateEventOptions {
  /** The clock; `recordedAt` (and `occurredAt` when not given) is its current instant in Vietnam time. */
  readonly now?: () => Date;
  /** The event id generator. */
  readonly newId?: () => string;
}

/**
 * Builds an event of the latest version of `type`: fills `id`, `version`, `recordedAt` (and
 * `occurredAt` when absent: the fact happened as it is recorded) and validates the whole. Throws a
 * `ContractViolation` naming each bad field: an invalid event is a bug in the producer, never sent.
 */
export function createEvent<T extends EventType>(
  type: T,
  fields: EventFields<T>,
  options: CreateEventOptions = {},
): LatestEvent<T> {
  const definition = latestEventDefinitions[type];
  const now = formatInstant(options.now?.() ?? new Date());
  const candidate = {
    id: options.newId?.() ?? randomUUID(),
    occurredAt: now,
    recordedAt: now,
    ...fields,
    type,
    version: definition.version,
  };
  const parsed = definition.schema.safeParse(candidate);
  if (!parsed.success) throw new ContractViolation(contractError("invalid", parsed.error.issues));
  return parsed.data as LatestEvent<T>;
}
