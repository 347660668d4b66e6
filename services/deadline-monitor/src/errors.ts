import { defineErrors } from "@tthc/service-kit";

/** The deadline monitor's errors, answered as `{ error: { code, message, details } }`. */
export const errors = defineErrors(
  {
    UNKNOWN_DOSSIER: [404, "The monitor has no clock for this dossier"],
    UNKNOWN_WEBHOOK: [404, "No such webhook"],
    UNKNOWN_UNIT: [404, "The monitor knows nothing of this unit"],
    BAD_CURSOR: [400, "The cursor is not one this service gave"],
    WEBHOOK_TARGET_REFUSED: [400, "The webhook's target is not reachable or not allowed"],
    OTHER_UNIT: [403, "This belongs to another unit"],
  },
  "MONITOR",
);
