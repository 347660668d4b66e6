import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CalendarError } from "./errors.js";
import type { UnitSessions } from "./sessions.js";
import { resolveUnitSessions } from "./sessions.js";

/** The sample unit profiles shipped with the package (`data/units.json`), used by the CLI's `--unit`. */
export const SAMPLE_UNITS_FILE = fileURLToPath(new URL("../data/units.json", import.meta.url));

/** Reads a JSON array of `UnitSessions` and validates every profile (sessions parse, no overlaps). */
export function readUnitsFile(path: string = SAMPLE_UNITS_FILE): UnitSessions[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new CalendarError(
      "CALENDAR_INVALID_DATA",
      `Cannot read unit profiles from ${path}: ${String(cause)}`,
      {
        path,
      },
    );
  }
  if (
    !Array.isArray(parsed) ||
    !parsed.every((u) => typeof u === "object" && u !== null && "unitCode" in u)
  ) {
    throw new CalendarError(
      "CALENDAR_INVALID_DATA",
      `${path} must hold an array of unit profiles with unitCode`,
      {
        path,
      },
    );
  }
  const units = parsed as UnitSessions[];
  for (const unit of units) resolveUnitSessions(unit);
  return units;
}
