import { performance } from "node:perf_hooks";
import { BusAdmin, type BusClient, IdempotentConsumer } from "@tthc/bus";
import { type Clock, type Logger, type Pool, type Registry, withTransaction } from "@tthc/service-kit";
import { AfterRelease } from "./consumers/after-release.js";
import { STATS_TOPICS, type StatsInput, statsDecoder, statsHandler } from "./consumers/stats-consumer.js";
import { recomputeAllDaily } from "./store/dossiers.js";
import {
  clearUpgrade,
  createRebuildTables,
  indexRebuildTables,
  liveTables,
  readGeneration,
  readUpgrade,
  rebuildTables,
  swapRebuildTables,
  type Tables,
  writeGeneration,
} from "./store/tables.js";

export interface RebuildStatus {
  state: "idle" | "running" | "done" | "failed";
  generation: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Records of the three topics read so far, and how many there were when it started. */
  done: number;
  total: number;
  recordsPerSecond: number | null;
  error: string | null;
}

/** A tiny async mutex: the consumer's runs and the table swap never overlap. */
function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

export interface PipelineOptions {
  pool: Pool;
  bus: BusClient;
  registry: Registry;
  logger: Logger;
  /** The service's clock: the rebuild's start and end instants in its status. */
  clock: Clock;
  /** Once each live transaction is over, with the units whose figures changed (never inside it). */
  onChanged: (units: string[]) => Promise<void>;
  /** After a rebuild's tables went live. */
  onSwapped?: () => void;
}

/**
 * The consumer that keeps the aggregates, named by generation (`statistics-g1`, ...), and the
 * rebuild: a fresh consumer group reads the topics from the beginning into fresh tables, which then
 * replace the live ones; that consumer goes on as the live one.
 */
export class StatsPipeline {
  private live: IdempotentConsumer<StatsInput> | undefined;
  private readonly lock = mutex();
  private readonly admin: BusAdmin;
  private readonly changed: AfterRelease;
  private rebuilding: Promise<void> | undefined;
  status: RebuildStatus = {
    state: "idle",
    generation: 1,
    startedAt: null,
    finishedAt: null,
    done: 0,
    total: 0,
    recordsPerSecond: null,
    error: null,
  };

  constructor(private readonly o: PipelineOptions) {
    this.admin = new BusAdmin(o.bus);
    this.changed = new AfterRelease(o.pool, o.logger, o.onChanged);
  }

  /** `isLive`: whether the tables are the live ones (notices, daily sums by delta), read at each run. */
  private consumer(generation: number, tables: () => Tables, isLive: () => boolean) {
    return new IdempotentConsumer<StatsInput>({
      client: this.o.bus,
      pool: this.o.pool,
      registry: this.o.registry,
      name: `statistics-g${generation}`,
      topics: STATS_TOPICS,
      decoder: statsDecoder,
      fromBeginning: true,
      handle: statsHandler({
        tables,
        isLive,
        lock: this.lock,
        onChanged: (tx, units) => {
          if (isLive()) this.changed.add(tx, units);
        },
      }),
    });
  }

  async start(): Promise<void> {
    const upgrade = await this.prepareUpgrade();
    this.status.generation = await readGeneration(this.o.pool);
    this.live = this.consumer(
      this.status.generation,
      () => liveTables,
      () => true,
    );
    await this.live.start();
    if (upgrade) {
      this.o.logger.info({ upgrade }, "rows written before this migration: rebuilding from the topics");
      this.startRebuild();
    }
  }

  /**
   * After a migration that changed what the rows hold (stat_meta `upgrade`), the daily sums are
   * recomputed from the rows at once, and a rebuild from the topics fills in what the old rows lack
   * (competent units, step runs, submissions) while the live tables keep answering.
   */
  private async prepareUpgrade(): Promise<string | null> {
    const upgrade = await readUpgrade(this.o.pool);
    if (!upgrade) return null;
    await withTransaction(this.o.pool, (tx) => recomputeAllDaily(tx, liveTables));
    return upgrade;
  }

  async stop(): Promise<void> {
    await this.rebuilding?.catch(() => {});
    await this.live?.stop();
  }

  /** Starts a rebuild unless one is running; resolves when it has started. */
  startRebuild(): RebuildStatus {
    if (this.status.state === "running") return this.status;
    this.rebuilding = this.rebuild().catch((err: Error) => {
      this.status = {
        ...this.status,
        state: "failed",
        error: err.message,
        finishedAt: this.o.clock.now().toISOString(),
      };
      this.o.logger.error({ err }, "rebuild failed");
    });
    return this.status;
  }

  /** Runs a whole rebuild and resolves when the rebuilt tables are live. */
  async rebuildNow(): Promise<RebuildStatus> {
    this.startRebuild();
    await this.rebuilding;
    return this.status;
  }

  private async lag(generation: number): Promise<number> {
    let lag = 0;
    for (const topic of STATS_TOPICS) {
      const parts = await this.admin.groupLag(
        this.o.bus.topic(`statistics-g${generation}`),
        this.o.bus.topic(topic),
      );
      lag += parts.reduce((s, p) => s + p.lag, 0);
    }
    return lag;
  }

  private async rebuild(): Promise<void> {
    const generation = (await readGeneration(this.o.pool)) + 1;
    // The rate is operational timing (a monotonic timer); the start instant is the service clock's.
    const started = performance.now();
    let total = 0;
    for (const topic of STATS_TOPICS) total += await this.admin.endOffsetsSum(topic);
    this.status = {
      state: "running",
      generation,
      startedAt: this.o.clock.now().toISOString(),
      finishedAt: null,
      done: 0,
      total,
      recordsPerSecond: null,
      error: null,
    };
    await withTransaction(this.o.pool, async (tx) => {
      await createRebuildTables(tx);
      await tx.query("DELETE FROM bus_consumer_offsets WHERE consumer = $1", [`statistics-g${generation}`]);
    });
    let tables: Tables = rebuildTables;
    let isLive = false;
    const next = this.consumer(
      generation,
      () => tables,
      () => isLive,
    );
    await next.start();
    const progress = async () => {
      const lag = await this.lag(generation);
      const done = Math.max(0, total - lag);
      const seconds = (performance.now() - started) / 1000;
      this.status = { ...this.status, done, recordsPerSecond: seconds > 0 ? done / seconds : null };
      const pct = total ? ((100 * done) / total).toFixed(1) : "100.0";
      this.o.logger.info(
        `rebuild g${generation}: ${done} of ${total} records (${pct}%), ${Math.round(done / Math.max(seconds, 0.001))} records/s`,
      );
      return lag;
    };
    try {
      while ((await progress()) > 0) await new Promise((r) => setTimeout(r, 200));
      // Caught up: the indexes are built once over the rows, while the live tables still answer.
      await withTransaction(this.o.pool, (tx) => indexRebuildTables(tx));
      await this.live?.stop();
      while ((await progress()) > 0) await new Promise((r) => setTimeout(r, 100));
      await this.lock(async () => {
        await withTransaction(this.o.pool, async (tx) => {
          // The rebuild kept no daily sums while it read: they are summed once, here.
          await recomputeAllDaily(tx, rebuildTables);
          await swapRebuildTables(tx);
          await writeGeneration(tx, generation);
          await clearUpgrade(tx);
          await tx.query("DELETE FROM bus_consumer_offsets WHERE consumer = $1", [
            `statistics-g${generation - 1}`,
          ]);
        });
        tables = liveTables;
        isLive = true;
      });
    } catch (err) {
      await next.stop().catch(() => {});
      await this.live?.start();
      throw err;
    }
    this.live = next;
    this.status = { ...this.status, state: "done", finishedAt: this.o.clock.now().toISOString() };
    this.o.onSwapped?.();
  }
}
