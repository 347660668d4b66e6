/**
 * Webhooks belong to a unit, reach no inside address, follow no redirect, and never make one
 * endpoint wait on another; a captured delivery sent again is refused by the verifier that
 * docs/webhooks.md prints.
 */
import { randomUUID } from "node:crypto";
import type { BusProducer } from "@tthc/bus";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { type CreateVerifier, documentedVerifier } from "./documented-verifier.js";
import { passDueInstant, producerFor, publish, received, UNIT } from "./fixtures.js";
import { type Receiver, receiver, webhookHeaders } from "./receivers.js";

const OTHER = "H44.102";
/** The monitor's clock: Monday 16/11/2026, moved past each dossier's due instant by hand. */
const clock = new ManualClock("2026-11-16T08:00:00+07:00");
let env: TestEnv;
let producer: BusProducer;
let monitor: RunningService<Config>;
let url: string;
let createVerifier: CreateVerifier;

/** Receivers the monitor may call (allow-listed by port), and one it may not. */
let fast: Receiver;
let slow: Receiver;
let bouncer: Receiver;
let landing: Receiver;
let trap: Receiver;
let closedPort: number;
let releaseSlow: () => void = () => {};
const slowHeld = new Promise<number>((resolve) => {
  releaseSlow = () => resolve(204);
});

const leader = tokenFor(UNIT, "leader");
const provinceLeader = tokenFor("H44", "leader");
const otherLeader = tokenFor(OTHER, "leader");

const register = (headers: Record<string, string>, body: Record<string, unknown>) =>
  http(`${url}/v1/webhooks`, { headers, body: { kinds: ["overdue"], ...body } });

/** Raises an overdue alert for a new dossier of UNIT and waits for it; returns the dossier id. */
async function raiseAlert(): Promise<string> {
  const r = received(clock.now().toISOString());
  await publish(producer, [r]);
  await passDueInstant(env, clock, r.dossierId);
  await waitUntil(
    "the overdue alert",
    async () =>
      (await env.pool.query("SELECT 1 FROM alerts WHERE dossier_id = $1 AND kind = 'overdue'", [r.dossierId]))
        .rowCount === 1,
    30_000,
  );
  return r.dossierId;
}

const deliveriesOf = (r: Receiver, dossierId: string) => r.got.filter((d) => d.body.includes(dossierId));

beforeAll(async () => {
  env = await createTestEnv("monitor-webhooks");
  producer = producerFor(env);
  createVerifier = await documentedVerifier();
  fast = await receiver();
  slow = await receiver(() => slowHeld);
  landing = await receiver();
  bouncer = await receiver(() => ({ status: 302, location: landing.url }));
  trap = await receiver();
  const gone = await receiver();
  closedPort = gone.port;
  await gone.close();
  const allowed = [fast, slow, bouncer, landing].map((r) => `127.0.0.1:${r.port}`);
  monitor = await buildService(service, {
    clock,
    env: env.serviceEnv({
      WEBHOOK_ALLOWED_TARGETS: [...allowed, `127.0.0.1:${closedPort}`].join(","),
      WEBHOOK_TIMEOUT_MS: "60000",
      WEBHOOK_BACKOFF_MS: "60000",
    }),
  });
  url = await monitor.start();
});

afterAll(async () => {
  releaseSlow();
  await monitor?.stop();
  await producer?.disconnect();
  for (const r of [fast, slow, bouncer, landing, trap]) await r?.close();
  await env?.cleanup();
});

describe("targets", () => {
  it("refuses inside addresses at registration, whatever their spelling, with one answer for all", async () => {
    const targets = [
      "http://127.0.0.1:6379/",
      "http://localhost:6379/", // a name that resolves to 127.0.0.1
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://172.16.5.4/",
      "http://192.168.1.1/",
      "http://100.64.0.1/",
      "http://[::1]:9092/",
      "http://[::ffff:127.0.0.1]:6379/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://[fe80::1]/",
      "http://[fd00::1]/",
      "http://[64:ff9b::a00:1]/",
      "http://0.0.0.0:6379/",
      "http://[::]/",
      "http://224.0.0.1/",
      "http://2130706433/",
      "http://0177.0.0.1/",
      "http://no-such-host.invalid/",
    ];
    const before = (await env.pool.query("SELECT count(*)::int AS n FROM webhooks")).rows[0].n;
    const answers = new Set<string>();
    for (const target of targets) {
      const res = await register(leader, { url: target });
      expect(res.status, target).toBe(400);
      expect(res.body.error.code, target).toBe("MONITOR_WEBHOOK_TARGET_REFUSED");
      answers.add(JSON.stringify(res.body));
    }
    expect(answers.size).toBe(1);
    expect((await env.pool.query("SELECT count(*)::int AS n FROM webhooks")).rows[0].n).toBe(before);
    // A public address needs no allow-list (registering does not call it).
    const pub = await register(leader, { url: "http://93.184.215.14/hook" });
    expect(pub.status).toBe(201);
    await http(`${url}/v1/webhooks/${pub.body.id}`, { method: "DELETE", headers: leader });
  });

  it("checks again at delivery, follows no redirect, and records only a status or an error class", async () => {
    // A webhook whose target is inside by the time it is called (registered before the rule, or a
    // name that changed its answer): written straight into the table, as no API call can.
    const stale = randomUUID();
    await env.pool.query(
      "INSERT INTO webhooks (id, url, secret, unit_code, kinds) VALUES ($1, $2, 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', $3, '{overdue}')",
      [stale, trap.url, UNIT],
    );
    const redirecting = await register(leader, { url: bouncer.url });
    const closed = await register(leader, { url: `http://127.0.0.1:${closedPort}/hook` });
    expect([redirecting.status, closed.status]).toEqual([201, 201]);

    const dossierId = await raiseAlert();
    const attemptsOf = async (id: string) =>
      (await http(`${url}/v1/webhooks/${id}/attempts`, { headers: leader })).body.items as {
        statusCode: number | null;
        error: string | null;
      }[];
    await waitUntil(
      "an attempt of each",
      async () =>
        (await attemptsOf(stale)).length > 0 &&
        (await attemptsOf(redirecting.body.id)).length > 0 &&
        (await attemptsOf(closed.body.id)).length > 0,
      30_000,
    );
    expect(await attemptsOf(stale)).toMatchObject([{ statusCode: null, error: "target-refused" }]);
    expect(trap.got).toEqual([]);
    expect(await attemptsOf(redirecting.body.id)).toMatchObject([{ statusCode: 302, error: "redirect" }]);
    expect(deliveriesOf(bouncer, dossierId)).toHaveLength(1);
    expect(landing.got).toEqual([]);
    const refused = await attemptsOf(closed.body.id);
    expect(refused).toMatchObject([{ statusCode: null, error: "network" }]);
    expect(JSON.stringify(refused)).not.toMatch(/ECONN|127\.0\.0\.1|refused|connect/i);
    for (const id of [stale, redirecting.body.id, closed.body.id])
      await http(`${url}/v1/webhooks/${id}`, { method: "DELETE", headers: leader });
  });
});

describe("a webhook belongs to a unit", () => {
  it("another unit's leader neither sees, reads nor deletes it; the province's leader does", async () => {
    const mine = await register(leader, { url: fast.url });
    expect(mine.body.unitCode).toBe(UNIT);
    const listOther = await http(`${url}/v1/webhooks`, { headers: otherLeader });
    expect(listOther.body.items.map((w: { id: string }) => w.id)).not.toContain(mine.body.id);
    const missing = randomUUID();
    for (const [method, path] of [
      ["GET", `/v1/webhooks/${mine.body.id}/attempts`],
      ["DELETE", `/v1/webhooks/${mine.body.id}`],
    ] as const) {
      const foreign = await http(`${url}${path}`, { method, headers: otherLeader });
      const none = await http(`${url}${path.replace(mine.body.id, missing)}`, {
        method,
        headers: otherLeader,
      });
      expect([foreign.status, foreign.body]).toEqual([
        404,
        { ...none.body, error: { ...none.body.error, details: { id: mine.body.id } } },
      ]);
    }
    expect((await register(otherLeader, { url: fast.url, unitCode: UNIT })).status).toBe(403);
    expect((await register(tokenFor(UNIT, "specialist"), { url: fast.url })).status).toBe(403);
    const listProvince = await http(`${url}/v1/webhooks`, { headers: provinceLeader });
    expect(listProvince.body.items.map((w: { id: string }) => w.id)).toContain(mine.body.id);
    const forChild = await register(provinceLeader, { url: fast.url, unitCode: UNIT });
    expect(forChild.status).toBe(201);
    for (const id of [mine.body.id, forChild.body.id])
      expect(
        (await http(`${url}/v1/webhooks/${id}`, { method: "DELETE", headers: provinceLeader })).status,
      ).toBe(204);
  });

  it("hears its unit's alerts and its units' alerts, never another unit's", async () => {
    const own = await register(leader, { url: fast.url });
    const province = await register(provinceLeader, { url: fast.url });
    const other = await register(otherLeader, { url: fast.url });
    const dossierId = await raiseAlert();
    await waitUntil("two deliveries", () => deliveriesOf(fast, dossierId).length >= 2, 30_000);
    const { rows } = await env.pool.query<{ webhook_id: string }>(
      "SELECT d.webhook_id::text FROM webhook_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.dossier_id = $1",
      [dossierId],
    );
    expect(rows.map((r) => r.webhook_id).sort()).toEqual([own.body.id, province.body.id].sort());
    for (const [w, h] of [
      [own, leader],
      [province, provinceLeader],
      [other, otherLeader],
    ] as const)
      await http(`${url}/v1/webhooks/${w.body.id}`, { method: "DELETE", headers: h });
  });
});

describe("deliveries", () => {
  it("a slow endpoint does not delay a fast one, and each attempt has its own time", async () => {
    const slowHook = await register(leader, { url: slow.url });
    const first = await raiseAlert();
    await waitUntil(
      "the slow endpoint to hold its delivery",
      () => deliveriesOf(slow, first).length === 1,
      30_000,
    );

    const fastHook = await register(leader, { url: fast.url });
    const second = await raiseAlert();
    // The slow endpoint still holds the first delivery (60 s timeout) while the fast one gets its own.
    await waitUntil("the fast endpoint's delivery", () => deliveriesOf(fast, second).length === 1, 30_000);
    const recorded = async (webhookId: string) =>
      (
        await env.pool.query<{ status: string; attempted_at: Date }>(
          `SELECT d.status, a.attempted_at FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
           WHERE d.webhook_id = $1`,
          [webhookId],
        )
      ).rows;
    await waitUntil("the fast attempt recorded", async () => (await recorded(fastHook.body.id)).length === 1);
    expect(await recorded(slowHook.body.id)).toEqual([]);
    expect(deliveriesOf(slow, second)).toEqual([]);

    releaseSlow();
    await waitUntil(
      "the slow endpoint's two deliveries recorded",
      async () => (await recorded(slowHook.body.id)).length === 2,
      30_000,
    );
    const slowAttempts = await recorded(slowHook.body.id);
    const [fastAttempt] = await recorded(fastHook.body.id);
    // The slow endpoint's first attempt began before the fast one's; its second after the first ended.
    const times = slowAttempts.map((a) => a.attempted_at.getTime()).sort((a, b) => a - b);
    expect(times[0]).toBeLessThan(fastAttempt!.attempted_at.getTime());
    expect(times[1]).toBeGreaterThan(times[0]!);
    for (const w of [slowHook, fastHook])
      await http(`${url}/v1/webhooks/${w.body.id}`, { method: "DELETE", headers: leader });
  });

  it("a captured delivery sent again is refused by the documented verifier", async () => {
    const hook = await register(leader, { url: landing.url });
    const dossierId = await raiseAlert();
    await waitUntil("the delivery", () => deliveriesOf(landing, dossierId).length === 1, 30_000);
    const [delivery] = deliveriesOf(landing, dossierId);
    const headers = webhookHeaders(delivery!.headers);
    const verify = createVerifier(hook.body.secret);
    expect(verify(headers, delivery!.body)).toEqual({ ok: true, id: headers["webhook-id"] });
    // The same request again, as an eavesdropper would send it.
    expect(verify(headers, delivery!.body)).toEqual({ ok: false, reason: "replayed" });
    // Later, to a receiver that has forgotten the id: the timestamp gives it away.
    const later = createVerifier(hook.body.secret, {
      now: () => Number(headers["webhook-timestamp"]) * 1000 + 3_600_000,
    });
    expect(later(headers, delivery!.body)).toEqual({ ok: false, reason: "stale-timestamp" });
    // With a fresh timestamp, the signature no longer fits.
    const fresh = { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1) };
    expect(createVerifier(hook.body.secret)(fresh, delivery!.body)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    // Nor does it fit another body, or another secret.
    expect(createVerifier(hook.body.secret)(headers, delivery!.body.replace(UNIT, OTHER))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    await http(`${url}/v1/webhooks/${hook.body.id}`, { method: "DELETE", headers: leader });
  });
});
