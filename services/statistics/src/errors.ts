import { defineErrors } from "@tthc/service-kit";

/** The statistics service's errors: `{ error: { code: "STATS_…", message, details } }`. */
export const errors = defineErrors(
  {
    UNKNOWN_UNIT: [404, "No unit with this code"],
    REBUILD_RUNNING: [409, "A rebuild is already running"],
  },
  "STATS",
);
