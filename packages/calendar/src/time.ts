import { CalendarError } from "./errors.js";

/** An instant as accepted by the API: a Date, epoch milliseconds, or an ISO 8601 string with an offset. */
export type Instant = Date | number | string;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving time), so civil time is a fixed shift. */
export const VN_OFFSET_MS = 7 * HOUR_MS;

const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

export function toEpochMs(instant: Instant): number {
  const ms =
    typeof instant === "number" ? instant : instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (!Number.isFinite(ms)) {
    throw new CalendarError("CALENDAR_INVALID_INSTANT", `Not a valid instant: ${String(instant)}`, {
      instant: String(instant),
    });
  }
  if (typeof instant === "string" && !/(Z|[+-]\d\d:?\d\d)$/i.test(instant.trim())) {
    throw new CalendarError(
      "CALENDAR_INVALID_INSTANT",
      `An instant needs an explicit offset (e.g. +07:00 or Z): ${instant}`,
      { instant },
    );
  }
  return ms;
}

/** Days since 1970-01-01 of the civil date in Asia/Ho_Chi_Minh. */
export function localDayNumber(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of 00:00 Asia/Ho_Chi_Minh on the given local day. */
export function dayStartMs(dayNumber: number): number {
  return dayNumber * DAY_MS - VN_OFFSET_MS;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

// Civil-date conversions without Date objects (H. Hinnant's days_from_civil / civil_from_days).
export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDayNumber(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function localYearOf(ms: number): number {
  return civilFromDayNumber(localDayNumber(ms)).year;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "2026-02-17" → local day number; rejects impossible dates. */
export function parseIsoDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dayNumber = dayNumberFromCivil(year, month, day);
    const back = civilFromDayNumber(dayNumber);
    if (back.year === year && back.month === month && back.day === day) return dayNumber;
  }
  throw new CalendarError("CALENDAR_INVALID_DATE", `Not a valid date (YYYY-MM-DD): ${date}`, { date });
}

export function isoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** "HH:MM" → minutes after local midnight (24:00 allowed as the end of a day). */
export function parseClockTime(time: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new CalendarError("CALENDAR_INVALID_SESSION", `Not a valid time of day (HH:MM): ${time}`, { time });
  }
  return minutes;
}

/**
 * ISO 8601 with the +07:00 offset, e.g. 2026-03-03T09:00:00+07:00: milliseconds only when present,
 * or always (`2026-03-03T09:00:00.000+07:00`, the form the services write in events).
 */
export function formatIsoLocal(ms: number, millis: "when-present" | "always" = "when-present"): string {
  const dayNumber = localDayNumber(ms);
  const { year, month, day } = civilFromDayNumber(dayNumber);
  const inDay = ms - dayStartMs(dayNumber);
  const h = Math.floor(inDay / HOUR_MS);
  const min = Math.floor((inDay % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((inDay % MINUTE_MS) / 1000);
  const frac = inDay % 1000;
  const fracText = frac === 0 && millis === "when-present" ? "" : `.${String(frac).padStart(3, "0")}`;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(min)}:${pad2(s)}${fracText}+07:00`;
}

/** "Tue 03/03/2026", the way the forms write dates. */
export function formatLocalDate(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${WEEKDAY_NAMES[weekdayOf(dayNumber)]} ${pad2(day)}/${pad2(month)}/${year}`;
}

/** "Tue 03/03/2026 09:00" (seconds shown only when present). */
export function formatLocal(ms: number): string {
  const dayNumber = localDayNumber(ms);
  const inDay = ms - dayStartMs(dayNumber);
  const h = Math.floor(inDay / HOUR_MS);
  const min = Math.floor((inDay % HOUR_MS) / MINUTE_MS);
  const s = Math.floor((inDay % MINUTE_MS) / 1000);
  return `${formatLocalDate(dayNumber)} ${pad2(h)}:${pad2(min)}${s === 0 ? "" : `:${pad2(s)}`}`;
}
