import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BusProducer } from "@tthc/bus";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { producerFor, publish, received, UNIT } from "./fixtures.js";

let env: TestEnv;
let producer: BusProducer;
let monitor: RunningService<Config>;
let url: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: { body: string; signature: string | undefined; status: number }[] = [];
const admin = tokenFor("H44", "admin");
/** The monitor's clock, moved past a dossier's due instant by hand. */
const clock = new ManualClock("2026-11-16T09:00:00+07:00");

beforeAll(async () => {
  env = await createTestEnv("monitor-delivery");
  producer = producerFor(env);
  monitor = await buildService(service, { env: env.serviceEnv({ WEBHOOK_BACKOFF_MS: "200" }), clock });
  url = await monitor.start();
  // A receiver that fails its first delivery, so the monitor must retry.
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const status = deliveries.length === 0 ? 500 : 204;
      deliveries.push({ body, signature: req.headers["x-signature"] as string | undefined, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await monitor?.stop();
  await producer?.disconnect();
  await new Promise((r) => receiver?.close(r));
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
  it("signs each webhook delivery, retries a failed one, records every attempt, and streams the alert", async () => {
    const secret = "a-webhook-secret-for-tests";
    const hook = await http(`${url}/v1/webhooks`, {
      headers: admin,
      body: { url: receiverUrl, unitCode: UNIT, kinds: ["overdue"], secret },
    });
    expect(hook.status).toBe(201);
    const other = await http(`${url}/v1/webhooks`, {
      headers: admin,
      body: { url: "ftp://nope", kinds: [] },
    });
    expect(other.status).toBe(400);

    const r = received("2026-11-16T09:00:00+07:00");
    const stream = readSse(`${url}/v1/alerts/stream?unit=${UNIT}`, tokenFor(UNIT, "leader"), (events) =>
      events.some((e) => e.data.dossierId === r.dossierId && e.event === "overdue"),
    );
    await publish(producer, [r]);
    await waitUntil("the dossier's clock", async () => {
      const { rows } = await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1", [r.dossierId]);
      return rows.length === 1 ? true : undefined;
    });
    clock.set("2026-11-16T10:00:01+07:00");

    const streamed = await stream;
    const mine = streamed.filter((e) => e.data.dossierId === r.dossierId);
    expect(mine.map((e) => e.event)).toContain("overdue");

    await waitUntil(
      "a successful delivery after a failed one",
      () => deliveries.some((d) => d.status === 204),
      30_000,
    );
    expect(deliveries[0]!.status).toBe(500);
    for (const d of deliveries) {
      const expected = `sha256=${createHmac("sha256", secret).update(d.body).digest("hex")}`;
      expect(d.signature).toBe(expected);
      const body = JSON.parse(d.body);
      expect(body).toMatchObject({ kind: "overdue", unitCode: UNIT });
      expect(JSON.stringify(body.alert)).toContain(r.dossierId);
    }
    // The due-soon alert was not subscribed: only overdue deliveries, the same alert twice (fail, retry).
    expect(new Set(deliveries.map((d) => JSON.parse(d.body).alertId)).size).toBe(1);

    // The attempt is recorded after the receiver has answered: wait for the record, not the request.
    const statuses = await waitUntil("both attempts recorded", async () => {
      const attempts = await http(`${url}/v1/webhooks/${hook.body.id}/attempts`, { headers: admin });
      expect(attempts.status).toBe(200);
      const list = attempts.body.items.map((a: { statusCode: number }) => a.statusCode).sort();
      return list.length >= 2 ? list : undefined;
    });
    expect(statuses).toEqual([204, 500]);

    expect(
      (await http(`${url}/v1/webhooks/${hook.body.id}`, { method: "DELETE", headers: admin })).status,
    ).toBe(204);
    expect(
      (await http(`${url}/v1/webhooks/${hook.body.id}`, { method: "DELETE", headers: admin })).status,
    ).toBe(404);
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
