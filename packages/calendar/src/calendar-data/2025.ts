import type { CalendarYearData } from "../holidays.js";
import { day, dayRange } from "./days.js";

/** 2025 as finally decreed for civil servants (công chức, viên chức). */
export const CALENDAR_2025: CalendarYearData = {
  year: 2025,
  version: 1,
  effectiveFrom: "2024-11-15T00:00:00+07:00",
  basis: "decreed",
  daysOff: [
    day("2025-01-01", "Tết Dương lịch"),
    ...dayRange("2025-01-25", "2025-02-02", "Tết Nguyên đán Ất Tỵ (9-day block)"),
    day("2025-04-07", "Giỗ Tổ Hùng Vương (10/3 lunar)"),
    day("2025-04-30", "Ngày Chiến thắng (30/4)"),
    day("2025-05-01", "Ngày Quốc tế Lao động (1/5)"),
    day("2025-05-02", "Swapped with the make-up Saturday 26/04/2025", "swapped"),
    ...dayRange("2025-05-03", "2025-05-04", "30/4–1/5 holiday block (weekend)", "other"),
    ...dayRange("2025-08-30", "2025-08-31", "Quốc khánh holiday block (weekend)", "other"),
    day("2025-09-01", "Quốc khánh (day adjacent to 2/9)"),
    day("2025-09-02", "Quốc khánh (2/9)"),
  ],
  makeUpWorkingDays: [day("2025-04-26", "Make-up working Saturday for Fri 02/05/2025")],
  cultureDay24Nov: false,
  sources: [
    { reference: "TB 6150/TB-BLĐTBXH", subject: "Tết Âm lịch 2025: 25/01–02/02/2025" },
    { reference: "Công văn 8726/VPCP-KGVX", subject: "Quốc khánh 2025: 30/08–02/09/2025" },
    {
      reference: "Government swap of Fri 02/05/2025 with Sat 26/04/2025",
      subject: "30/4–1/5 2025: 30/04–04/05, make-up Saturday 26/04 (document number not recorded here)",
    },
  ],
  note:
    "One version: the decision dates of these documents are not confirmed here, so effectiveFrom is the " +
    "approximate date of the first of them (the Tết 2025 notice, mid-November 2024).",
};
