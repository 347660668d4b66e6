import type { AnyEvent } from "@tthc/contracts";
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusProducer, ensureBusTables, eventDecoder, eventRecord, IdempotentConsumer } from "../src/index.js";
import { assignedEvents, dossierIds } from "./fixtures/ledger.js";

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv("lag");
  await ensureBusTables(env.pool);
});
afterAll(async () => {
  await env?.cleanup();
});

/** The value of one series in the registry's text exposition, or undefined when it is absent. */
async function sample(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("the consumer group's lag, measured when scraped", () => {
  it("shows the records a stuck consumer has not applied, then 0 once it applies them", async () => {
    const registry = new Registry();
    const events = assignedEvents(12, dossierIds(4));
    const producer = new BusProducer(env.bus);
    await producer.send(
      "dossier.events",
      events.map((e) => eventRecord(e)).map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    );
    await producer.disconnect();

    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const consumer = new IdempotentConsumer<AnyEvent>({
      client: env.bus,
      pool: env.pool,
      registry,
      name: "lagging",
      topics: ["dossier.events"],
      decoder: eventDecoder,
      handle: async () => {
        entered = true;
        await stuck;
      },
    });
    const group = 'bus_consumer_group_lag{consumer="lagging",topic="dossier.events"}';
    try {
      await consumer.start();
      // Every dead-letter series exists at 0 from the start, so the first one raises an alert.
      expect(
        await sample(
          registry,
          'bus_dead_letters_total{topic="dossier.events",consumer="lagging",reason="failed"}',
        ),
      ).toBe(0);
      await waitUntil("the handler holds its first run", () => entered, 60_000);
      // The per-batch gauge has nothing to say while the first batch is in hand; the scrape does.
      expect(await sample(registry, group)).toBe(12);
      release();
      await waitUntil(
        "the lag falls to 0 once the records are applied",
        async () => (await sample(registry, group)) === 0,
        60_000,
      );
    } finally {
      release();
      await consumer.stop();
    }
    // A stopped consumer is no longer measured.
    expect(await sample(registry, group)).toBeUndefined();
  });
});
