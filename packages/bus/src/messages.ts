import {
  type AnyEvent,
  type CatalogRecord,
  ContractViolation,
  type CurrentEvent,
  type ParseResult,
  parseCatalogRecord,
  parseCurrentEvent,
  parseEvent,
  topicOfEvent,
} from "@tthc/contracts";

/**
 * A message on its way to Kafka, already validated and serialised: what the outbox stores and the
 * relay sends. `id` is what consumers deduplicate on.
 */
export interface OutgoingRecord {
  id: string;
  /** Catalogue (base) topic name. */
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/**
 * How a consumer reads one topic's records: decode (validate) the bytes, and give the id a
 * redelivered copy shares with the original.
 */
export interface Decoder<T> {
  decode(value: Buffer | null, key: string | null): ParseResult<T>;
  idOf(value: T): string;
}

/** An event (dossier.events, sla.events), validated, keyed by dossier id, on its type's topic. */
export function eventRecord(event: AnyEvent, headers: Record<string, string> = {}): OutgoingRecord {
  const checked = parseEvent(event);
  if (!checked.ok) throw new ContractViolation(checked.error);
  return {
    id: event.id,
    topic: topicOfEvent(event.type),
    key: event.dossierId,
    value: JSON.stringify(checked.value),
    headers: { "event-type": event.type, "correlation-id": event.correlationId, ...headers },
  };
}

/** A catalogue record, validated, keyed as the compacted topic wants it. */
export function catalogRecord(record: CatalogRecord): OutgoingRecord {
  const checked = parseCatalogRecord(record);
  if (!checked.ok) throw new ContractViolation(checked.error);
  return {
    id: `${record.key}@${record.revision}`,
    topic: "catalog",
    key: record.key,
    value: JSON.stringify(checked.value),
    headers: { "record-type": record.type },
  };
}

/** Decodes an event of any known version into its current version (contracts' `toCurrent`). */
export const eventDecoder: Decoder<CurrentEvent> = {
  decode: (value) => (value === null ? parseCurrentEvent("") : parseCurrentEvent(value)),
  idOf: (event) => event.id,
};

export const catalogDecoder: Decoder<CatalogRecord> = {
  decode: (value) => (value === null ? parseCatalogRecord("") : parseCatalogRecord(value)),
  idOf: (record) => `${record.key}@${record.revision}`,
};
