import { type CalendarSet, calendarSetFromCatalog } from "@tthc/calendar";
import type { Calendar, Procedure, Unit } from "@tthc/contracts";
import type { CatalogData, CatalogType } from "./catalog.js";

/** The catalogue as reception reads it: procedures and units by code, and the calendars built from them. */
export interface CatalogSnapshot {
  procedures: ReadonlyMap<string, { data: Procedure; revision: number }>;
  units: ReadonlyMap<string, { data: Unit; revision: number }>;
  calendars: CalendarSet;
}

/** One record of the catalogue: a row of `catalog_records` or a record of the `catalog` topic. */
export interface CatalogRevision {
  type: CatalogType;
  key: string;
  data: CatalogData;
  revision: number;
}

/**
 * The catalogue held in memory. A record is taken when its revision is above the one held for its
 * key, so the same record twice, or an older one after a newer, changes nothing: the rows read at
 * start, the records of the `catalog` topic and this instance's own writes can arrive in any order.
 * The snapshot is rebuilt on the first read after a change, not once per record.
 */
export class CatalogMemory {
  private readonly records = new Map<string, CatalogRevision>();
  private built: CatalogSnapshot | undefined;

  /** True when the record was newer than the one held. */
  apply(record: CatalogRevision): boolean {
    const held = this.records.get(record.key);
    if (held && held.revision >= record.revision) return false;
    this.records.set(record.key, record);
    this.built = undefined;
    return true;
  }

  revisionOf(key: string): number | undefined {
    return this.records.get(key)?.revision;
  }

  snapshot(): CatalogSnapshot {
    this.built ??= this.build();
    return this.built;
  }

  private build(): CatalogSnapshot {
    const procedures = new Map<string, { data: Procedure; revision: number }>();
    const units = new Map<string, { data: Unit; revision: number }>();
    const calendars: Calendar[] = [];
    for (const r of this.records.values()) {
      if (r.type === "procedure") {
        const data = r.data as Procedure;
        procedures.set(data.code, { data, revision: r.revision });
      } else if (r.type === "unit") {
        const data = r.data as Unit;
        units.set(data.code, { data, revision: r.revision });
      } else {
        calendars.push(r.data as Calendar);
      }
    }
    return {
      procedures,
      units,
      calendars: calendarSetFromCatalog({ calendars, units: [...units.values()] }),
    };
  }
}
