// The Vietnamese lunar calendar by Hồ Ngọc Đức's public algorithm: mean new moons corrected by the main
// periodic terms, solar longitude for the month-11 / leap-month rules, all reckoned at UTC+7. Reckoning at
// UTC+7 instead of China's UTC+8 is what makes Vietnamese Tết differ in some years (e.g. 1985, 2007).
import { dayNumberFromCivil } from "./time.js";

/** Vietnam reckons the calendar at UTC+7; the parameter exists so tests can show where UTC+8 (China) differs. */
export const VN_TIME_ZONE_HOURS = 7;
const SYNODIC_MONTH = 29.530588853;
/** Julian day number of 1970-01-01, to go between Julian days and this package's day numbers. */
const JD_UNIX_EPOCH = 2440588;

export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

function julianDayFromCivil(year: number, month: number, day: number): number {
  return dayNumberFromCivil(year, month, day) + JD_UNIX_EPOCH;
}

/** Julian day (fractional) of the k-th new moon after 1900-01-01 (Meeus, simplified). */
function newMoon(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const dr = Math.PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  const m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  let c1 = (0.1734 - 0.000393 * t) * Math.sin(m * dr) + 0.0021 * Math.sin(2 * dr * m);
  c1 = c1 - 0.4068 * Math.sin(mpr * dr) + 0.0161 * Math.sin(dr * 2 * mpr);
  c1 = c1 - 0.0004 * Math.sin(dr * 3 * mpr);
  c1 = c1 + 0.0104 * Math.sin(dr * 2 * f) - 0.0051 * Math.sin(dr * (m + mpr));
  c1 = c1 - 0.0074 * Math.sin(dr * (m - mpr)) + 0.0004 * Math.sin(dr * (2 * f + m));
  c1 = c1 - 0.0004 * Math.sin(dr * (2 * f - m)) - 0.0006 * Math.sin(dr * (2 * f + mpr));
  c1 = c1 + 0.001 * Math.sin(dr * (2 * f - mpr)) + 0.0005 * Math.sin(dr * (2 * mpr + m));
  const deltaT =
    t < -11
      ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
      : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd1 + c1 - deltaT;
}

/** Julian day number of the local day on which the k-th new moon falls. */
function newMoonDay(k: number, tz: number): number {
  return Math.floor(newMoon(k) + 0.5 + tz / 24);
}

/** Sun's apparent longitude in radians at the given Julian day (fractional). */
function sunLongitude(jdn: number): number {
  const t = (jdn - 2451545.0) / 36525;
  const t2 = t * t;
  const dr = Math.PI / 180;
  const m = 357.5291 + 35999.0503 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  let dl = (1.9146 - 0.004817 * t - 0.000014 * t2) * Math.sin(dr * m);
  dl = dl + (0.019993 - 0.000101 * t) * Math.sin(dr * 2 * m) + 0.00029 * Math.sin(dr * 3 * m);
  const l = (l0 + dl) * dr;
  return l - Math.PI * 2 * Math.floor(l / (Math.PI * 2));
}

/** Which of the 12 thirty-degree sectors the sun is in at the start of the given local day. */
function sunSector(dayNumber: number, tz: number): number {
  return Math.floor((sunLongitude(dayNumber - 0.5 - tz / 24) / Math.PI) * 6);
}

/** Julian day number of the first day of lunar month 11 (the one containing the winter solstice). */
function lunarMonth11(year: number, tz: number): number {
  const off = julianDayFromCivil(year, 12, 31) - 2415021;
  const k = Math.floor(off / SYNODIC_MONTH);
  const nm = newMoonDay(k, tz);
  return sunSector(nm, tz) >= 9 ? newMoonDay(k - 1, tz) : nm;
}

/** Offset (in months after month 11) of the leap month: the first month without a principal term. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = Math.floor((a11 - 2415021.076998695) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, tz), tz);
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

/** Day number (days since 1970-01-01) of a Vietnamese lunar date, or null if that leap month does not exist. */
export function lunarToDayNumber(lunar: LunarDate, tz = VN_TIME_ZONE_HOURS): number | null {
  const { year, month, day, leap } = lunar;
  const a11 = month < 11 ? lunarMonth11(year - 1, tz) : lunarMonth11(year, tz);
  const b11 = month < 11 ? lunarMonth11(year, tz) : lunarMonth11(year + 1, tz);
  const k = Math.floor(0.5 + (a11 - 2415021.076998695) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  return newMoonDay(k + off, tz) + day - 1 - JD_UNIX_EPOCH;
}

/** The Vietnamese lunar date of a day number. */
export function lunarFromDayNumber(dayNumber: number, tz = VN_TIME_ZONE_HOURS): LunarDate {
  const jd = dayNumber + JD_UNIX_EPOCH;
  const k = Math.floor((jd - 2415021.076998695) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1, tz);
  if (monthStart > jd) monthStart = newMoonDay(k, tz);
  const solarYear = civilYearOfJd(jd);
  let a11 = lunarMonth11(solarYear, tz);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = solarYear;
    a11 = lunarMonth11(solarYear - 1, tz);
  } else {
    lunarYear = solarYear + 1;
    b11 = lunarMonth11(solarYear + 1, tz);
  }
  const day = jd - monthStart + 1;
  const diff = Math.floor((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { year: lunarYear, month, day, leap };
}

function civilYearOfJd(jd: number): number {
  // Days since 1970 → civil year, via the same conversion the rest of the package uses.
  const days = jd - JD_UNIX_EPOCH;
  const approx = 1970 + Math.floor(days / 365.2425);
  for (let y = approx + 1; y >= approx - 1; y--) if (dayNumberFromCivil(y, 1, 1) <= days) return y;
  return approx - 1;
}

/** Day number of Tết Nguyên đán (1st day of the 1st lunar month) of the lunar year that starts in `year`. */
export function tetDayNumber(year: number, tz = VN_TIME_ZONE_HOURS): number {
  return lunarToDayNumber({ year, month: 1, day: 1, leap: false }, tz) as number;
}

/** Day number of Giỗ Tổ Hùng Vương (10th day of the 3rd lunar month) in `year`. */
export function hungKingsDayNumber(year: number, tz = VN_TIME_ZONE_HOURS): number {
  return lunarToDayNumber({ year, month: 3, day: 10, leap: false }, tz) as number;
}
