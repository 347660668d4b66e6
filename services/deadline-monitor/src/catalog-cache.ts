import type { Pool } from "@tthc/service-kit";
import { MonitorCalendars } from "./domain/calendars.js";
import { catalogSeq, loadCatalog } from "./store/dossiers.js";

/**
 * The calendars built from the catalogue records in the monitor's tables. Any instance's catalogue
 * consumer may have written them: `refresh` reloads only when the sequence of changes moved.
 */
export class CatalogCache {
  private seq = "-1";
  private current = new MonitorCalendars([]);

  constructor(private readonly pool: Pool) {}

  get calendars(): MonitorCalendars {
    return this.current;
  }

  async refresh(): Promise<MonitorCalendars> {
    const seq = await catalogSeq(this.pool);
    if (seq !== this.seq) {
      const loaded = await loadCatalog(this.pool);
      this.current = new MonitorCalendars(loaded.records);
      this.seq = seq;
    }
    return this.current;
  }
}
