import { CompressionTypes, Partitioners, type Producer } from "kafkajs";
import type { BusClient } from "./client.js";

export interface OutgoingMessage {
  /** Record key: the dossier id for dossier and SLA events, so one dossier's events stay in order. */
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * Sends records to catalogue topics (base names; the client adds its prefix). Idempotent production
 * (acks from all replicas, one in-flight request) so a retried send never writes a record twice.
 */
export class BusProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(private readonly client: BusClient) {
    this.producer = client.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Named, not defaulted: the Java client's murmur2 partitioner, so that every client of the
      // topics (and a replacement for kafkajs) puts a dossier id on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(topicBase: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.producer.send({
      topic: this.client.topic(topicBase),
      acks: -1,
      compression: CompressionTypes.None,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}
