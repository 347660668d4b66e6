import type { BusProducer } from "@tthc/bus";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { type CreateVerifier, documentedVerifier } from "./documented-verifier.js";
import { passDueInstant, producerFor, publish, received, UNIT } from "./fixtures.js";
import { type Receiver, receiver, webhookHeaders } from "./receivers.js";

/** The monitor's clock: Monday 16/11/2026, moved past each dossier's due instant by hand. */
const clock = new ManualClock("2026-11-16T08:00:00+07:00");
let env: TestEnv;
let producer: BusProducer;
let monitor: RunningService<Config>;
let url: string;
let hook: Receiver;
let createVerifier: CreateVerifier;
const leader = tokenFor(UNIT, "leader");

beforeAll(async () => {
  env = await createTestEnv("monitor-delivery");
  producer = producerFor(env);
  // A receiver that fails its first delivery, so the monitor must retry.
  hook = await receiver((_r, n) => (n === 1 ? 500 : 204));
  createVerifier = await documentedVerifier();
  monitor = await buildService(service, {
    clock,
    env: env.serviceEnv({ WEBHOOK_BACKOFF_MS: "200", WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${hook.port}` }),
  });
  url = await monitor.start();
});

afterAll(async () => {
  await monitor?.stop();
  await producer?.disconnect();
  await hook?.close();
  await env?.cleanup();
});

interface SseEvent {
  id: string;
  event: string;
  data: { dossierId: string; kind: string };
}

/** Reads server-sent events from a stream until `until` says enough or the time runs out. */
async function readSse(
  streamUrl: string,
  headers: Record<string, string>,
  until: (e: SseEvent[]) => boolean,
) {
  const controller = new AbortController();
  const res = await fetch(streamUrl, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const deadline = Date.now() + 30_000;
  try {
    while (!until(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((l) => !l.startsWith(":") && l.includes(": "))
            .map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]),
        );
        if (fields.data)
          events.push({ id: fields.id ?? "", event: fields.event ?? "", data: JSON.parse(fields.data) });
        end = buffer.indexOf("\n\n");
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe("alerts reach people: webhooks and the live stream", () => {
  it("signs each delivery (Standard Webhooks), retries a failed one under the same id, records each attempt, and streams the alert", async () => {
    const created = await http(`${url}/v1/webhooks`, {
      headers: leader,
      body: { url: hook.url, kinds: ["overdue"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ unitCode: UNIT, secret: expect.stringMatching(/^whsec_/) });
    expect(
      (await http(`${url}/v1/webhooks`, { headers: leader, body: { url: "ftp://nope", kinds: [] } })).status,
    ).toBe(400);

    const r = received(clock.now().toISOString());
    const stream = readSse(`${url}/v1/alerts/stream?unit=${UNIT}`, leader, (events) =>
      events.some((e) => e.data.dossierId === r.dossierId && e.event === "overdue"),
    );
    await publish(producer, [r]);
    await passDueInstant(env, clock, r.dossierId);

    const streamed = await stream;
    const mine = streamed.filter((e) => e.data.dossierId === r.dossierId);
    expect(mine.map((e) => e.event)).toContain("overdue");

    await waitUntil("a successful delivery after a failed one", () => hook.got.length >= 2, 30_000);
    // Each attempt verifies on its own; both carry the one id of the delivery.
    const ids = new Set<string>();
    for (const d of hook.got) {
      const verify = createVerifier(created.body.secret);
      const result = verify(webhookHeaders(d.headers), d.body);
      expect(result).toMatchObject({ ok: true });
      ids.add(String(d.headers["webhook-id"]));
      expect(d.headers["x-signature"]).toBeUndefined();
      const body = JSON.parse(d.body);
      expect(body).toMatchObject({ kind: "overdue", unitCode: UNIT });
      expect(JSON.stringify(body.alert)).toContain(r.dossierId);
    }
    expect(ids.size).toBe(1);
    expect(new Set(hook.got.map((d) => JSON.parse(d.body).alertId)).size).toBe(1);

    // The attempt is recorded after the receiver has answered: wait for the record, not the request.
    const attempts = await waitUntil("both attempts recorded", async () => {
      const res = await http(`${url}/v1/webhooks/${created.body.id}/attempts`, { headers: leader });
      expect(res.status).toBe(200);
      return res.body.items.length >= 2 ? res.body.items : undefined;
    });
    const [second, first] = attempts as {
      statusCode: number;
      error: string | null;
      attemptedAt: string;
      deliveryId: string;
    }[];
    expect([first!.statusCode, first!.error, second!.statusCode, second!.error]).toEqual([
      500,
      "http-status",
      204,
      null,
    ]);
    expect(Date.parse(second!.attemptedAt)).toBeGreaterThan(Date.parse(first!.attemptedAt));
    expect(first!.deliveryId).toBe([...ids][0]);

    expect(
      (await http(`${url}/v1/webhooks/${created.body.id}`, { method: "DELETE", headers: leader })).status,
    ).toBe(204);
    expect(
      (await http(`${url}/v1/webhooks/${created.body.id}`, { method: "DELETE", headers: leader })).status,
    ).toBe(404);
  });

  it("a unit's alerts and their stream are its own, its parent's leader's, and an admin's", async () => {
    const other = tokenFor("H44.102", "leader");
    expect((await http(`${url}/v1/alerts?unit=${UNIT}`, { headers: other })).status).toBe(403);
    const own = await http(`${url}/v1/alerts`, { headers: tokenFor(UNIT, "specialist") });
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((a: { unitCode: string }) => a.unitCode === UNIT)).toBe(true);
    const province = await http(`${url}/v1/alerts`, { headers: tokenFor("H44", "leader") });
    expect(province.body.items.map((a: { id: string }) => a.id)).toEqual(
      own.body.items.map((a: { id: string }) => a.id),
    );
    expect((await http(`${url}/v1/alerts`, { headers: tokenFor("H44.102", "leader") })).body.items).toEqual(
      [],
    );
    const stream = await fetch(`${url}/v1/alerts/stream?unit=${UNIT}`, { headers: other });
    expect(stream.status).toBe(403);
    await stream.body?.cancel();
  });

  it("ends open streams at shutdown instead of waiting for the clients to leave", async () => {
    const second = await buildService(service, { env: env.serviceEnv() });
    const secondUrl = await second.start();
    const res = await fetch(`${secondUrl}/v1/alerts/stream`, { headers: tokenFor(UNIT, "leader") });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the opening comment
    await second.stop();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(done).toBe(true);
  });
});
