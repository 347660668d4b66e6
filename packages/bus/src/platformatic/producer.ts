import { compatibilityPartitioner, ProduceAcks, Producer } from "@platformatic/kafka";
import type { BusClient } from "../client.js";
import type { OutgoingMessage } from "../producer.js";

/**
 * The bus's producer over @platformatic/kafka, with BusProducer's shape and guarantees: idempotent
 * production, acks from all replicas, no topic created on the fly, and the Java client's murmur2
 * partitioner (`compatibilityPartitioner`: the hash masked to 31 bits, as Java and kafkajs's
 * DefaultPartitioner do; the library's default partitioner takes the unsigned hash and sends some
 * keys elsewhere). Measured against kafkajs in bench/clients.bench.ts (docs/decisions.md, "The
 * Kafka client").
 */
export class PlatformaticProducer {
  private readonly producer: Producer<string, Buffer, string, string>;

  constructor(private readonly client: BusClient) {
    this.producer = new Producer({
      clientId: client.config.clientId,
      bootstrapBrokers: client.config.brokers,
      connectTimeout: client.config.connectionTimeoutMs ?? 3000,
      retries: 8,
      retryDelay: 100,
      idempotent: true,
      acks: ProduceAcks.ALL,
      autocreateTopics: false,
      partitioner: compatibilityPartitioner,
      serializers: {
        key: (key?: string) => (key === undefined ? undefined : Buffer.from(key, "utf8")),
        value: (value?: Buffer) => value,
        headerKey: (key?: string) => (key === undefined ? undefined : Buffer.from(key, "utf8")),
        headerValue: (value?: string) => (value === undefined ? undefined : Buffer.from(value, "utf8")),
      },
    });
  }

  /** Nothing to open ahead: the library connects on the first send. Kept for BusProducer's shape. */
  async connect(): Promise<void> {}

  async send(topicBase: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topic = this.client.topic(topicBase);
    await this.producer.send({
      messages: messages.map((m) => ({
        topic,
        key: m.key ?? undefined,
        value: typeof m.value === "string" ? Buffer.from(m.value, "utf8") : m.value,
        headers: m.headers,
      })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.producer.closed) return;
    await this.producer.close();
  }
}
