import { catalogDecoder, type Decoder, type DeliveryHandler, eventDecoder } from "@tthc/bus";
import type { CatalogRecord, CurrentEvent } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import { patchOf, type StatsPatch } from "../domain/patch.js";
import { applyCatalog } from "../store/catalog.js";
import { type ApplyOptions, applyPatches } from "../store/dossiers.js";
import type { Tables } from "../store/tables.js";

export const STATS_TOPICS = ["catalog", "dossier.events", "sla.events"];

/** Events arrive in their current version (older versions upcast by the bus's decoder). */
export type StatsInput = { kind: "event"; event: CurrentEvent } | { kind: "catalog"; record: CatalogRecord };

const catalogKey = /^(procedure|unit|calendar):/;

/** One decoder for the three topics: catalogue records are keyed `unit:…`, events by dossier id. */
export const statsDecoder: Decoder<StatsInput> = {
  decode(value, key) {
    if (key !== null && catalogKey.test(key)) {
      const r = catalogDecoder.decode(value, key);
      return r.ok ? { ok: true, value: { kind: "catalog", record: r.value } } : r;
    }
    const r = eventDecoder.decode(value, key);
    return r.ok ? { ok: true, value: { kind: "event", event: r.value } } : r;
  },
  idOf: (v) => (v.kind === "event" ? eventDecoder.idOf(v.event) : catalogDecoder.idOf(v.record)),
};

/**
 * Applies a run of records to some tables: the catalogue records in one statement per kind, the
 * events folded per dossier and written set-based (store/dossiers.ts). Reports the units whose
 * figures changed.
 */
export async function applyRun(
  tx: PoolClient,
  tables: Tables,
  inputs: StatsInput[],
  options: ApplyOptions = { live: true },
): Promise<string[]> {
  const records: CatalogRecord[] = [];
  const patches: StatsPatch[] = [];
  for (const input of inputs) {
    if (input.kind === "catalog") records.push(input.record);
    else {
      const patch = patchOf(input.event);
      if (patch) patches.push(patch);
    }
  }
  await applyCatalog(tx, tables, records);
  return applyPatches(tx, tables, patches, options);
}

export interface StatsHandlerOptions {
  /** The tables to write, read at each run (a rebuild swaps them). */
  tables: () => Tables;
  /**
   * Whether the tables are the live ones, read at each run (store/dossiers.ts, `ApplyOptions`): not
   * while a rebuild fills its own. Always, by default.
   */
  isLive?: () => boolean;
  /**
   * Called inside the transaction with the changed units; it must not write (e.g. it remembers
   * them for a notice once the transaction is over: consumers/after-release.ts).
   */
  onChanged?: (tx: PoolClient, units: string[]) => void;
  /** Held around each run, so that a table swap never meets a run half done. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Counts applied records (rebuild progress). */
  onApplied?: (n: number) => void;
}

export function statsHandler(options: StatsHandlerOptions): DeliveryHandler<StatsInput> {
  const lock = options.lock ?? ((fn) => fn());
  return (deliveries, tx) =>
    lock(async () => {
      const units = await applyRun(
        tx,
        options.tables(),
        deliveries.map((d) => d.value),
        { live: options.isLive?.() ?? true },
      );
      if (units.length && options.onChanged) options.onChanged(tx, units);
      options.onApplied?.(deliveries.length);
    });
}
