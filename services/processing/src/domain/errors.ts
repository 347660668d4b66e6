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
  | "STOP_REASON_MISMATCH"
  | "INVALID_EVENT";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}
