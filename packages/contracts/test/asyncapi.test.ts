import { describe, expect, it } from "vitest";
import { asyncApiDocument, messageId } from "../src/asyncapi.js";
import { eventDefinitions } from "../src/registry.js";
import { topics } from "../src/topics.js";

type Json = Record<string, unknown>;

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") found.push(v);
      else refs(v, found);
    }
  }
  return found;
}

function resolve(doc: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>(
      (node, part) => (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")],
      doc,
    );
}

describe("the AsyncAPI document", () => {
  const doc = asyncApiDocument();

  it("is AsyncAPI 3.0 with one channel per topic", () => {
    expect(doc.asyncapi).toBe("3.0.0");
    const channels = doc.channels as Record<string, Json>;
    expect(
      Object.values(channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(Object.keys(topics).sort());
  });

  it("puts every event version on its topic's channel", () => {
    const channels = doc.channels as Record<string, { address: string; messages: Json }>;
    for (const def of eventDefinitions) {
      const channel = Object.values(channels).find((c) => c.address === def.topic);
      expect(channel?.messages).toHaveProperty(messageId(def.type, def.version));
    }
  });

  it("names the brokers the topics live on: the local stack's and the compose file's", () => {
    const servers = doc.servers as Record<string, { host: string; protocol: string }>;
    expect(Object.values(servers).map((s) => [s.host, s.protocol])).toEqual([
      ["127.0.0.1:9092", "kafka"],
      ["kafka:9092", "kafka"],
    ]);
  });

  it("keeps the Kafka binding to the topic settings it defines, the others beside it", () => {
    const catalog = (doc.channels as Record<string, { bindings: { kafka: Record<string, unknown> } }>)
      .catalog;
    expect(catalog?.bindings.kafka.topicConfiguration).toEqual({ "cleanup.policy": ["compact"] });
    expect(catalog?.bindings.kafka["x-topicConfiguration"]).toEqual({
      "min.compaction.lag.ms": 0,
      "segment.ms": 3_600_000,
    });
  });

  it("has no dangling reference", () => {
    for (const ref of refs(doc)) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it("says who sends and who receives each topic", () => {
    const operations = doc.operations as Record<string, { action: string; channel: { $ref: string } }>;
    expect(operations.intakeSendsDossierEvents?.action).toBe("send");
    expect(operations.processingSendsDossierEvents?.action).toBe("send");
    expect(operations.deadlineMonitorSendsSlaEvents?.action).toBe("send");
    expect(operations.statisticsReceivesSlaEvents?.action).toBe("receive");
    expect(operations).not.toHaveProperty("statisticsSendsDossierEvents");
  });

  it("names messages in camel case: dossier.supplement-requested v1 → dossierSupplementRequestedV1", () => {
    expect(messageId("dossier.supplement-requested", 1)).toBe("dossierSupplementRequestedV1");
  });
});
