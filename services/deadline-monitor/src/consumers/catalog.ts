import { PermanentError } from "@tthc/bus";
import type { CatalogRecord } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { MonitorCalendars } from "../domain/calendars.js";
import { saveCatalogRecord } from "../store/dossiers.js";

/** Keeps the catalogue records the clocks need; a calendar or unit the calendar package refuses is dead-lettered. */
export async function handleCatalog(records: { value: CatalogRecord }[], tx: PoolClient): Promise<void> {
  for (const { value } of records) {
    try {
      new MonitorCalendars([value]).at(value.updatedAt, value.type === "unit" ? value.data.code : "default");
      // A calendar version's days, resolved now rather than when a clock first needs them.
      if (value.type === "calendar") new MonitorCalendars([value]).set.recordInForce(value.data.year);
    } catch (err) {
      throw new PermanentError(`catalogue record ${value.key} refused: ${(err as Error).message}`);
    }
    await saveCatalogRecord(tx, value);
  }
}
