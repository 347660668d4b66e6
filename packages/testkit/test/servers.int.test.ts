import { BusConsumer, BusProducer, type IncomingMessage } from "@tthc/bus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEnv, type TestEnv, waitUntil } from "../src/index.js";

let env: TestEnv;
let other: TestEnv;

beforeAll(async () => {
  [env, other] = await Promise.all([createTestEnv("testkit"), createTestEnv("testkit-other")]);
});
afterAll(async () => {
  await Promise.all([env?.cleanup(), other?.cleanup()]);
});

describe("testkit gives each test file real servers of its own", () => {
  it("a record produced to the real broker comes back through a consumer group, key and all", async () => {
    const producer = new BusProducer(env.bus);
    const consumer = new BusConsumer(env.bus, { groupId: "roundtrip", topics: ["dossier.events"] });
    const seen: IncomingMessage[] = [];
    await consumer.start(async (batch) => {
      seen.push(...batch.messages);
      return batch.messages.at(-1)?.offset;
    });
    try {
      await producer.send("dossier.events", [
        { key: "dossier-1", value: JSON.stringify({ n: 1 }), headers: { kind: "test" } },
        { key: "dossier-1", value: JSON.stringify({ n: 2 }) },
      ]);
      await waitUntil("both records", () => seen.length >= 2);
      expect(seen.map((m) => JSON.parse(m.value!.toString()).n)).toEqual([1, 2]);
      expect(seen[0]).toMatchObject({ topic: "dossier.events", key: "dossier-1", headers: { kind: "test" } });
      expect(seen[0]!.partition).toBe(seen[1]!.partition);
      // The group committed what it handled: no lag left behind.
      await waitUntil("offsets committed", async () => {
        const lag = await env.admin.groupLag(
          `${env.topicPrefix}.roundtrip`,
          `${env.topicPrefix}.dossier.events`,
        );
        return lag.every((p) => p.lag === 0);
      });
    } finally {
      await Promise.all([consumer.stop(), producer.disconnect()]);
    }
  });

  it("the catalogue's topics exist under the file's prefix with their partition counts", async () => {
    const [events, catalog, dlq] = await env.admin.describe([
      `${env.topicPrefix}.dossier.events`,
      `${env.topicPrefix}.catalog`,
      `${env.topicPrefix}.dossier.events.dlq`,
    ]);
    expect(events?.partitions).toBe(12);
    expect(catalog?.partitions).toBe(1);
    expect(dlq?.partitions).toBe(1);
  });

  it("writes and reads PostgreSQL in the file's own schema", async () => {
    await env.pool.query("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
    await env.pool.query("INSERT INTO notes VALUES (1, 'hồ sơ')");
    const { rows } = await env.pool.query("SELECT body, current_schema() AS schema FROM notes");
    expect(rows).toEqual([{ body: "hồ sơ", schema: env.schema }]);
    // The other file's schema has no such table.
    await expect(other.pool.query("SELECT * FROM notes")).rejects.toThrow(/does not exist/);
  });

  it("writes and reads Redis under the file's own key prefix", async () => {
    await env.redis.set("counter", "41");
    await env.redis.incr("counter");
    expect(await env.redis.get("counter")).toBe("42");
    expect(await other.redis.get("counter")).toBeNull();
  });

  it("the service environment points at the file's world", () => {
    const vars = env.serviceEnv({ PORT: "1234" });
    expect(vars).toMatchObject({
      KAFKA_TOPIC_PREFIX: env.topicPrefix,
      DATABASE_SCHEMA: env.schema,
      REDIS_KEY_PREFIX: env.keyPrefix,
      PORT: "1234",
    });
  });
});
