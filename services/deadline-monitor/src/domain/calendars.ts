import {
  type CalendarSet,
  type CalendarYearData,
  calendarVersionsFromCatalog,
  createCalendarSet,
  OFFICIAL_CALENDAR_DATA,
  type UnitSessions,
  unitSessionsFromCatalog,
  type WorkingCalendar,
} from "@tthc/calendar";
import type { CatalogRecord } from "@tthc/contracts";

/**
 * The calendars the monitor judges with: the shipped official data plus every calendar and unit
 * profile seen on the catalogue. A unit the catalogue has not described gets the default sessions.
 */
export class MonitorCalendars {
  readonly set: CalendarSet;

  constructor(records: readonly CatalogRecord[]) {
    const years: CalendarYearData[] = [...OFFICIAL_CALENDAR_DATA];
    const units: UnitSessions[] = [];
    for (const r of records) {
      // Every version the record carries, so that a recomputation of the past uses the calendar then in force.
      if (r.type === "calendar") years.push(...calendarVersionsFromCatalog(r.data));
      else if (r.type === "unit" && r.data.workingSessions !== null)
        units.push({ ...unitSessionsFromCatalog(r.data), version: r.revision });
    }
    this.set = createCalendarSet({ years, units });
  }

  /** The unit code whose profile applies (the unit's own, or the default). */
  profileOf(unitCode: string): string {
    return this.set.unit(unitCode) ? unitCode : "default";
  }

  at(instant: number | string | Date, unitCode: string): WorkingCalendar {
    return this.set.asOf(instant, this.profileOf(unitCode));
  }
}
