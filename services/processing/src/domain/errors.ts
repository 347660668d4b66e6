/** Why a rule refused something; the HTTP layer maps each code to its status (src/errors.ts). */
export type DomainErrorCode =
  | "TRANSITION_FORBIDDEN"
  | "NOT_RECEIVED_YET"
  | "ALREADY_RECEIVED"
  | "NO_NEXT_STEP"
  | "UNKNOWN_STEP"
  | "UNIT_FIXED"
  | "SUPPLEMENT_LIMIT"
  | "ALREADY_EXTENDED"
  | "EXTENSION_TOO_LATE"
  | "EXTENSION_NOT_LATER"
  | "INVALID_INSTANT"
  | "STOP_REASON_MISMATCH"
  | "INVALID_EVENT";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** What the client needs to correct: the facts, or `{ path, reason }` items as a validation error gives. */
    readonly details?: Record<string, unknown> | readonly Record<string, unknown>[],
  ) {
    super(message);
    this.name = "DomainError";
  }
}
