import { type CalendarSet, calendarSetFromCatalog, type WorkingCalendar } from "@tthc/calendar";
import type { Calendar, CatalogRecord } from "@tthc/contracts";

/**
 * The calendars the monitor judges with: the shipped official years plus every calendar and unit
 * profile seen on the catalogue (built by the calendar package, as every service builds them). A
 * unit the catalogue has not described gets the default sessions.
 */
export class MonitorCalendars {
  readonly set: CalendarSet;

  constructor(records: readonly CatalogRecord[]) {
    const calendars: Calendar[] = [];
    const units = [];
    for (const r of records) {
      if (r.type === "calendar") calendars.push(r.data);
      else if (r.type === "unit") units.push({ data: r.data, revision: r.revision });
    }
    this.set = calendarSetFromCatalog({ calendars, units });
  }

  /** The working calendar of a unit as in force at an instant. */
  at(instant: number | string | Date, unitCode: string): WorkingCalendar {
    return this.set.calendarFor(unitCode, instant);
  }
}
