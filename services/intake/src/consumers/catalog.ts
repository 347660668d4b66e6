import { randomUUID } from "node:crypto";
import { type BusClient, BusConsumer, catalogDecoder, type IncomingBatch } from "@tthc/bus";
import type { Logger } from "@tthc/service-kit";
import type { CatalogCache } from "../store/catalog-cache.js";

/**
 * Every instance follows the whole `catalog` topic into its in-memory catalogue: its own consumer
 * group (a new one at each start, so it reads the compacted topic from the beginning) and no
 * offsets worth keeping, since the revision check makes a record read twice change nothing.
 */
export function catalogFollower(
  bus: BusClient,
  cache: CatalogCache,
  logger: Logger,
): { start(): Promise<void>; stop(): Promise<void> } {
  const consumer = new BusConsumer(bus, {
    groupId: `intake-catalog-${randomUUID()}`,
    topics: ["catalog"],
    fromBeginning: true,
  });
  const handle = async (batch: IncomingBatch): Promise<string | undefined> => {
    for (const m of batch.messages) {
      const decoded = catalogDecoder.decode(m.value, m.key);
      if (!decoded.ok) {
        logger.warn(
          { offset: m.offset, partition: m.partition, key: m.key },
          "catalogue record not readable",
        );
        continue;
      }
      cache.apply(decoded.value);
    }
    return batch.messages.at(-1)?.offset;
  };
  return { start: () => consumer.start(handle), stop: () => consumer.stop() };
}
