import type { TopicSpec } from "@tthc/contracts";
import { Kafka, logLevel } from "kafkajs";
import type { BusClient } from "./client.js";

export interface TopicState {
  name: string;
  partitions: number;
}

/**
 * kafkajs' admin gives up at once on NOT_LEADER_FOR_PARTITION for offset requests, which a KRaft
 * broker answers for a moment after a topic is created; retry what kafkajs marks retriable.
 */
async function retriable<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || (err as { retriable?: boolean }).retriable !== true) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Metadata calls: is the broker there, which topics exist, create the catalogue's topics.
 * Each call opens and closes its own admin connection: these are rare calls (start-up, readiness).
 */
export class BusAdmin {
  private probe?: Kafka;

  constructor(private readonly client: BusClient) {}

  private async withAdmin<T>(
    fn: (admin: ReturnType<BusClient["kafka"]["admin"]>) => Promise<T>,
    retries = 8,
  ): Promise<T> {
    const admin = this.client.kafka.admin({ retry: { retries, initialRetryTime: 100 } });
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A client of its own that neither retries nor logs, for the readiness probe and the metrics
   * scrape: they run every few seconds, and a broker that is down is their answer, not an error to
   * log at each try.
   */
  private quiet(timeoutMs = 2_000): Kafka {
    this.probe ??= new Kafka({
      clientId: `${this.client.config.clientId}-probe`,
      brokers: this.client.config.brokers,
      connectionTimeout: Math.min(timeoutMs, 3_000),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    return this.probe;
  }

  /** True when a broker answers a metadata request within the timeout. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const admin = this.quiet(timeoutMs).admin({ retry: { retries: 0 } });
    const probe = admin
      .connect()
      .then(() => admin.listTopics())
      .then(() => true)
      .catch(() => false)
      .finally(() => admin.disconnect().catch(() => {}));
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async listTopics(): Promise<string[]> {
    return this.withAdmin((admin) => admin.listTopics());
  }

  /** Partition counts of the named topics, in the order asked. */
  async describe(names: string[]): Promise<TopicState[]> {
    return this.withAdmin(async (admin) => {
      const meta = await admin.fetchTopicMetadata({ topics: names });
      const byName = new Map(meta.topics.map((t) => [t.name, t.partitions.length] as const));
      return names.map((name) => ({ name, partitions: byName.get(name) ?? 0 }));
    });
  }

  /**
   * Creates the missing topics of `specs` (names get the client's prefix) and leaves existing ones
   * alone. Returns the names it created.
   */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<string[]> {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = specs
        .map((spec) => ({ spec, name: this.client.topic(spec.name) }))
        .filter(({ name }) => !existing.has(name));
      if (missing.length === 0) return [];
      // kafkajs' own waitForLeaders retries only LEADER_NOT_AVAILABLE, but a KRaft broker answers
      // UNKNOWN_TOPIC_OR_PARTITION for a moment after creation; so we wait for the leaders ourselves.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map(({ spec, name }) => ({
          topic: name,
          numPartitions: spec.partitions,
          replicationFactor: 1,
          configEntries: Object.entries(spec.config).map(([n, value]) => ({ name: n, value })),
        })),
      });
      const names = missing.map(({ name }) => name);
      await this.waitForLeaders(admin, names);
      return names;
    });
  }

  private async waitForLeaders(
    admin: ReturnType<BusClient["kafka"]["admin"]>,
    names: string[],
  ): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const meta = await admin.fetchTopicMetadata({ topics: names });
        if (meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
          return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topics have no leader after 30 s: ${names.join(", ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.withAdmin((admin) => admin.deleteTopics({ topics: names, timeout: 10_000 }));
  }

  /** The sum of the partitions' end offsets of a topic (base name): how many records it ever held. */
  async endOffsetsSum(topicBase: string): Promise<number> {
    return this.withAdmin(async (admin) => {
      const offsets = await retriable(() => admin.fetchTopicOffsets(this.client.topic(topicBase)));
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    });
  }

  /**
   * The first and end offsets of each partition of the topics (base names), over one connection of
   * the quiet client: for a metrics scrape, which should answer "unknown" fast rather than late.
   */
  async partitionOffsets(
    topicBases: readonly string[],
  ): Promise<Map<string, { partition: number; low: number; high: number }[]>> {
    const admin = this.quiet().admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      const out = new Map<string, { partition: number; low: number; high: number }[]>();
      for (const base of topicBases) {
        const offsets = await admin.fetchTopicOffsets(this.client.topic(base));
        out.set(
          base,
          offsets.map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high) })),
        );
      }
      return out;
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  /**
   * Moves a consumer group's committed offsets back to the start of a topic (base names), as a lost
   * commit or a reset would. The group must have no live member: kafkajs refuses otherwise.
   */
  async rewindGroup(groupId: string, topicBase: string): Promise<void> {
    await this.withAdmin((admin) =>
      admin.resetOffsets({
        groupId: this.client.topic(groupId),
        topic: this.client.topic(topicBase),
        earliest: true,
      }),
    );
  }

  /** Committed offsets of a group against the topic's end offsets: the lag per partition. */
  async groupLag(groupId: string, topic: string): Promise<{ partition: number; lag: number }[]> {
    return this.withAdmin(async (admin) => {
      const [ends, committed] = await Promise.all([
        retriable(() => admin.fetchTopicOffsets(topic)),
        retriable(() => admin.fetchOffsets({ groupId, topics: [topic] })),
      ]);
      const done = new Map(
        (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
      );
      return ends.map((e) => {
        const c = done.get(e.partition) ?? -1;
        const end = Number(e.high);
        return { partition: e.partition, lag: c < 0 ? end - Number(e.low) : end - c };
      });
    });
  }
}
