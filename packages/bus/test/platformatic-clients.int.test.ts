/**
 * The @platformatic/kafka producer and consumer (src/platformatic) keep BusProducer's and
 * BusConsumer's contract on the real broker: a key lands on the partition the Java client's (and
 * kafkajs's) partitioner picks, records come back intact, and a group resumes exactly after what
 * its handler reported done. Their speed is measured in bench/clients.bench.ts.
 */
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import { Partitioners } from "kafkajs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IncomingMessage } from "../src/index.js";
import { PlatformaticConsumer } from "../src/platformatic/consumer.js";
import { PlatformaticProducer } from "../src/platformatic/producer.js";
import { dossierIds } from "./fixtures/ledger.js";

let env: TestEnv;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  env = await createTestEnv("platformatic");
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await env?.cleanup();
});

/** Where kafkajs's DefaultPartitioner (murmur2, as the Java client) puts a key on 12 partitions. */
function kafkajsPartition(key: string): number {
  const partitionMetadata = Array.from({ length: 12 }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  return Partitioners.DefaultPartitioner()({ topic: "t", partitionMetadata, message: { key, value: null } });
}

async function produce(keys: string[]) {
  const producer = new PlatformaticProducer(env.bus);
  cleanups.push(() => producer.disconnect());
  for (let i = 0; i < keys.length; i += 100) {
    await producer.send(
      "sla.events",
      keys
        .slice(i, i + 100)
        .map((key, j) => ({ key, value: `value ${i + j}`, headers: { n: String(i + j) } })),
    );
  }
}

describe("@platformatic/kafka producer and consumer with the bus's contract", () => {
  it("puts each key where kafkajs would, and hands back key, value and headers intact", async () => {
    const keys = [...dossierIds(200), ...dossierIds(200)];
    await produce(keys);
    const seen: IncomingMessage[] = [];
    const badBatches: string[] = [];
    const consumer = new PlatformaticConsumer(env.bus, { groupId: "reader", topics: ["sla.events"] });
    cleanups.push(() => consumer.stop());
    await consumer.start(async (batch) => {
      if (!batch.messages.every((m) => m.partition === batch.partition && m.topic === "sla.events"))
        badBatches.push(`partition ${batch.partition}: records of another partition`);
      if (BigInt(batch.highWatermark) <= BigInt(batch.messages.at(-1)!.offset))
        badBatches.push(
          `partition ${batch.partition}: high watermark ${batch.highWatermark} not past the last record`,
        );
      seen.push(...batch.messages);
      return batch.messages.at(-1)!.offset;
    });
    await waitUntil("all records", () => seen.length >= keys.length, 60_000);
    expect(badBatches).toEqual([]);
    expect(seen).toHaveLength(keys.length);
    const misplaced = seen.filter((m) => m.partition !== kafkajsPartition(m.key!));
    expect(misplaced).toEqual([]);
    const byN = new Map(seen.map((m) => [Number(m.headers.n), m]));
    for (const [n, key] of keys.entries()) {
      expect(byN.get(n)?.key).toBe(key);
      expect(byN.get(n)?.value?.toString()).toBe(`value ${n}`);
    }
  });

  it("commits only up to what the handler reports, so the group resumes right after it", async () => {
    const keys = dossierIds(300);
    await produce(keys);
    // First member: reports done only up to offset 9 of each partition.
    const firstSeen: IncomingMessage[] = [];
    const first = new PlatformaticConsumer(env.bus, { groupId: "resume", topics: ["sla.events"] });
    await first.start(async (batch) => {
      firstSeen.push(...batch.messages);
      const done = batch.messages.filter((m) => Number(m.offset) <= 9).at(-1);
      return done?.offset;
    });
    await waitUntil("the first member saw every record", () => firstSeen.length >= keys.length, 60_000);
    await first.stop();

    // Second member of the same group: starts at offset 10 of every partition that had more.
    const secondSeen: IncomingMessage[] = [];
    const second = new PlatformaticConsumer(env.bus, { groupId: "resume", topics: ["sla.events"] });
    cleanups.push(() => second.stop());
    await second.start(async (batch) => {
      secondSeen.push(...batch.messages);
      return batch.messages.at(-1)!.offset;
    });
    const expected = firstSeen.filter((m) => Number(m.offset) >= 10).length;
    expect(expected).toBeGreaterThan(0);
    await waitUntil("the rest", () => secondSeen.length >= expected, 60_000);
    expect(secondSeen).toHaveLength(expected);
    expect(secondSeen.every((m) => Number(m.offset) >= 10)).toBe(true);
    expect(new Set(secondSeen.map((m) => `${m.partition}:${m.offset}`)).size).toBe(expected);
  });
});
