import { type CalendarSet, calendarSetFromCatalog, type WorkingCalendar } from "@tthc/calendar";
import type { Calendar, CatalogRecord, Unit } from "@tthc/contracts";

/**
 * The calendars the monitor judges with: the shipped official years plus every calendar and unit
 * profile seen on the catalogue (built by the calendar package, as every service builds them). A
 * unit the catalogue has not described gets the default sessions.
 */
export class MonitorCalendars {
  readonly set: CalendarSet;
  /** The catalogue's units by code, the highest revision of each (for the escalation's chain). */
  private readonly units = new Map<string, { data: Unit; revision: number }>();

  constructor(records: readonly CatalogRecord[]) {
    const calendars: Calendar[] = [];
    const units = [];
    for (const r of records) {
      if (r.type === "calendar") calendars.push(r.data);
      else if (r.type === "unit") {
        units.push({ data: r.data, revision: r.revision });
        const kept = this.units.get(r.data.code);
        if (!kept || r.revision >= kept.revision)
          this.units.set(r.data.code, { data: r.data, revision: r.revision });
      }
    }
    this.set = calendarSetFromCatalog({ calendars, units });
  }

  /** A unit as the catalogue last described it; undefined when it never did. */
  unit(code: string): Unit | undefined {
    return this.units.get(code)?.data;
  }

  /** Every unit the catalogue described, as last described. */
  *allUnits(): Iterable<Unit> {
    for (const u of this.units.values()) yield u.data;
  }

  /** The working calendar of a unit as in force at an instant. */
  at(instant: number | string | Date, unitCode: string): WorkingCalendar {
    return this.set.calendarFor(unitCode, instant);
  }
}
