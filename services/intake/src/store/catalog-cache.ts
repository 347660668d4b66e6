import { type CalendarSet, calendarSetFromCatalog } from "@tthc/calendar";
import type { Calendar, Procedure, Unit } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import { readAll, readGeneration } from "./catalog.js";

/** The catalogue as one instance holds it in memory, with the calendars built from it. */
export interface CatalogSnapshot {
  generation: number;
  procedures: ReadonlyMap<string, { data: Procedure; revision: number }>;
  units: ReadonlyMap<string, { data: Unit; revision: number }>;
  calendars: CalendarSet;
}

/**
 * Reloads the catalogue when its generation moved (a seed, or a PUT on any instance): one small
 * query per use instead of reading the procedure, the unit and the calendars for each reception.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | undefined;
  private loading: Promise<CatalogSnapshot> | undefined;

  constructor(private readonly pool: Pool) {}

  async current(): Promise<CatalogSnapshot> {
    const generation = await readGeneration(this.pool);
    if (this.snapshot && this.snapshot.generation === generation) return this.snapshot;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<CatalogSnapshot> {
    const { generation, entries } = await readAll(this.pool);
    const procedures = new Map<string, { data: Procedure; revision: number }>();
    const units = new Map<string, { data: Unit; revision: number }>();
    const calendars: Calendar[] = [];
    for (const e of entries) {
      if (e.type === "procedure") {
        const data = e.data as Procedure;
        procedures.set(data.code, { data, revision: e.revision });
      } else if (e.type === "unit") {
        const data = e.data as Unit;
        units.set(data.code, { data, revision: e.revision });
      } else {
        calendars.push(e.data as Calendar);
      }
    }
    this.snapshot = {
      generation,
      procedures,
      units,
      calendars: calendarSetFromCatalog({ calendars, units: [...units.values()] }),
    };
    return this.snapshot;
  }
}
