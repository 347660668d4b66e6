import { defineErrors } from "@tthc/service-kit";

/** Intake's errors: `INTAKE_<KEY>`, answered as `{ error: { code, message, details } }`. */
export const errors = defineErrors(
  {
    UNKNOWN_PROCEDURE: [400, "No such procedure in the catalogue"],
    PROCEDURE_INACTIVE: [400, "The procedure is no longer in force"],
    UNKNOWN_UNIT: [400, "No such unit in the catalogue"],
    UNIT_INACTIVE: [400, "The unit is no longer active"],
    NOT_A_RECEIVING_UNIT: [
      400,
      "Only a one-stop centre (provincial centre, commune or ward) receives dossiers",
    ],
    SUBMITTED_IN_FUTURE: [400, "The submission instant is in the future"],
    SUBMITTED_TOO_LONG_AGO: [400, "The submission instant is more than a year ago"],
    CODE_MISMATCH: [400, "The code in the body differs from the code in the path"],
    INVALID_CALENDAR: [400, "The calendar is not valid"],
    INVALID_SESSIONS: [400, "The unit's working sessions are not valid"],
    PARENT_NOT_OF_CODE: [400, "A unit's parent is the unit its code lies under"],
    OTHER_UNIT: [403, "Staff receive dossiers at their own unit only"],
    DOSSIER_NOT_FOUND: [404, "No dossier with this code"],
    SUBMISSION_NOT_FOUND: [404, "No such submission"],
    PROCEDURE_NOT_FOUND: [404, "No such procedure"],
    UNIT_NOT_FOUND: [404, "No such unit"],
    CALENDAR_NOT_FOUND: [404, "No calendar for this year"],
    IDEMPOTENCY_KEY_REUSED: [409, "This idempotency key was used for a different request"],
    REFERENCE_TAKEN: [409, "This reference belongs to a dossier of another unit"],
    SUBMISSION_STATE_FORBIDS: [409, "The submission's state forbids this action"],
    SUPPLEMENT_LIMIT_REACHED: [409, "The procedure allows no more supplement requests"],
    CALENDAR_VERSION_NOT_NEWER: [409, "A calendar's new version must be higher than the current one"],
  },
  "INTAKE",
);

/** Details in the same shape as the kit's validation errors: the field and the reason. */
export function fieldIssue(path: string, reason: string): { path: string; reason: string }[] {
  return [{ path, reason }];
}
