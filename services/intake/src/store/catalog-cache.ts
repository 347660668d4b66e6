import type { Pool } from "@tthc/service-kit";
import { CatalogMemory, type CatalogRevision, type CatalogSnapshot } from "../domain/catalog-snapshot.js";
import { readAll } from "./catalog.js";

export type { CatalogSnapshot };

/**
 * The catalogue reception reads, in memory: loaded from `catalog_records` once at start, then kept
 * current by the `catalog` topic (`consumers/catalog.ts`) and by this instance's own writes, so a
 * request reads no table for it. A change made on another instance is seen here once its record is
 * consumed (docs/decisions.md, "The catalogue reception reads").
 */
export class CatalogCache {
  private readonly memory = new CatalogMemory();
  private loaded: Promise<void> | undefined;

  constructor(private readonly pool: Pool) {}

  /** Reads every row; records already held at a higher revision stay. */
  load(): Promise<void> {
    this.loaded ??= readAll(this.pool).then(({ entries }) => {
      for (const e of entries) this.memory.apply(e);
    });
    return this.loaded;
  }

  /** A record consumed from the topic or written here; true when it was newer than the one held. */
  apply(record: CatalogRevision): boolean {
    return this.memory.apply(record);
  }

  /** The snapshot; before the first load (a request during start-up), waits for it. */
  async current(): Promise<CatalogSnapshot> {
    await this.load();
    return this.memory.snapshot();
  }
}
