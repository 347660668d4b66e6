import { Consumer, type Message, type MessagesStream } from "@platformatic/kafka";
import type { BusClient } from "../client.js";
import type { BatchHandler, BusConsumerOptions, IncomingMessage } from "../consumer.js";

type Raw = Message<Buffer, Buffer, Buffer, Buffer>;

/** `topic:partition` of a record, the key of per-partition state. */
const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * The bus's consumer over @platformatic/kafka, with BusConsumer's shape: `start(handler)` hands the
 * handler one partition's records at a time (topic, partition, messages, highWatermark, heartbeat,
 * isStale) and commits only up to the offset the handler reports; `stop()` lets the batch in hand
 * finish, commits and leaves the group.
 *
 * The library delivers records one by one on a stream; a batch is what the stream holds when the
 * previous batch is done (one fetch or more), cut per partition in arrival order. It heartbeats on
 * its own timer, so `heartbeat()` has nothing to do. A batch is stale when the group moved to a new
 * generation since its records were fetched, or the partition is no longer this member's: its
 * records are then dropped uncommitted and come again from the committed offset. The high watermark
 * comes from a ListOffsets every second (a fetch response's own is not passed on by the library).
 * A handler that throws, or a stream that fails, restarts consumption from the committed offsets.
 * Measured against kafkajs in bench/clients.bench.ts (docs/decisions.md, "The Kafka client").
 */
export class PlatformaticConsumer {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private readonly byRealName: Map<string, string>;
  private readonly highWatermarks = new Map<string, bigint>();
  /** Per partition, the last record whose effect the handler reported durable, not yet committed. */
  private readonly toCommit = new Map<string, Raw>();
  private stream?: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  /** Set by a timer every `commitIntervalMs`: the next chance commits what was handled. */
  private commitDue = false;
  private watermarksInFlight = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly client: BusClient,
    private readonly options: BusConsumerOptions,
  ) {
    this.consumer = new Consumer({
      clientId: client.config.clientId,
      bootstrapBrokers: client.config.brokers,
      connectTimeout: client.config.connectionTimeoutMs ?? 3000,
      groupId: client.topic(options.groupId),
      sessionTimeout: options.sessionTimeoutMs ?? 15_000,
      heartbeatInterval: 1_000,
      maxWaitTime: 200,
      autocreateTopics: false,
      autocommit: false,
    });
    this.byRealName = new Map(options.topics.map((t) => [client.topic(t), t]));
  }

  async start(handler: BatchHandler): Promise<void> {
    this.stopping = false;
    this.stream = await this.open();
    this.timers = [
      setInterval(() => {
        this.commitDue = true;
      }, this.options.commitIntervalMs ?? 1_000),
      setInterval(() => void this.refreshWatermarks(), 1_000),
    ];
    for (const t of this.timers) t.unref();
    this.loop = this.run(handler);
  }

  /** Stops after the batch in hand, commits what was handled and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    for (const t of this.timers.splice(0)) clearInterval(t);
    await this.consumer.close();
  }

  private open(): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> {
    return this.consumer.consume({
      topics: [...this.byRealName.keys()],
      mode: "committed",
      fallbackMode: (this.options.fromBeginning ?? true) ? "earliest" : "latest",
      autocommit: false,
    });
  }

  private async run(handler: BatchHandler): Promise<void> {
    const log = this.client.logger;
    while (!this.stopping) {
      const stream = this.stream ?? (await this.open());
      this.stream = stream;
      try {
        await this.consume(stream, handler);
      } catch (err) {
        log.warn(
          { err: (err as Error).message },
          "platformatic consumer failed; consuming again from the commits",
        );
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      await this.commit(true).catch((err: Error) => log.warn({ err: err.message }, "commit failed"));
      this.stream = undefined;
      await stream.close().catch(() => {});
    }
  }

  private async consume(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>, handler: BatchHandler) {
    let failed: Error | undefined;
    const onError = (err: Error) => {
      failed = err;
      this.wake?.();
    };
    // A 'readable' listener for the stream's whole life: the library fetches only while someone
    // reads (readableFlowing not null), and a stream left with no listener stops fetching.
    const onReadable = () => this.wake?.();
    stream.on("error", onError);
    stream.on("readable", onReadable);
    try {
      await this.refreshWatermarks();
      while (!this.stopping) {
        if (failed) throw failed;
        const records: Raw[] = [];
        for (let r = stream.read() as Raw | null; r !== null; r = stream.read() as Raw | null)
          records.push(r);
        if (records.length === 0) {
          if (stream.destroyed || stream.readableEnded) throw failed ?? new Error("the stream ended");
          await this.waitForRecords(stream);
          await this.commit(false);
          continue;
        }
        const byPartition = new Map<string, Raw[]>();
        for (const r of records) {
          const k = keyOf(r.topic, r.partition);
          const list = byPartition.get(k);
          if (list) list.push(r);
          else byPartition.set(k, [r]);
        }
        for (const raws of byPartition.values()) {
          if (this.stopping) return;
          await this.handleBatch(raws, handler);
        }
        await this.commit(false);
      }
    } finally {
      stream.off("error", onError);
      stream.off("readable", onReadable);
    }
  }

  private async handleBatch(raws: Raw[], handler: BatchHandler): Promise<void> {
    const first = raws[0]!;
    const realTopic = first.topic;
    const { partition } = first;
    const generation = (first.metadata as { consumer?: { generationId?: number } }).consumer?.generationId;
    const isStale = () =>
      this.consumer.generationId !== generation ||
      !(this.consumer.assignments ?? []).some(
        (a) => a.topic === realTopic && a.partitions.includes(partition),
      );
    if (isStale()) return;
    const topic = this.byRealName.get(realTopic) ?? realTopic;
    const messages: IncomingMessage[] = raws.map((m) => ({
      topic,
      partition,
      offset: m.offset.toString(),
      key: m.key && m.key.length > 0 ? m.key.toString("utf8") : null,
      value: m.value ?? null,
      headers: Object.fromEntries(m.headerEntries.map(([k, v]) => [k.toString("utf8"), v.toString("utf8")])),
      timestamp: m.timestamp.toString(),
    }));
    const last = raws[raws.length - 1]!.offset;
    const known = this.highWatermarks.get(keyOf(realTopic, partition)) ?? 0n;
    const done = await handler({
      topic,
      partition,
      messages,
      highWatermark: (known > last ? known : last + 1n).toString(),
      heartbeat: async () => {},
      isStale,
    });
    if (done === undefined || isStale()) return;
    const upTo = raws.findLast((m) => m.offset.toString() === done);
    if (upTo) this.toCommit.set(keyOf(realTopic, partition), upTo);
  }

  /** Commits what the handlers reported, every `commitIntervalMs` (or now when `force`). */
  private async commit(force: boolean): Promise<void> {
    if (this.toCommit.size === 0) return;
    if (!force && !this.commitDue) return;
    this.commitDue = false;
    const records = [...this.toCommit.values()];
    this.toCommit.clear();
    const generation = this.consumer.generationId;
    await Promise.all(
      records
        .filter(
          (r) =>
            (r.metadata as { consumer?: { generationId?: number } }).consumer?.generationId === generation,
        )
        .map((r) => r.commit()),
    );
  }

  /** Until the stream has records, ends, or the commit interval passes (or `stop()` wakes it). */
  private waitForRecords(stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        stream.off("end", done);
        stream.off("close", done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      timer = setTimeout(done, this.options.commitIntervalMs ?? 1_000);
      stream.once("end", done);
      stream.once("close", done);
      this.wake = done;
    });
  }

  private async refreshWatermarks(): Promise<void> {
    if (this.watermarksInFlight) return;
    this.watermarksInFlight = true;
    try {
      const offsets = await this.consumer.listOffsets({ topics: [...this.byRealName.keys()] });
      for (const [topic, ends] of offsets) {
        for (const [p, end] of ends.entries()) this.highWatermarks.set(keyOf(topic, p), end);
      }
    } catch (err) {
      this.client.logger.debug({ err: (err as Error).message }, "high watermarks not refreshed");
    } finally {
      this.watermarksInFlight = false;
    }
  }
}
