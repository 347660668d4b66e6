/**
 * The topic catalogue: every Kafka topic of the system, its key and how the broker keeps it.
 * `dossier.events` and `sla.events` keep everything forever: they are the history from which any
 * service (processing, the monitor's clocks, statistics) rebuilds its state.
 */
export type TopicName = "dossier.events" | "sla.events" | "catalog";

export interface TopicSpec {
  /** Base name; a deployment or a test may put a prefix in front (see `topicName`). */
  readonly name: string;
  /** What the record key is; it decides ordering (all events of one key stay on one partition). */
  readonly key: string;
  readonly partitions: number;
  /** Broker-side topic configuration (retention, cleanup policy). */
  readonly config: Readonly<Record<string, string>>;
  readonly description: string;
}

const RETAIN_FOREVER = { "retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete" } as const;

export const topics: Readonly<Record<TopicName, TopicSpec>> = {
  "dossier.events": {
    name: "dossier.events",
    key: "dossier id",
    partitions: 12,
    config: RETAIN_FOREVER,
    description: "Every lifecycle fact of every dossier, from reception to return. Unlimited retention.",
  },
  "sla.events": {
    name: "sla.events",
    key: "dossier id",
    partitions: 12,
    config: RETAIN_FOREVER,
    description:
      "Deadlines, due-soon and overdue alerts and verdicts, produced by the deadline monitor only.",
  },
  catalog: {
    name: "catalog",
    key: "procedure:<code> | unit:<code> | calendar:<year>",
    partitions: 1,
    config: { "cleanup.policy": "compact", "min.compaction.lag.ms": "0", "segment.ms": "3600000" },
    description: "The latest version of each procedure, unit and yearly calendar (compacted).",
  },
};

/** Dead letters of a topic: events a consumer could not handle, with the error and the original bytes. */
export function deadLetterTopic(base: string): string {
  return `${base}.dlq`;
}

export const deadLetterSpec = (of: TopicSpec): TopicSpec => ({
  name: deadLetterTopic(of.name),
  key: of.key,
  partitions: 1,
  config: RETAIN_FOREVER,
  description: `Events of ${of.name} that a consumer could not handle after its retries.`,
});

/** Every topic the system needs, dead-letter topics included. */
export function allTopics(): TopicSpec[] {
  const main = Object.values(topics);
  return [...main, ...main.map(deadLetterSpec)];
}

/**
 * The real topic name for a deployment or a test: `prefix` isolates test files (and could isolate
 * tenants) on one broker. An empty prefix gives the base name.
 */
export function topicName(prefix: string, base: string): string {
  return prefix ? `${prefix}.${base}` : base;
}
