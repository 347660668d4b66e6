import { CalendarError } from "./errors.js";
import { parseClockTime, parseIsoDate } from "./time.js";

/** A working session (buổi làm việc) in Asia/Ho_Chi_Minh local time, "HH:MM" to "HH:MM", end exclusive. */
export interface Session {
  start: string;
  end: string;
}

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** The sessions of each day of the week; an empty list is a weekly rest day. */
export type WeeklySessions = Record<Weekday, Session[]>;

/** A unit's own exception for one date: other hours, an extra day off (`sessions: []`) or an extra working day. */
export interface DateOverride {
  date: string;
  sessions: Session[];
  note?: string;
}

/**
 * The working hours of one unit (a one-stop centre, a department, a commune). JSON-serialisable; every field
 * but `unitCode` may be left out and takes the decided default.
 */
export interface UnitSessions {
  unitCode: string;
  name?: string;
  /** Changes whenever the profile changes; part of the cache key of the computed calendars. */
  version?: number;
  /** Default: Monday–Friday 07:30–11:30 and 13:30–17:00, Saturday and Sunday off. */
  weekly?: Partial<WeeklySessions>;
  /** Whether the Government's make-up working Saturdays (ngày làm bù) are working days here. Default true. */
  observeMakeUpDays?: boolean;
  /** Sessions on a make-up working day. Default: the default weekday sessions. */
  makeUpDaySessions?: Session[];
  /** Minutes in one statutory working day. Default: the most common non-zero daily total of `weekly`. */
  workingDayMinutes?: number;
  /** Per-date exceptions; they take precedence over holidays and the weekly pattern. */
  dateOverrides?: DateOverride[];
  /**
   * When the counter takes dossiers, where it differs from the working sessions (a Saturday-morning
   * reception desk). Reception hours are not working time: statutory time never counts in them, and
   * a dossier received then starts its clock at the next working instant. Shown, never counted.
   */
  receptionHours?: Partial<WeeklySessions>;
  /** Where working sessions include a weekly rest day: the decision that says the handling staff work then. */
  source?: string;
}

export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

export const DEFAULT_DAY_SESSIONS: readonly Session[] = [
  { start: "07:30", end: "11:30" },
  { start: "13:30", end: "17:00" },
];

export const DEFAULT_UNIT_CODE = "default";

export const DEFAULT_WEEKLY_SESSIONS: WeeklySessions = {
  mon: [...DEFAULT_DAY_SESSIONS],
  tue: [...DEFAULT_DAY_SESSIONS],
  wed: [...DEFAULT_DAY_SESSIONS],
  thu: [...DEFAULT_DAY_SESSIONS],
  fri: [...DEFAULT_DAY_SESSIONS],
  sat: [],
  sun: [],
};

export const DEFAULT_UNIT_SESSIONS: UnitSessions = { unitCode: DEFAULT_UNIT_CODE, name: "Default sessions" };

/** Sessions of one day as sorted, non-overlapping [startMinute, endMinute) pairs, flattened. */
export type DayMinutes = readonly number[];

export interface ResolvedUnitSessions {
  unitCode: string;
  /** Indexed by weekday, 0 = Sunday. */
  weekly: readonly DayMinutes[];
  observeMakeUpDays: boolean;
  makeUpDay: DayMinutes;
  workingDayMinutes: number;
  /** Keyed by local day number. */
  overrides: ReadonlyMap<number, { minutes: DayMinutes; note: string }>;
  cacheKey: string;
}

export function sessionsToMinutes(sessions: readonly Session[], where: string): DayMinutes {
  const pairs = sessions
    .map((s) => [parseClockTime(s.start), parseClockTime(s.end)] as const)
    .sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [start, end] of pairs) {
    const previousEnd = out.length > 0 ? (out[out.length - 1] as number) : -1;
    if (end <= start || start < previousEnd) {
      throw new CalendarError("CALENDAR_INVALID_SESSION", `Sessions of ${where} are empty or overlap`, {
        where,
        sessions,
      });
    }
    out.push(start, end);
  }
  return out;
}

export function dayTotal(minutes: DayMinutes): number {
  let total = 0;
  for (let i = 0; i + 1 < minutes.length; i += 2)
    total += (minutes[i + 1] as number) - (minutes[i] as number);
  return total;
}

function mostCommonDayTotal(weekly: readonly DayMinutes[]): number {
  const counts = new Map<number, number>();
  for (const day of weekly) {
    const total = dayTotal(day);
    if (total > 0) counts.set(total, (counts.get(total) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [total, count] of counts) {
    if (count > bestCount || (count === bestCount && total > best)) [best, bestCount] = [total, count];
  }
  return best;
}

/** Fills defaults and validates a unit profile once, so the hot paths never look at strings. */
export function resolveUnitSessions(unit: UnitSessions = DEFAULT_UNIT_SESSIONS): ResolvedUnitSessions {
  const weeklyInput = { ...DEFAULT_WEEKLY_SESSIONS, ...unit.weekly };
  const weekly = WEEKDAYS.map((d) => sessionsToMinutes(weeklyInput[d], `${unit.unitCode} ${d}`));
  const makeUpDay = sessionsToMinutes(
    unit.makeUpDaySessions ?? DEFAULT_DAY_SESSIONS,
    `${unit.unitCode} make-up`,
  );
  const overrides = new Map<number, { minutes: DayMinutes; note: string }>();
  for (const o of unit.dateOverrides ?? []) {
    overrides.set(parseIsoDate(o.date), {
      minutes: sessionsToMinutes(o.sessions, `${unit.unitCode} ${o.date}`),
      note: o.note ?? (o.sessions.length === 0 ? "closed by the unit" : "special hours of the unit"),
    });
  }
  const workingDayMinutes = unit.workingDayMinutes ?? mostCommonDayTotal(weekly);
  if (!(workingDayMinutes > 0) || !Number.isFinite(workingDayMinutes)) {
    throw new CalendarError("CALENDAR_NO_WORKING_TIME", `Unit ${unit.unitCode} has no working day length`, {
      unitCode: unit.unitCode,
    });
  }
  return {
    unitCode: unit.unitCode,
    weekly,
    observeMakeUpDays: unit.observeMakeUpDays ?? true,
    makeUpDay,
    workingDayMinutes,
    overrides,
    cacheKey: `${unit.unitCode}@${unit.version ?? 0}:${JSON.stringify(unit)}`,
  };
}
