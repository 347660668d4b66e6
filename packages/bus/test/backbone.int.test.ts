import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnyEvent } from "@tthc/contracts";
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BusConsumer,
  BusProducer,
  createBusClient,
  DLQ_HEADERS,
  enqueue,
  ensureBusTables,
  eventDecoder,
  eventRecord,
  IdempotentConsumer,
  type IncomingMessage,
  OutboxRelay,
  outboxPending,
} from "../src/index.js";
import {
  applyToLedger,
  applyToLedgerOnce,
  assignedEvents,
  dossierIds,
  ledgerCounts,
  ledgerSql,
} from "./fixtures/ledger.js";

const FIXTURES = join(import.meta.dirname, "fixtures");
let env: TestEnv;
const cleanups: (() => Promise<void>)[] = [];

// Each test gets a world of its own: topics, schema (ledger and bus tables) and key prefix.
beforeEach(async () => {
  env = await createTestEnv("bus");
  await ensureBusTables(env.pool);
  await env.pool.query(ledgerSql);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await env?.cleanup();
});

/** A consumer applying the ledger; `once`: the ledger that is idempotent by construction. */
function ledgerConsumer(group: string, instance = "main", once = false) {
  const consumer = new IdempotentConsumer<AnyEvent>({
    client: createBusClient({
      brokers: env.servers.kafkaBrokers,
      clientId: instance,
      topicPrefix: env.topicPrefix,
    }),
    pool: env.pool,
    name: group,
    topics: ["dossier.events"],
    decoder: eventDecoder,
    backoffMs: 10,
    maxAttempts: 3,
    sessionTimeoutMs: 6_000,
    handle: (deliveries, tx) => (once ? applyToLedgerOnce : applyToLedger)(deliveries, tx, instance),
  });
  cleanups.push(() => consumer.stop());
  return consumer;
}

function startRelay(extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) {
  const relay = new OutboxRelay({
    client: env.bus,
    pool: env.pool,
    name: "test",
    pollIntervalMs: 100,
    ...extra,
  });
  cleanups.push(() => relay.stop());
  return relay;
}

const endOffsetsSum = (topic: string) => env.admin.endOffsetsSum(topic);

function spawnFixture(file: string, vars: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", join(FIXTURES, file)], {
    env: {
      ...process.env,
      KAFKA_BROKERS: env.servers.kafkaBrokers.join(","),
      TOPIC_PREFIX: env.topicPrefix,
      DATABASE_URL: env.servers.databaseUrl,
      SCHEMA: env.schema,
      ...vars,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  return Object.assign(child, { output: () => out });
}

describe("the outbox publishes what a transaction commits, and consumers apply it once", () => {
  it("an event goes in through the outbox and out through a consumer, in order per dossier", async () => {
    const dossiers = dossierIds(4);
    const events = assignedEvents(40, dossiers);
    const tx = await env.pool.connect();
    await tx.query("BEGIN");
    await enqueue(
      tx,
      events.map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    tx.release();

    const seen: AnyEvent[] = [];
    const consumer = new IdempotentConsumer<AnyEvent>({
      client: env.bus,
      pool: env.pool,
      name: "in-out",
      topics: ["dossier.events"],
      decoder: eventDecoder,
      handle: async (deliveries, t) => {
        seen.push(...deliveries.map((d) => d.value));
        await applyToLedger(deliveries, t);
      },
    });
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await startRelay().start();

    await waitUntil("40 effects", async () => (await ledgerCounts(env.pool)).effects === 40);
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 40, distinct_events: 40, total: 40 });
    expect(await outboxPending(env.pool)).toBe(0);
    for (const d of dossiers) {
      const mine = seen.filter((e) => e.dossierId === d).map((e) => e.id);
      expect(mine).toEqual(events.filter((e) => e.dossierId === d).map((e) => e.id));
    }
  });

  it("a rolled-back transaction publishes nothing, and an event id enqueued twice is sent once", async () => {
    const [event] = assignedEvents(1, dossierIds(1));
    const before = await endOffsetsSum("dossier.events");
    const tx = await env.pool.connect();
    await tx.query("BEGIN");
    await enqueue(tx, [eventRecord(event!)]);
    await tx.query("ROLLBACK");
    await tx.query("BEGIN");
    await enqueue(tx, [eventRecord(event!)]);
    await enqueue(tx, [eventRecord(event!)]);
    await tx.query("COMMIT");
    tx.release();
    const relay = startRelay();
    await relay.start();
    await waitUntil("outbox drained", async () => (await outboxPending(env.pool)) === 0);
    expect(await endOffsetsSum("dossier.events")).toBe(before + 1);
  });

  it("refuses to enqueue an event that breaks its contract", () => {
    const [event] = assignedEvents(1, dossierIds(1));
    const broken = { ...event!, payload: { ...event!.payload, stepId: 42 } } as unknown as AnyEvent;
    expect(() => eventRecord(broken)).toThrow(/payload\.stepId/);
  });
});

describe("poison records go to the dead-letter topic and the partition goes on", () => {
  it("invalid bytes, an invalid event and an event whose handler keeps failing land in the DLQ", async () => {
    const key = dossierIds(1)[0]!; // one key: all on one partition, so order is testable
    const poisonDossier = "00000000-0000-4000-8000-000000000001";
    const [failing] = assignedEvents(1, [poisonDossier]);
    const good = assignedEvents(5, [key]);
    const [invalidEvent] = assignedEvents(1, [key]);
    const producer = new BusProducer(env.bus);
    cleanups.push(() => producer.disconnect());
    await producer.send("dossier.events", [
      { key, value: "{not json" },
      { key, value: JSON.stringify({ ...invalidEvent, payload: { stepId: 42 } }) },
      { key, value: JSON.stringify(good[0]) },
      { key, value: JSON.stringify(failing) },
      ...good.slice(1).map((e) => ({ key, value: JSON.stringify(e) })),
    ]);

    const consumer = ledgerConsumer("poison");
    await consumer.start();
    await waitUntil("5 good effects", async () => (await ledgerCounts(env.pool)).effects === 5);

    const dead: IncomingMessage[] = [];
    const dlqReader = new BusConsumer(env.bus, { groupId: "dlq-reader", topics: ["dossier.events.dlq"] });
    cleanups.push(() => dlqReader.stop());
    await dlqReader.start(async (batch) => {
      dead.push(...batch.messages);
      return batch.messages.at(-1)?.offset;
    });
    await waitUntil("3 dead letters", () => dead.length >= 3);
    expect(dead.map((m) => m.headers[DLQ_HEADERS.reason])).toEqual(["invalid", "invalid", "failed"]);
    expect(dead[0]!.value!.toString()).toBe("{not json");
    expect(dead[1]!.headers[DLQ_HEADERS.error]).toMatch(/payload/);
    expect(dead[2]!.headers[DLQ_HEADERS.error]).toMatch(/poison dossier/);
    expect(dead[2]!.headers[DLQ_HEADERS.topic]).toBe("dossier.events");
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 5, distinct_events: 5, total: 5 });
    // The dead-lettered records' offsets are stored too: after a restart they are not sent again.
    const stored = await env.pool.query<{ n: number }>(
      "SELECT sum(next_offset)::int AS n FROM bus_consumer_offsets WHERE consumer = 'poison'",
    );
    expect(stored.rows[0]!.n).toBe(await endOffsetsSum("dossier.events"));
  });
});

describe("crashes lose nothing and count nothing twice", () => {
  it("a consumer killed (SIGKILL) in the middle of a batch and restarted yields every effect once", async () => {
    const events = assignedEvents(300, dossierIds(30));
    const producer = new BusProducer(env.bus);
    cleanups.push(() => producer.disconnect());
    await producer.send(
      "dossier.events",
      events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) })),
    );

    const first = spawnFixture("ledger-consumer.ts", {
      GROUP: "crash",
      INSTANCE: "first",
      SLOW_MS: "15",
      RUN_SIZE: "5", // effects become durable every 5 records, offsets only at the end of a batch
    });
    await waitUntil("some effects", async () => (await ledgerCounts(env.pool)).effects >= 60, 60_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = (await ledgerCounts(env.pool)).effects;
    expect(atKill).toBeLessThan(300);
    // The offsets committed to Kafka lag the effects; to make the worst case certain, the group's
    // Kafka offsets go back to the start (once the dead member has left). The offsets kept in
    // PostgreSQL with the effects are what the second process must start from.
    await waitUntil(
      "the group to be empty and rewound",
      () => env.admin.rewindGroup("crash", "dossier.events").then(() => true),
      30_000,
      500,
    );

    const second = spawnFixture("ledger-consumer.ts", { GROUP: "crash", INSTANCE: "second" });
    await waitUntil("all 300 effects", async () => (await ledgerCounts(env.pool)).effects >= 300, 90_000);
    await sleep(1_500); // anything redelivered late would show up as a 301st effect
    second.kill("SIGTERM");
    await new Promise((r) => second.once("exit", r));
    // The ledger has no guard of its own: each effect once proves the offsets kept with the effects.
    expect(second.output()).toContain(`records handed to the handler: ${300 - atKill}`);
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 300, distinct_events: 300, total: 300 });
  });

  it("a relay killed between publish and saving the watermark republishes, and the copies change nothing", async () => {
    const events = assignedEvents(50, dossierIds(5));
    const tx = await env.pool.connect();
    await tx.query("BEGIN");
    await enqueue(
      tx,
      events.map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    tx.release();
    const before = await endOffsetsSum("dossier.events");

    const crashing = spawnFixture("ledger-relay.ts", { CRASH_AFTER_PUBLISH: "1" });
    await new Promise((r) => crashing.once("exit", r));
    expect(crashing.signalCode).toBe("SIGKILL");
    expect(crashing.output()).toMatch(/published 50, crashing before the watermark/);
    expect(await endOffsetsSum("dossier.events")).toBe(before + 50);
    expect(await outboxPending(env.pool)).toBe(50); // published, the watermark never saved

    await startRelay().start();
    await waitUntil("outbox drained", async () => (await outboxPending(env.pool)) === 0);
    expect(await endOffsetsSum("dossier.events")).toBe(before + 100); // the duplicates did reach Kafka

    // The copies have new offsets: only a handler idempotent by construction absorbs them.
    const consumer = ledgerConsumer("after-relay-crash", "main", true);
    await consumer.start();
    await waitUntil("50 effects", async () => (await ledgerCounts(env.pool)).effects >= 50);
    await sleep(1_500);
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 50, distinct_events: 50, total: 50 });
  });
});

describe("where a consumer starts", () => {
  it("with its stored offsets gone, from the earliest record, whatever its group committed to Kafka", async () => {
    const events = assignedEvents(20, dossierIds(4));
    const producer = new BusProducer(env.bus);
    cleanups.push(() => producer.disconnect());
    await producer.send(
      "dossier.events",
      events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) })),
    );
    const first = ledgerConsumer("emptied");
    await first.start();
    await waitUntil("20 effects", async () => (await ledgerCounts(env.pool)).effects === 20);
    await first.stop(); // commits the group's Kafka offsets at the end of the topic
    // The tables are emptied with their offsets, as a rebuild started again empties its own.
    await env.pool.query("DELETE FROM bus_consumer_offsets; DELETE FROM effects; DELETE FROM totals");

    const second = ledgerConsumer("emptied");
    await second.start();
    await waitUntil("20 effects again", async () => (await ledgerCounts(env.pool)).effects === 20);
    await sleep(1_000);
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 20, distinct_events: 20, total: 20 });
  });
});

describe("a consumer group scales out", () => {
  it("two instances share the partitions and together handle everything once", async () => {
    const a = ledgerConsumer("pair", "a");
    const b = ledgerConsumer("pair", "b");
    const assigned = new Map<string, number>();
    for (const [name, c] of [
      ["a", a],
      ["b", b],
    ] as const) {
      c.instrumentation.on(c.instrumentation.events.GROUP_JOIN, (e) => {
        const partitions = Object.values(e.payload.memberAssignment).flat().length;
        assigned.set(name, partitions);
      });
    }
    await a.start();
    await b.start();
    await waitUntil(
      "both instances to own partitions",
      () => (assigned.get("a") ?? 0) > 0 && (assigned.get("b") ?? 0) > 0,
      60_000,
    );

    const events = assignedEvents(400, dossierIds(60));
    const producer = new BusProducer(env.bus);
    cleanups.push(() => producer.disconnect());
    await producer.send(
      "dossier.events",
      events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) })),
    );
    const count = async () =>
      (
        await env.pool.query<{ instance: string; n: number }>(
          "SELECT instance, count(*)::int AS n FROM effects GROUP BY instance",
        )
      ).rows;
    await waitUntil(
      "all 400 effects",
      async () => (await count()).reduce((s, r) => s + r.n, 0) >= 400,
      60_000,
    );
    await sleep(1_000);
    const byInstance = Object.fromEntries((await count()).map((r) => [r.instance, r.n]));
    expect((byInstance.a ?? 0) + (byInstance.b ?? 0)).toBe(400);
    expect(byInstance.a).toBeGreaterThan(0);
    expect(byInstance.b).toBeGreaterThan(0);
    expect(await ledgerCounts(env.pool)).toEqual({ effects: 400, distinct_events: 400, total: 400 });
  });
});
