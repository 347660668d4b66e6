import { PermanentError } from "@tthc/bus";
import type { CatalogRecord } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { MonitorCalendars } from "../domain/calendars.js";
import { saveCatalogRecords } from "../store/dossiers.js";

/**
 * Keeps the catalogue records the clocks need, a run in one statement; a calendar or unit the
 * calendar package refuses is dead-lettered. Of several records of one key in the run, the highest
 * revision (the later of equals) is written; a copy of a record already kept changes nothing.
 */
export async function handleCatalog(records: { value: CatalogRecord }[], tx: PoolClient): Promise<void> {
  const latest = new Map<string, CatalogRecord>();
  for (const { value } of records) {
    try {
      new MonitorCalendars([value]).at(value.updatedAt, value.type === "unit" ? value.data.code : "default");
      // A calendar version's days, resolved now rather than when a clock first needs them.
      if (value.type === "calendar") new MonitorCalendars([value]).set.recordInForce(value.data.year);
    } catch (err) {
      throw new PermanentError(`catalogue record ${value.key} refused: ${(err as Error).message}`);
    }
    const kept = latest.get(value.key);
    if (!kept || value.revision >= kept.revision) latest.set(value.key, value);
  }
  await saveCatalogRecords(tx, [...latest.values()]);
}
