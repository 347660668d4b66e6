/**
 * Events per second from the outbox to a handled effect in PostgreSQL (enqueue → relay → Kafka →
 * idempotent consumer → transaction), beside raw kafkajs produce and consume rates of the same
 * events on the same broker in the same run.
 * Run: `pnpm bench bus` (or directly with KAFKA_BROKERS, DATABASE_URL, REDIS_URL set).
 */
import { type BenchResult, createTestEnv, runIfMain, waitUntil } from "@tthc/testkit";
import { Kafka, logLevel } from "kafkajs";
import {
  enqueue,
  ensureBusTables,
  eventDecoder,
  eventRecord,
  IdempotentConsumer,
  OutboxRelay,
  outboxPending,
} from "../src/index.js";
import {
  applyToLedgerBatched,
  assignedEvents,
  dossierIds,
  ledgerCounts,
  ledgerSql,
} from "../test/fixtures/ledger.js";

const N = Number(process.env.BENCH_BUS_EVENTS ?? 20_000);

export default async function run(): Promise<BenchResult[]> {
  const env = await createTestEnv("bench-bus");
  try {
    await ensureBusTables(env.pool);
    await env.pool.query(ledgerSql);
    const events = assignedEvents(N, dossierIds(2_000));
    const values = events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) }));

    // Baseline 1: raw kafkajs produce, batches of 500, idempotent, to a topic of 12 partitions.
    const kafka = new Kafka({
      clientId: "bench",
      brokers: env.servers.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const rawTopic = env.bus.topic("sla.events");
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    let t = performance.now();
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({ topic: rawTopic, acks: -1, messages: values.slice(i, i + 500) });
    }
    const produceRate = N / ((performance.now() - t) / 1000);
    await producer.disconnect();

    // Baseline 2: raw kafkajs consume of the same records, no work per record.
    const consumer = kafka.consumer({ groupId: `${env.topicPrefix}.raw`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: rawTopic, fromBeginning: true });
    let consumed = 0;
    t = performance.now();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
      },
    });
    await waitUntil("raw consume", () => consumed >= N, 300_000, 20);
    const consumeRate = N / ((performance.now() - t) / 1000);
    await consumer.disconnect();

    // The pipeline: all N events enqueued (transactions of 100), then relay and consumer started.
    for (let i = 0; i < events.length; i += 100) {
      const tx = await env.pool.connect();
      await tx.query("BEGIN");
      await enqueue(
        tx,
        events.slice(i, i + 100).map((e) => eventRecord(e)),
      );
      await tx.query("COMMIT");
      tx.release();
    }
    const ledger = new IdempotentConsumer({
      client: env.bus,
      pool: env.pool,
      name: "bench-ledger",
      topics: ["dossier.events"],
      decoder: eventDecoder,
      handle: (deliveries, tx) => applyToLedgerBatched(deliveries, tx),
    });
    const relay = new OutboxRelay({ client: env.bus, pool: env.pool, name: "bench", pollIntervalMs: 50 });
    t = performance.now();
    await ledger.start();
    await relay.start();
    // The relay's own pace: until the last row is published (acknowledged by Kafka and recorded).
    const relayDone = waitUntil(
      "outbox published",
      async () => (await outboxPending(env.pool)) === 0,
      600_000,
      20,
    ).then(() => performance.now());
    await waitUntil("all effects", async () => (await ledgerCounts(env.pool)).effects >= N, 600_000, 100);
    const pipelineRate = N / ((performance.now() - t) / 1000);
    const relayRate = N / (((await relayDone) - t) / 1000);
    await relay.stop();
    await ledger.stop();
    const counts = await ledgerCounts(env.pool);
    if (counts.effects !== N || counts.distinct_events !== N)
      throw new Error(`effects ${JSON.stringify(counts)}`);

    const notes = `${N} dossier.assigned events (~${Math.round(values[0]!.value.length)} bytes each) over 2,000 dossiers, 12 partitions, one broker, PostgreSQL on the same 2-core machine`;
    return [
      {
        name: "bus: outbox → relay → Kafka → idempotent consumer → PostgreSQL effect (set-based handler)",
        value: pipelineRate,
        unit: "events/s",
        baseline: { name: "raw kafkajs consume (no work)", value: consumeRate, unit: "events/s" },
        ratio: pipelineRate / consumeRate,
        notes: `${notes}; ratio = pipeline / raw consume`,
      },
      {
        name: "bus: outbox relay → Kafka (rows published, the consumer running beside it)",
        value: relayRate,
        unit: "events/s",
        baseline: {
          name: "raw kafkajs produce (idempotent, batches of 500)",
          value: produceRate,
          unit: "events/s",
        },
        ratio: relayRate / produceRate,
        notes: `${notes}; ratio = relay / raw produce`,
      },
      {
        name: "bus: raw kafkajs produce (idempotent, batches of 500)",
        value: produceRate,
        unit: "events/s",
        notes,
      },
      { name: "bus: raw kafkajs consume (no work)", value: consumeRate, unit: "events/s", notes },
    ];
  } finally {
    await env.cleanup();
  }
}

runIfMain(import.meta.url, run);
