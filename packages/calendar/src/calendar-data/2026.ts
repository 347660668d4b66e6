import type { CalendarDay, CalendarYearData } from "../holidays.js";
import { day, dayRange } from "./days.js";

const DAYS_OFF_KNOWN_IN_AUTUMN_2025: CalendarDay[] = [
  ...dayRange("2026-02-14", "2026-02-22", "Tết Nguyên đán Bính Ngọ (9-day block)"),
  day("2026-04-25", "Giỗ Tổ holiday block (weekend)", "other"),
  day("2026-04-26", "Giỗ Tổ Hùng Vương (10/3 lunar)"),
  day("2026-04-27", "Compensatory day for Giỗ Tổ Hùng Vương, Sun 26/04/2026", "compensatory"),
  day("2026-04-30", "Ngày Chiến thắng (30/4)"),
  day("2026-05-01", "Ngày Quốc tế Lao động (1/5)"),
  ...dayRange("2026-05-02", "2026-05-03", "30/4–1/5 holiday block (weekend)", "other"),
  ...dayRange("2026-08-29", "2026-08-30", "Quốc khánh holiday block (weekend)", "other"),
  day("2026-08-31", "Swapped with the make-up Saturday 22/08/2026", "swapped"),
  day("2026-09-01", "Quốc khánh (day adjacent to 2/9)"),
  day("2026-09-02", "Quốc khánh (2/9)"),
];

const MAKE_UP_22_AUGUST: CalendarDay = day("2026-08-22", "Make-up working Saturday for Mon 31/08/2026");

const SOURCE_TET_2026 = {
  reference: "Công văn 9859/VPCP-KGVX",
  subject: "Tết Âm lịch 2026: 14/02–22/02/2026 (9 days)",
};

/** 2026 before the New Year swap: Tết 2026 decided, 1 January a single day off. */
export const CALENDAR_2026_V1: CalendarYearData = {
  year: 2026,
  version: 1,
  effectiveFrom: "2025-10-01T00:00:00+07:00",
  basis: "decreed",
  daysOff: [day("2026-01-01", "Tết Dương lịch"), ...DAYS_OFF_KNOWN_IN_AUTUMN_2025],
  makeUpWorkingDays: [MAKE_UP_22_AUGUST],
  cultureDay24Nov: false,
  sources: [
    SOURCE_TET_2026,
    {
      reference: "Bộ luật Lao động 2019, Điều 111–112",
      subject: "Giỗ Tổ on Sun 26/04/2026 → compensatory Mon 27/04; 30/4–1/5 on Thu–Fri",
    },
    {
      reference: "Government schedule for Quốc khánh 2026",
      subject: "29/08–02/09/2026, Mon 31/08 swapped with Sat 22/08 (document number not recorded here)",
    },
  ],
  note: "effectiveFrom is approximate (Công văn 9859/VPCP-KGVX, autumn 2025; exact date not confirmed here).",
};

/** 2026 after the New Year swap, decided on 25/12/2025, a week before it applied. */
export const CALENDAR_2026_V2: CalendarYearData = {
  ...CALENDAR_2026_V1,
  version: 2,
  effectiveFrom: "2025-12-25T00:00:00+07:00",
  daysOff: [
    day("2026-01-01", "Tết Dương lịch"),
    day("2026-01-02", "Swapped with the make-up Saturday 10/01/2026", "swapped"),
    ...dayRange("2026-01-03", "2026-01-04", "Tết Dương lịch block (weekend)", "other"),
    ...DAYS_OFF_KNOWN_IN_AUTUMN_2025,
  ],
  makeUpWorkingDays: [day("2026-01-10", "Make-up working Saturday for Fri 02/01/2026"), MAKE_UP_22_AUGUST],
  sources: [
    {
      reference: "Công văn 12729/VPCP-KGVX",
      subject: "Tết Dương lịch 2026: 01/01–04/01/2026, Fri 02/01 swapped with Sat 10/01",
      issuedOn: "2025-12-25",
    },
    ...CALENDAR_2026_V1.sources,
  ],
  note: "Supersedes version 1 from 25/12/2025 (the New Year swap).",
};
