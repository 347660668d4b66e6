import type { Consumer, EachBatchPayload } from "kafkajs";
import type { BusClient } from "./client.js";

export interface IncomingMessage {
  /** The catalogue (base) name of the topic, without the deployment prefix. */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** The partition's high watermark when the batch was fetched: lag = highWatermark - last offset - 1. */
  highWatermark: string;
  /** Keeps the group membership alive during a long batch. */
  heartbeat(): Promise<void>;
  /** True when a rebalance took the partition away: stop work on this batch. */
  isStale(): boolean;
}

export interface BusConsumerOptions {
  groupId: string;
  /** Catalogue (base) names. */
  topics: string[];
  /** Where a new group starts: the beginning (history) or only new records. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  /**
   * How often handled offsets are committed to Kafka. Longer means fewer commits and more records
   * fetched again after a crash (which a consumer that keeps its offsets elsewhere skips).
   */
  commitIntervalMs?: number;
  /** Partitions handled at the same time (each its own batches, in order within a partition). */
  partitionsConcurrently?: number;
  /**
   * Where each newly assigned partition starts, when the offsets are kept outside Kafka: called on
   * every assignment, before the first fetch, with the member's partitions of a topic; each
   * partition returned is sought to its offset ("-2": the earliest). A partition left out starts
   * from the group's committed offset. Synchronous, so that the seek is in place before kafkajs
   * fetches the partition.
   */
  startOffsets?: (topic: string, partitions: number[]) => Map<number, string>;
}

/**
 * Handles a batch and says how far it got: the offset of the last message whose effect is durable
 * (undefined: none). Only that far is committed; the rest is delivered again.
 */
export type BatchHandler = (batch: IncomingBatch) => Promise<string | undefined>;

/**
 * A consumer-group member that hands whole batches to one handler and commits offsets only up to
 * what the handler reports durable, so an effect is stored before its offset moves.
 */
export class BusConsumer {
  private readonly consumer: Consumer;
  private readonly byRealName: Map<string, string>;
  private readonly logger: BusClient["logger"];

  constructor(
    client: BusClient,
    private readonly options: BusConsumerOptions,
  ) {
    this.logger = client.logger;
    this.consumer = client.kafka.consumer({
      groupId: client.topic(options.groupId),
      sessionTimeout: options.sessionTimeoutMs ?? 15_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
    });
    this.byRealName = new Map(options.topics.map((t) => [client.topic(t), t]));
  }

  get events() {
    return this.consumer.events;
  }

  on: Consumer["on"] = (...args) => this.consumer.on(...args);

  async start(handler: BatchHandler): Promise<void> {
    const { startOffsets } = this.options;
    if (startOffsets) {
      this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
        this.seekAssigned(payload.memberAssignment, startOffsets);
      });
    }
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.byRealName.keys()],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: this.options.commitIntervalMs ?? 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: async (payload: EachBatchPayload) => {
        const { batch } = payload;
        const topic = this.byRealName.get(batch.topic) ?? batch.topic;
        const messages: IncomingMessage[] = batch.messages.map((m) => ({
          topic,
          partition: batch.partition,
          offset: m.offset,
          key: m.key ? m.key.toString("utf8") : null,
          value: m.value,
          headers: Object.fromEntries(
            Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]),
          ),
          timestamp: m.timestamp,
        }));
        if (messages.length === 0) return;
        const done = await handler({
          topic,
          partition: batch.partition,
          messages,
          highWatermark: batch.highWatermark,
          heartbeat: payload.heartbeat,
          isStale: payload.isStale,
        });
        if (done !== undefined) {
          payload.resolveOffset(done);
          await payload.commitOffsetsIfNecessary();
        }
      },
    });
  }

  /**
   * Seeks each assigned partition to the offset kept outside Kafka. kafkajs emits GROUP_JOIN before
   * its first fetch after a join and applies a pending seek at the fetch, so the seek is in place
   * from the first batch; correctness still never depends on it (the keeper of the offsets skips
   * what it has applied).
   */
  private seekAssigned(
    assignment: Record<string, number[]>,
    startOffsets: NonNullable<BusConsumerOptions["startOffsets"]>,
  ): void {
    for (const [realName, partitions] of Object.entries(assignment)) {
      const topic = this.byRealName.get(realName);
      if (!topic || partitions.length === 0) continue;
      try {
        for (const [partition, offset] of startOffsets(topic, partitions))
          this.consumer.seek({ topic: realName, partition, offset });
      } catch (err) {
        this.logger.warn(
          { topic, err: (err as Error).message },
          "could not seek to the kept offsets at assignment; starting from the group's committed offsets",
        );
      }
    }
  }

  /** Stops fetching, lets the batch in hand finish, commits its offsets and leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
