import { CalendarSet, unitSessionsFromCatalog, type WorkingCalendar } from "@tthc/calendar";
import { isoWeekday, startOfDate } from "./dates.js";
import type { Province, SimSession, SimUnit } from "./province.js";

/** [start, end) in epoch milliseconds. */
export type Window = readonly [number, number];

const WEEKEND = new Set([6, 7]);

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * A unit's sessions in which statutory time counts (docs/domain.md, "Reception hours are not
 * working time"): a Saturday or Sunday session counts only with the decision that says the handling
 * staff work then; otherwise it is a reception desk and adds no working time.
 */
function statutorySessions(unit: SimUnit): SimSession[] | null {
  const own = unit.workingSessions;
  if (!own) return null;
  if (unit.workingSessionsSource) return own.sessions;
  return own.sessions
    .map((s) => ({ ...s, weekdays: s.weekdays.filter((d) => !WEEKEND.has(d)) }))
    .filter((s) => s.weekdays.length > 0);
}

/**
 * The working time and the reception hours of the province's units, as the simulator schedules
 * with them: staff act inside working time, counters take dossiers inside reception hours. The
 * services judge with their own calendars; these only decide when the simulated people act.
 */
export class ProvinceCalendars {
  private readonly set: CalendarSet;
  private readonly units = new Map<string, SimUnit>();

  constructor(province: Province) {
    const profiles = [];
    for (const unit of province.units) {
      this.units.set(unit.code, unit);
      const sessions = statutorySessions(unit);
      if (sessions === null || sessions.length === 0) continue;
      profiles.push(
        unitSessionsFromCatalog({
          code: unit.code,
          name: unit.name,
          workingSessions: {
            sessions,
            makeUpDaysAreWorking: unit.workingSessions?.makeUpDaysAreWorking ?? true,
          },
        }),
      );
    }
    this.set = new CalendarSet({ units: profiles });
  }

  /** The working calendar of a unit in force at `atMs` (the default sessions for most units). */
  working(unitCode: string, atMs: number): WorkingCalendar {
    return this.set.calendarFor(unitCode, atMs);
  }

  /** Whether a local date is a working day at the unit (not a weekly rest day nor a day off). */
  isWorkingDay(unitCode: string, date: string): boolean {
    return this.working(unitCode, startOfDate(date)).day(date).working;
  }

  /**
   * When the unit's counter takes dossiers on a local date: its working sessions on a working day
   * (or its own reception hours that day, where the catalogue gives them), its reception hours on a
   * weekly rest day (a ward's Saturday-morning desk), nothing on a holiday.
   */
  receptionWindows(unitCode: string, date: string): Window[] {
    const unit = this.units.get(unitCode);
    const midnight = startOfDate(date);
    const info = this.working(unitCode, midnight).day(date);
    const weekday = isoWeekday(date);
    const own = (unit?.receptionSessions ?? []).filter((s) => s.weekdays.includes(weekday));
    let sessions: { from: string; to: string }[];
    if (info.working) {
      sessions = own.length > 0 ? own : info.sessions.map((s) => ({ from: s.start, to: s.end }));
    } else if (info.status === "weekly-rest") {
      const desk = unit?.receptionSessions ?? unit?.workingSessions?.sessions ?? [];
      sessions = desk.filter((s) => s.weekdays.includes(weekday));
    } else {
      sessions = [];
    }
    return sessions
      .map((s) => [midnight + minutesOf(s.from) * 60_000, midnight + minutesOf(s.to) * 60_000] as const)
      .sort((a, b) => a[0] - b[0]);
  }
}
