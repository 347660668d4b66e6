import { setTimeout as sleep } from "node:timers/promises";
import type { BusProducer } from "@tthc/bus";
import { toEpochMs } from "@tthc/calendar";
import { buildService, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import {
  alertsOf,
  outboxCount,
  producerFor,
  publish,
  publishTestCatalog,
  received,
  resolved,
  supplementReceived,
  supplementRequested,
  UNIT,
} from "./fixtures.js";

let env: TestEnv;
let producer: BusProducer;
let first: RunningService<Config>;
let url: string;
const auth = tokenFor(UNIT, "leader");

async function partitionsOf(base: string): Promise<number> {
  const res = await fetch(`${base}/metrics`);
  const m = /^monitor_timer_partitions\S* (\d+)/m.exec(await res.text());
  return Number(m?.[1] ?? -1);
}

beforeAll(async () => {
  env = await createTestEnv("monitor");
  producer = producerFor(env);
  await publishTestCatalog(producer);
  first = await buildService(service, { env: env.serviceEnv() });
  url = await first.start();
  await waitUntil("the test catalogue", async () => {
    const { rows } = await env.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog_records");
    return rows[0]?.n === 2;
  });
  await waitUntil("partitions assigned", async () => (await partitionsOf(url)) === 12, 30_000);
});

afterAll(async () => {
  await first?.stop();
  await producer?.disconnect();
  await env?.cleanup();
});

describe("deadline monitor against the real stack", () => {
  it("flags an open dossier overdue within a second of its due instant, once", async () => {
    const r = received(4_000);
    await publish(producer, [r]);
    const dueAt = toEpochMs((r.payload as { dueAt: string }).dueAt);
    const [alert] = await waitUntil("overdue alert", async () => {
      const a = await alertsOf(env, r.dossierId, "overdue");
      return a.length > 0 ? a : undefined;
    });
    expect(alert?.due_at.getTime()).toBe(dueAt);
    expect(alert?.raised_at.getTime()).toBeGreaterThanOrEqual(dueAt);
    expect(alert?.lag_ms).toBeLessThan(1_000);
    await sleep(1_500);
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(1);
    expect(await outboxCount(env, r.dossierId, "sla.overdue")).toBe(1);
    expect(await outboxCount(env, r.dossierId, "sla.deadline-set")).toBe(1);
    expect(await outboxCount(env, r.dossierId, "sla.due-soon")).toBe(1);

    const sla = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
    expect(sla.status).toBe(200);
    expect(toEpochMs(sla.body.dueAt)).toBe(dueAt);
    expect(sla.body.overdue).toBe(true);
    expect(sla.body.statutoryMinutes).toBe(3);

    const list = await http(`${url}/v1/alerts?unit=${UNIT}&limit=500`, { headers: auth });
    expect(list.status).toBe(200);
    const mine = list.body.items.filter(
      (a: { dossierId: string; kind: string }) => a.dossierId === r.dossierId,
    );
    expect(mine.map((a: { kind: string }) => a.kind).sort()).toEqual(["due-soon", "overdue"]);

    const live = await http(`${url}/v1/units/${UNIT}/live`, { headers: auth });
    expect(live.status).toBe(200);
    expect(live.body.overdue).toBeGreaterThanOrEqual(1);
  });

  it("never flags a dossier resolved in time, and gives it a verdict", async () => {
    const r = received(5_000);
    await publish(producer, [r, resolved(r, Date.now())]);
    await waitUntil("the verdict", async () => (await outboxCount(env, r.dossierId, "sla.verdict")) === 1);
    const { rows } = await env.pool.query("SELECT * FROM timers WHERE dossier_id = $1", [r.dossierId]);
    expect(rows).toHaveLength(0);
    await sleep(6_500);
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(0);
    const { rows: verdicts } = await env.pool.query<{ verdict: string }>(
      "SELECT verdict FROM verdicts WHERE dossier_id = $1",
      [r.dossierId],
    );
    // Resolved on the due day, before the due instant: on time (early needs a day before the due day).
    expect(verdicts[0]?.verdict).toBe("on_time");
  });

  it("does not flag a dossier awaiting a supplement, and moves its due instant by the pause", async () => {
    const r = received(4_000);
    const requestedAt = Math.floor(Date.now() / 1000) * 1000;
    await publish(producer, [r, supplementRequested(r, requestedAt)]);
    const dueAt = toEpochMs((r.payload as { dueAt: string }).dueAt);
    await waitUntil("paused", async () => {
      const res = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
      return res.status === 200 && res.body.paused === true;
    });
    await sleep(Math.max(0, dueAt - Date.now()) + 1_500);
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(0);

    const suppliedAt = Math.floor(Date.now() / 1000) * 1000;
    await publish(producer, [supplementReceived(r, requestedAt, suppliedAt)]);
    const expected = dueAt + (suppliedAt - requestedAt);
    const sla = await waitUntil("resumed", async () => {
      const res = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
      return res.body.paused === false && res.body.dueAt ? res.body : undefined;
    });
    expect(toEpochMs(sla.dueAt)).toBe(expected);
    expect(sla.history.map((h: { event: string }) => h.event)).toEqual([
      "dossier.received",
      "dossier.supplement-requested",
      "dossier.supplement-received",
    ]);
    const [alert] = await waitUntil("overdue after the pause", async () => {
      const a = await alertsOf(env, r.dossierId, "overdue");
      return a.length > 0 ? a : undefined;
    });
    expect(alert?.due_at.getTime()).toBe(expected);
    expect(await outboxCount(env, r.dossierId, "sla.deadline-set")).toBe(2);
  });

  it("shares the partitions between two instances that together send each alert once", async () => {
    const second = await buildService(service, { env: env.serviceEnv() });
    const url2 = await second.start();
    try {
      await waitUntil(
        "both instances own partitions",
        async () => {
          const [a, b] = [await partitionsOf(url), await partitionsOf(url2)];
          return a > 0 && b > 0 && a + b === 12;
        },
        60_000,
      );
      const batch = Array.from({ length: 24 }, (_, i) => received(5_000 + (i % 4) * 500));
      await publish(producer, batch);
      const ids = batch.map((e) => e.dossierId);
      await waitUntil(
        "24 overdue alerts",
        async () => {
          const { rows } = await env.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM alerts WHERE kind = 'overdue' AND dossier_id = ANY($1::uuid[])",
            [ids],
          );
          return rows[0]?.n === 24;
        },
        30_000,
      );
      await sleep(1_500);
      const { rows } = await env.pool.query<{ n: number; d: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT key)::int AS d FROM bus_outbox
         WHERE value::jsonb->>'type' = 'sla.overdue' AND key = ANY($1::text[])`,
        [ids],
      );
      expect(rows[0]).toEqual({ n: 24, d: 24 });
    } finally {
      await second.stop();
    }
  });
});
