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
    } catch (err) {
      throw new PermanentError(`catalogue record ${value.key} refused: ${(err as Error).message}`);
    }
    await saveCatalogRecord(tx, value);
  }
}
