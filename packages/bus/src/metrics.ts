import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The bus's Prometheus metrics; one set per registry (a service's registry, or none). */
export interface BusMetrics {
  produced: Counter<"topic">;
  consumed: Counter<"topic" | "consumer">;
  duplicates: Counter<"topic" | "consumer">;
  retries: Counter<"consumer" | "kind">;
  deadLetters: Counter<"topic" | "consumer" | "reason">;
  lag: Gauge<"topic" | "partition" | "consumer">;
  handlerSeconds: Histogram<"consumer">;
  outboxPending: Gauge<"relay">;
  outboxPublished: Counter<"relay">;
}

const byRegistry = new WeakMap<Registry, BusMetrics>();

function create(registers: Registry[]): BusMetrics {
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
    handlerSeconds: new Histogram({
      name: "bus_handler_seconds",
      help: "Time to handle one batch, its transaction included",
      labelNames: ["consumer"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    outboxPending: new Gauge({
      name: "bus_outbox_pending",
      help: "Outbox ids above the relay's saved watermark (ids of rolled-back inserts included), as of its last read",
      labelNames: ["relay"],
      registers,
    }),
    outboxPublished: new Counter({
      name: "bus_outbox_published_total",
      help: "Outbox rows published by the relay",
      labelNames: ["relay"],
      registers,
    }),
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
