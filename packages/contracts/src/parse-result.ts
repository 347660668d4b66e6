import type { z } from "zod";

/** A problem found in an input: a zod issue (`path`, `message`, `code`), as zod reports it. */
export type ContractIssue = z.core.$ZodIssue;

/**
 * Why an input was refused: `invalid_json` (bytes that are not JSON), `unknown_type`,
 * `unknown_version` (a type or version this build does not know: maybe a newer producer), `invalid`.
 */
export type ContractErrorKind = "invalid_json" | "unknown_type" | "unknown_version" | "invalid";

export interface ContractError {
  readonly kind: ContractErrorKind;
  /** One `path: message` per issue, e.g. `payload.dueAt: expected an ISO 8601 instant…`. */
  readonly message: string;
  readonly issues: readonly ContractIssue[];
}

/** The result of parsing an input against a contract: never thrown, always returned. */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ContractError };

/** A zod path as a dotted path: `payload.steps[0].budget`. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

export function contractError(kind: ContractErrorKind, issues: readonly ContractIssue[]): ContractError {
  const message = issues
    .map((i) => (i.path.length > 0 ? `${pathOf(i.path)}: ${i.message}` : i.message))
    .join("; ");
  return { kind, message, issues };
}

export function failure<T>(kind: ContractErrorKind, issues: readonly ContractIssue[]): ParseResult<T> {
  return { ok: false, error: contractError(kind, issues) };
}

/** A custom issue for what the schemas themselves do not report (unknown type, bad JSON). */
export function customIssue(path: PropertyKey[], message: string, input?: unknown): ContractIssue {
  return { code: "custom", path, message, input };
}

/**
 * Turns bytes or text into a JSON value; anything else is taken as an already-parsed value.
 * A Kafka consumer hands over a Buffer, a test or an HTTP handler an object.
 */
export function decodeJson(input: unknown): ParseResult<unknown> {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) return { ok: true, value: input };
  try {
    const text = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: true }).decode(input);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return failure("invalid_json", [customIssue([], `not JSON: ${reason}`)]);
  }
}

/** Thrown where a caller asked to throw (`createEvent`, `assertEvent`); carries the same error. */
export class ContractViolation extends Error {
  readonly code = "CONTRACTS_INVALID";
  constructor(readonly error: ContractError) {
    super(error.message);
    this.name = "ContractViolation";
  }
}
