/**
 * kafkajs against @platformatic/kafka, in one run on the same broker and PostgreSQL: the real
 * pipeline (enqueue → OutboxRelay → Kafka → IdempotentConsumer → PostgreSQL effect) with each
 * client under the relay and the consumer, and each client's raw produce and consume as baselines.
 * Each measurement gets its own schema and topics; the two clients take turns, the order swapped
 * each round, and each figure is the median of the rounds. The rule that reads these figures is in
 * docs/decisions.md ("The Kafka client").
 * Run: `pnpm bench clients` (or directly with KAFKA_BROKERS, DATABASE_URL, REDIS_URL set).
 */
import {
  Consumer as PlatformaticKafkaConsumer,
  Producer as PlatformaticKafkaProducer,
  ProduceAcks,
} from "@platformatic/kafka";
import { type BenchResult, createTestEnv, runIfMain, type TestEnv, waitUntil } from "@tthc/testkit";
import { Kafka, logLevel } from "kafkajs";
import {
  enqueue,
  ensureBusTables,
  eventDecoder,
  eventRecord,
  IdempotentConsumer,
  type IdempotentConsumerOptions,
  OutboxRelay,
  type OutboxRelayOptions,
  outboxPending,
} from "../src/index.js";
import { PlatformaticConsumer } from "../src/platformatic/consumer.js";
import { PlatformaticProducer } from "../src/platformatic/producer.js";
import {
  applyToLedgerBatched,
  assignedEvents,
  dossierIds,
  ledgerCounts,
  ledgerSql,
} from "../test/fixtures/ledger.js";

const N = Number(process.env.BENCH_BUS_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_CLIENT_ROUNDS ?? 3);

type Client = "kafkajs" | "platformatic";
type Rates = { pipeline: number; relay: number; produce: number; consume: number };

/**
 * OutboxRelay and IdempotentConsumer build their BusProducer and BusConsumer in their constructors
 * and take no other; these subclasses put the @platformatic/kafka ones in their place, touching
 * nothing else of the classes.
 */
class PlatformaticRelay extends OutboxRelay {
  constructor(options: OutboxRelayOptions) {
    super(options);
    (this as unknown as { producer: PlatformaticProducer }).producer = new PlatformaticProducer(
      options.client,
    );
  }
}

class PlatformaticIdempotentConsumer<T> extends IdempotentConsumer<T> {
  constructor(options: IdempotentConsumerOptions<T>) {
    super(options);
    const self = this as unknown as { consumer: PlatformaticConsumer; producer: PlatformaticProducer };
    self.consumer = new PlatformaticConsumer(options.client, {
      groupId: options.name,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
      sessionTimeoutMs: options.sessionTimeoutMs,
      commitIntervalMs: options.commitIntervalMs,
    });
    self.producer = new PlatformaticProducer(options.client);
  }
}

interface Payload {
  key: string;
  value: string;
}

/** Idempotent produce, acks from all replicas, batches of 500, to a topic of 12 partitions. */
async function rawProduce(client: Client, env: TestEnv, topic: string, values: Payload[]): Promise<number> {
  if (client === "kafkajs") {
    const kafka = new Kafka({
      clientId: "bench",
      brokers: env.servers.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t = performance.now();
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({ topic, acks: -1, messages: values.slice(i, i + 500) });
    }
    const rate = values.length / ((performance.now() - t) / 1000);
    await producer.disconnect();
    return rate;
  }
  const producer = new PlatformaticKafkaProducer({
    clientId: "bench",
    bootstrapBrokers: env.servers.kafkaBrokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
  });
  // Metadata and the producer id, outside the timing as kafkajs's connect() is.
  await producer.metadata({ topics: [topic] });
  const t = performance.now();
  for (let i = 0; i < values.length; i += 500) {
    await producer.send({
      messages: values.slice(i, i + 500).map((v) => ({
        topic,
        key: Buffer.from(v.key),
        value: Buffer.from(v.value),
      })),
    });
  }
  const rate = values.length / ((performance.now() - t) / 1000);
  await producer.close();
  return rate;
}

/** Consumes the topic from the beginning in a new group, no work per record. */
async function rawConsume(client: Client, env: TestEnv, topic: string, n: number): Promise<number> {
  let consumed = 0;
  if (client === "kafkajs") {
    const kafka = new Kafka({
      clientId: "bench",
      brokers: env.servers.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${env.topicPrefix}.raw`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const t = performance.now();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        consumed += batch.messages.length;
      },
    });
    await waitUntil("raw consume", () => consumed >= n, 300_000, 20);
    const rate = n / ((performance.now() - t) / 1000);
    await consumer.disconnect();
    return rate;
  }
  const consumer = new PlatformaticKafkaConsumer({
    clientId: "bench",
    bootstrapBrokers: env.servers.kafkaBrokers,
    groupId: `${env.topicPrefix}.raw`,
    maxWaitTime: 100,
  });
  const t = performance.now();
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  stream.on("data", () => {
    consumed++;
  });
  await waitUntil("raw consume", () => consumed >= n, 300_000, 20);
  const rate = n / ((performance.now() - t) / 1000);
  await stream.close();
  await consumer.close();
  return rate;
}

/** All N events enqueued (transactions of 100), then the consumer and the relay started. */
async function pipeline(client: Client, env: TestEnv, values: ReturnType<typeof assignedEvents>) {
  await ensureBusTables(env.pool);
  await env.pool.query(ledgerSql);
  for (let i = 0; i < values.length; i += 100) {
    const tx = await env.pool.connect();
    await tx.query("BEGIN");
    await enqueue(
      tx,
      values.slice(i, i + 100).map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    tx.release();
  }
  const consumerOptions: IdempotentConsumerOptions<(typeof values)[number]> = {
    client: env.bus,
    pool: env.pool,
    name: "bench-ledger",
    topics: ["dossier.events"],
    decoder: eventDecoder,
    handle: (deliveries, tx) => applyToLedgerBatched(deliveries, tx),
  };
  const relayOptions: OutboxRelayOptions = {
    client: env.bus,
    pool: env.pool,
    name: "bench",
    pollIntervalMs: 50,
  };
  const ledger =
    client === "kafkajs"
      ? new IdempotentConsumer(consumerOptions)
      : new PlatformaticIdempotentConsumer(consumerOptions);
  const relay = client === "kafkajs" ? new OutboxRelay(relayOptions) : new PlatformaticRelay(relayOptions);
  const t = performance.now();
  await ledger.start();
  await relay.start();
  const relayDone = waitUntil(
    "outbox published",
    async () => (await outboxPending(env.pool)) === 0,
    600_000,
    20,
  ).then(() => performance.now());
  await waitUntil(
    "all effects",
    async () => (await ledgerCounts(env.pool)).effects >= values.length,
    600_000,
    100,
  );
  const pipelineRate = values.length / ((performance.now() - t) / 1000);
  const relayRate = values.length / (((await relayDone) - t) / 1000);
  await relay.stop();
  await ledger.stop();
  const counts = await ledgerCounts(env.pool);
  if (counts.effects !== values.length || counts.distinct_events !== values.length)
    throw new Error(`${client}: effects ${JSON.stringify(counts)}`);
  return { pipelineRate, relayRate };
}

async function measure(client: Client, round: number): Promise<Rates> {
  const env = await createTestEnv(`bench-${client}-${round}`);
  try {
    const events = assignedEvents(N, dossierIds(2_000));
    const values = events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) }));
    const rawTopic = env.bus.topic("sla.events");
    const produce = await rawProduce(client, env, rawTopic, values);
    const consume = await rawConsume(client, env, rawTopic, N);
    const { pipelineRate, relayRate } = await pipeline(client, env, events);
    return { pipeline: pipelineRate, relay: relayRate, produce, consume };
  } finally {
    await env.cleanup();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export default async function run(): Promise<BenchResult[]> {
  const seen: Record<Client, Rates[]> = { kafkajs: [], platformatic: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Client[] = round % 2 === 0 ? ["kafkajs", "platformatic"] : ["platformatic", "kafkajs"];
    for (const client of order) {
      const rates = await measure(client, round);
      seen[client].push(rates);
      process.stderr.write(
        `  round ${round + 1} ${client}: pipeline ${Math.round(rates.pipeline)}, relay ${Math.round(rates.relay)}, produce ${Math.round(rates.produce)}, consume ${Math.round(rates.consume)} events/s\n`,
      );
    }
  }
  const fig = (client: Client, what: keyof Rates) => median(seen[client].map((r) => r[what]));
  const all = (client: Client, what: keyof Rates) => seen[client].map((r) => Math.round(r[what])).join(", ");
  // The load of a shared machine drifts between rounds; the two clients of one round ran back to
  // back, so the ratio is the median of the rounds' own ratios.
  const paired = (what: keyof Rates) => seen.platformatic.map((r, i) => r[what] / seen.kafkajs[i]![what]);
  const notes = `${N} dossier.assigned events (~${JSON.stringify(assignedEvents(1, dossierIds(1))[0]).length} bytes each) over 2,000 dossiers, 12 partitions, one broker, PostgreSQL on the same 2-core machine; medians of ${ROUNDS} rounds, the clients taking turns`;
  const line = (what: keyof Rates, name: string, ratioNote: string): BenchResult => ({
    name: `bus clients: ${name}, @platformatic/kafka`,
    value: fig("platformatic", what),
    unit: "events/s",
    baseline: { name: "the same with kafkajs", value: fig("kafkajs", what), unit: "events/s" },
    ratio: median(paired(what)),
    notes: `${notes}; ratio = median over the rounds of platformatic / kafkajs in the same round${ratioNote}; rounds: @platformatic/kafka ${all("platformatic", what)}, kafkajs ${all("kafkajs", what)}, ratios ${paired(
      what,
    )
      .map((r) => r.toFixed(2))
      .join(", ")}`,
  });
  return [
    line(
      "pipeline",
      "outbox → relay → Kafka → idempotent consumer → PostgreSQL effect (set-based handler)",
      " (on the real pipeline: the figure the switch rule reads)",
    ),
    line("relay", "outbox relay → Kafka (rows published, the consumer running beside it)", ""),
    line("produce", "raw produce (idempotent, acks all, batches of 500)", ""),
    line("consume", "raw consume (no work)", ""),
  ];
}

runIfMain(import.meta.url, run);
