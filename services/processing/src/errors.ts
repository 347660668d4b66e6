import { type AppError, defineErrors } from "@tthc/service-kit";
import type { DomainError, DomainErrorCode } from "./domain/errors.js";

/** Every error processing answers with: `PROCESSING_<CODE>`, its status and message. */
export const errors = defineErrors(
  {
    DOSSIER_NOT_FOUND: [404, "No such dossier"],
    LETTER_NOT_FOUND: [404, "The dossier has no apology letter"],
    OTHER_UNIT: [403, "The dossier is held by another unit"],
    ROLE_FORBIDDEN: [403, "Your role does not allow this action"],
    STALE_VERSION: [409, "The dossier changed since you read it"],
    BAD_CURSOR: [400, "The cursor is not valid"],
    TRANSITION_FORBIDDEN: [409, "The dossier's state does not allow this action"],
    NOT_RECEIVED_YET: [409, "The dossier was never received"],
    ALREADY_RECEIVED: [409, "The dossier is already received"],
    NO_NEXT_STEP: [409, "The dossier is at the last step of its process"],
    UNKNOWN_STEP: [400, "No such step in the dossier's process"],
    UNIT_FIXED: [409, "The procedure does not let this step go to that unit"],
    SUPPLEMENT_LIMIT: [409, "The procedure allows no further supplement request"],
    ALREADY_EXTENDED: [409, "The promised date was already moved once"],
    EXTENSION_TOO_LATE: [
      409,
      "The apology letter must come at least one working day before the due date, and before the dossier is overdue",
    ],
    EXTENSION_NOT_LATER: [400, "The new date must be after the due date"],
    INVALID_INSTANT: [400, "The instant is not possible for this dossier"],
    STOP_REASON_MISMATCH: [409, "That stop reason does not fit the dossier's state"],
    INVALID_EVENT: [500, "The event could not be applied"],
  },
  "PROCESSING",
);

export function fromDomain(err: DomainError): AppError {
  const code: DomainErrorCode = err.code;
  return errors[code](err.details, err.message);
}
