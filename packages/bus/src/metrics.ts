import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** One consumer's lag per topic, measured when Prometheus scrapes (see `bus_consumer_group_lag`). */
export type LagProbe = () => Promise<{ consumer: string; topic: string; lag: number }[]>;

/** The bus's Prometheus metrics; one set per registry (a service's registry, or none). */
export interface BusMetrics {
  produced: Counter<"topic">;
  consumed: Counter<"topic" | "consumer">;
  duplicates: Counter<"topic" | "consumer">;
  retries: Counter<"consumer" | "kind">;
  deadLetters: Counter<"topic" | "consumer" | "reason">;
  lag: Gauge<"topic" | "partition" | "consumer">;
  groupLag: Gauge<"consumer" | "topic">;
  handlerSeconds: Histogram<"consumer">;
  outboxPending: Gauge<"relay">;
  outboxPublished: Counter<"relay">;
  /** The running consumers whose lag `groupLag` measures at each scrape. */
  lagProbes: Set<LagProbe>;
}

/** A scrape never waits longer than this on a broker or database that does not answer. */
const PROBE_TIMEOUT_MS = 5_000;

function withinProbeTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("lag probe timed out")), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const byRegistry = new WeakMap<Registry, BusMetrics>();

function create(registers: Registry[]): BusMetrics {
  const lagProbes = new Set<LagProbe>();
  return {
    produced: new Counter({
      name: "bus_produced_total",
      help: "Records sent to Kafka",
      labelNames: ["topic"],
      registers,
    }),
    consumed: new Counter({
      name: "bus_consumed_total",
      help: "Records handed to a consumer's handler (each offset once)",
      labelNames: ["topic", "consumer"],
      registers,
    }),
    duplicates: new Counter({
      name: "bus_duplicates_total",
      help: "Records skipped by a consumer: below its stored offset, or a second copy of an event id in one run",
      labelNames: ["topic", "consumer"],
      registers,
    }),
    retries: new Counter({
      name: "bus_retries_total",
      help: "Handler retries, by kind of failure (transient: infrastructure; failing: the handler threw)",
      labelNames: ["consumer", "kind"],
      registers,
    }),
    deadLetters: new Counter({
      name: "bus_dead_letters_total",
      help: "Records sent to a dead-letter topic",
      labelNames: ["topic", "consumer", "reason"],
      registers,
    }),
    lag: new Gauge({
      name: "bus_consumer_lag",
      help: "Records behind the partition's high watermark after the last batch",
      labelNames: ["topic", "partition", "consumer"],
      registers,
    }),
    // Measured at scrape time rather than after each batch: a consumer stuck on a batch (its
    // database down, a handler that hangs) handles no batch, and a gauge set per batch would go on
    // showing the lag it had before.
    groupLag: new Gauge({
      name: "bus_consumer_group_lag",
      help: "Records of the topic the consumer group has not applied yet: the partitions' end offsets minus the next offsets it stored, measured at scrape",
      labelNames: ["consumer", "topic"],
      registers,
      async collect() {
        const measured = await Promise.all(
          [...lagProbes].map((probe) => withinProbeTimeout(probe()).catch(() => [])),
        );
        this.reset();
        for (const rows of measured)
          for (const r of rows) this.set({ consumer: r.consumer, topic: r.topic }, r.lag);
      },
    }),
    handlerSeconds: new Histogram({
      name: "bus_handler_seconds",
      help: "Time to handle one batch, its transaction included",
      labelNames: ["consumer"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    outboxPending: new Gauge({
      name: "bus_outbox_pending",
      help: "Outbox ids above the relay's saved watermark (ids of rolled-back inserts included), as of the leading relay's last read",
      labelNames: ["relay"],
      registers,
    }),
    outboxPublished: new Counter({
      name: "bus_outbox_published_total",
      help: "Outbox rows published by the relay",
      labelNames: ["relay"],
      registers,
    }),
    lagProbes,
  };
}

const unregistered = create([]);

export function busMetrics(registry?: Registry): BusMetrics {
  if (!registry) return unregistered;
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = create([registry]);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
