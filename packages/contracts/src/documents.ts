import { z } from "zod";
import { asyncApiDocument } from "./asyncapi.js";
import { catalogRecordDefinitions } from "./catalog.js";
import { EventEnvelope } from "./envelope.js";
import { eventDefinitions } from "./registry.js";

/**
 * The published form of the contracts, written to `docs/contracts/` by `scripts/generate.ts`: an
 * AsyncAPI 3.0 document and one JSON Schema (draft 2020-12) per event version and catalogue record.
 * The output depends on the schemas only (sorted, no timestamps), so a test can regenerate it and
 * compare.
 */

/** JSON Schema of a zod schema, as the contracts publish it: what a producer may send. */
export function jsonSchemaOf(
  schema: z.ZodType,
  target: "draft-2020-12" | "draft-7",
): Record<string, unknown> {
  return z.toJSONSchema(schema, { target, io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
}

/** File name of an event's or record's JSON Schema, e.g. `dossier.received.v1.json`, `catalog.unit.v1.json`. */
export function schemaFileName(kind: "event" | "catalog", type: string, version: number): string {
  return kind === "event" ? `${type}.v${version}.json` : `catalog.${type}.v${version}.json`;
}

/** Stable JSON text: two-space indent and a final newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every generated file, by path relative to `docs/contracts/`, in sorted order. */
export function contractDocuments(): Map<string, string> {
  const files = new Map<string, string>();
  files.set("asyncapi.json", toJsonText(asyncApiDocument()));
  files.set("schemas/envelope.json", toJsonText(jsonSchemaOf(EventEnvelope, "draft-2020-12")));
  for (const def of eventDefinitions) {
    const path = `schemas/${schemaFileName("event", def.type, def.version)}`;
    files.set(path, toJsonText(jsonSchemaOf(def.schema, "draft-2020-12")));
  }
  for (const def of catalogRecordDefinitions) {
    const path = `schemas/${schemaFileName("catalog", def.type, def.version)}`;
    files.set(path, toJsonText(jsonSchemaOf(def.schema, "draft-2020-12")));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
