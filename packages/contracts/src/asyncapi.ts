import { z } from "zod";
import { catalogRecordDefinitions } from "./catalog.js";
import type { Producer } from "./envelope.js";
import { eventDefinitions } from "./registry.js";
import { type TopicName, type TopicSpec, topics } from "./topics.js";

/**
 * The AsyncAPI 3.0 document of the system's Kafka topics: channels (topics), the messages on each
 * (one per event version or record type), and which service sends and receives what.
 * Payload schemas are JSON Schema draft-07, the base of AsyncAPI's default schema format.
 */

/** Version of the contracts as a whole, for `info.version`; bumped with a new event version. */
export const CONTRACTS_VERSION = "1.0.0";

const KAFKA_BINDING_VERSION = "0.5.0";

type Service = Producer | "statistics";

const channelIds: Readonly<Record<TopicName, string>> = {
  "dossier.events": "dossierEvents",
  "sla.events": "slaEvents",
  catalog: "catalog",
};

/** Who consumes each topic (each service's README says what it does with it). */
const consumers: Readonly<Record<TopicName, readonly Service[]>> = {
  "dossier.events": ["processing", "deadline-monitor", "statistics"],
  "sla.events": ["processing", "statistics"],
  catalog: ["intake", "processing", "deadline-monitor", "statistics"],
};

/** Code-point order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sortedRecord = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => compare(a, b)));

interface MessageEntry {
  readonly id: string;
  readonly topic: TopicName;
  readonly producer: Service;
  readonly message: Record<string, unknown>;
  readonly schema: Record<string, unknown>;
}

/** `dossier.supplement-requested` v1 → `dossierSupplementRequestedV1`. */
export function messageId(type: string, version: number): string {
  const camel = type.replace(/[.-]([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${camel}V${version}`;
}

function camel(service: Service): string {
  return service.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function payloadSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-7",
    io: "input",
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  return rest;
}

/** The topic settings the Kafka channel binding names; the others go in `x-topicConfiguration`. */
const BINDING_TOPIC_SETTINGS = new Set([
  "cleanup.policy",
  "retention.ms",
  "retention.bytes",
  "delete.retention.ms",
  "max.message.bytes",
]);

function kafkaBinding(spec: TopicSpec): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const other: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(spec.config).sort(([a], [b]) => compare(a, b))) {
    (BINDING_TOPIC_SETTINGS.has(name) ? config : other)[name] =
      name === "cleanup.policy" ? value.split(",") : /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return {
    kafka: {
      topic: spec.name,
      partitions: spec.partitions,
      topicConfiguration: config,
      ...(Object.keys(other).length > 0 ? { "x-topicConfiguration": other } : {}),
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  };
}

/**
 * Where the topics are: the local stack's broker (`pnpm start`, `KAFKA_PORT` moves it) and the
 * compose file's. Topic and consumer group names take `KAFKA_TOPIC_PREFIX` in front where it is set.
 */
const servers = {
  local: {
    host: "127.0.0.1:9092",
    protocol: "kafka",
    description: "The broker `pnpm start` runs (KRaft, plaintext); `KAFKA_PORT` moves it.",
    bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
  },
  compose: {
    host: "kafka:9092",
    protocol: "kafka",
    description:
      "The broker of docker-compose.yml (plaintext), as the services reach it in the compose network.",
    bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
  },
};

function messages(): MessageEntry[] {
  const entries: MessageEntry[] = eventDefinitions.map((def) => ({
    id: messageId(def.type, def.version),
    topic: def.topic,
    producer: def.producer,
    schema: payloadSchema(def.schema),
    message: {
      name: def.type,
      title: `${def.type} v${def.version}`,
      summary: def.description,
      contentType: "application/json",
      payload: { $ref: `#/components/schemas/${messageId(def.type, def.version)}` },
      bindings: {
        kafka: {
          key: { type: "string", format: "uuid", description: "The dossier id" },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    },
  }));
  for (const def of catalogRecordDefinitions) {
    const id = messageId(`catalog.${def.type}`, def.version);
    entries.push({
      id,
      topic: "catalog",
      producer: "intake",
      schema: payloadSchema(def.schema),
      message: {
        name: `catalog.${def.type}`,
        title: `catalog ${def.type} v${def.version}`,
        summary: `The latest ${def.type} record, keyed ${def.type}:<id> on the compacted catalog topic.`,
        contentType: "application/json",
        payload: { $ref: `#/components/schemas/${id}` },
        bindings: {
          kafka: {
            key: { type: "string", pattern: `^${def.type}:`, description: `${def.type}:<id>` },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      },
    });
  }
  return entries.sort((a, b) => compare(a.id, b.id));
}

/** Builds the AsyncAPI 3.0 document (a plain JSON value). */
export function asyncApiDocument(): Record<string, unknown> {
  const all = messages();
  const topicNames = (Object.keys(topics) as TopicName[]).sort();

  const channels = sortedRecord(
    topicNames.map((name) => {
      const spec = topics[name];
      const onTopic = all.filter((m) => m.topic === name);
      return [
        channelIds[name],
        {
          address: spec.name,
          title: spec.name,
          description: `${spec.description} Key: ${spec.key}.`,
          messages: sortedRecord(onTopic.map((m) => [m.id, { $ref: `#/components/messages/${m.id}` }])),
          bindings: kafkaBinding(spec),
        },
      ];
    }),
  );

  const operations: [string, unknown][] = [];
  for (const name of topicNames) {
    const channelId = channelIds[name];
    const onTopic = all.filter((m) => m.topic === name);
    const producers = [...new Set(onTopic.map((m) => m.producer))].sort();
    for (const producer of producers) {
      const sent = onTopic.filter((m) => m.producer === producer);
      operations.push([
        `${camel(producer)}Sends${channelId[0]?.toUpperCase()}${channelId.slice(1)}`,
        {
          action: "send",
          title: `${producer} publishes on ${name}`,
          channel: { $ref: `#/channels/${channelId}` },
          messages: sent.map((m) => ({ $ref: `#/channels/${channelId}/messages/${m.id}` })),
        },
      ]);
    }
    for (const consumer of consumers[name]) {
      operations.push([
        `${camel(consumer)}Receives${channelId[0]?.toUpperCase()}${channelId.slice(1)}`,
        {
          action: "receive",
          title: `${consumer} consumes ${name}`,
          channel: { $ref: `#/channels/${channelId}` },
          messages: onTopic.map((m) => ({ $ref: `#/channels/${channelId}/messages/${m.id}` })),
        },
      ]);
    }
  }

  return {
    asyncapi: "3.0.0",
    info: {
      title: "TTHC dossier tracking events",
      version: CONTRACTS_VERSION,
      description:
        "Events and catalogue records exchanged over Kafka by the intake, processing, deadline-monitor and " +
        "statistics services. Every event is one JSON envelope (id, type, version, occurredAt, recordedAt, " +
        "dossierId, unitCode, actor?, correlationId, causationId?, payload); fields are added, never renamed; " +
        "a breaking change is a new version accepted side by side. Generated from packages/contracts.",
      license: { name: "Apache-2.0", url: "https://www.apache.org/licenses/LICENSE-2.0" },
    },
    servers,
    defaultContentType: "application/json",
    channels,
    operations: sortedRecord(operations),
    components: {
      messages: sortedRecord(all.map((m) => [m.id, m.message])),
      schemas: sortedRecord(all.map((m) => [m.id, m.schema])),
    },
  };
}
