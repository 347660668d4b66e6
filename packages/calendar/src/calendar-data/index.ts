import type { CalendarYearData } from "../holidays.js";
import { CALENDAR_2025 } from "./2025.js";
import { CALENDAR_2026_V1, CALENDAR_2026_V2 } from "./2026.js";

/** Every shipped version of every decreed year. 2027 and later fall back to the rules until data is added. */
export const OFFICIAL_CALENDAR_DATA: readonly CalendarYearData[] = [
  CALENDAR_2025,
  CALENDAR_2026_V1,
  CALENDAR_2026_V2,
];

export { CALENDAR_2025, CALENDAR_2026_V1, CALENDAR_2026_V2 };
