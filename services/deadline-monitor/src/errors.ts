import { defineErrors } from "@tthc/service-kit";

/** The deadline monitor's errors, answered as `{ error: { code, message, details } }`. */
export const errors = defineErrors(
  {
    UNKNOWN_DOSSIER: [404, "The monitor has no clock for this dossier"],
    UNKNOWN_WEBHOOK: [404, "No such webhook"],
    UNKNOWN_UNIT: [404, "The monitor knows nothing of this unit"],
    BAD_CURSOR: [400, "The cursor is not one this service gave"],
  },
  "MONITOR",
);
