import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnyEvent } from "@tthc/contracts";
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BusConsumer,
  enqueue,
  ensureBusTables,
  eventRecord,
  type IncomingMessage,
  OutboxRelay,
  outboxPending,
} from "../src/index.js";
import { assignedEvents, dossierIds } from "./fixtures/ledger.js";

let env: TestEnv;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  env = await createTestEnv("relay");
  await ensureBusTables(env.pool);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await env?.cleanup();
});

function startRelay(extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) {
  const relay = new OutboxRelay({ client: env.bus, pool: env.pool, name: "test", ...extra });
  cleanups.push(() => relay.stop());
  return relay;
}

/** Every event id published to dossier.events, in the order one partition's reader sees them. */
async function readTopic(): Promise<{ ids: () => string[] }> {
  const seen: IncomingMessage[] = [];
  const reader = new BusConsumer(env.bus, {
    groupId: "reader",
    topics: ["dossier.events"],
    fromBeginning: true,
  });
  cleanups.push(() => reader.stop());
  await reader.start(async (batch) => {
    seen.push(...batch.messages);
    return batch.messages.at(-1)?.offset;
  });
  return { ids: () => seen.map((m) => (JSON.parse(m.value!.toString()) as AnyEvent).id) };
}

async function open(): Promise<pg.PoolClient> {
  const tx = await env.pool.connect();
  cleanups.push(async () => {
    await tx.query("ROLLBACK").catch(() => undefined);
    tx.release();
  });
  await tx.query("BEGIN");
  return tx;
}

const published = () => env.admin.endOffsetsSum("dossier.events");
const watermark = async () =>
  Number(
    (await env.pool.query<{ w: string }>("SELECT watermark::text AS w FROM bus_relay_state")).rows[0]!.w,
  );

describe("the relay publishes a contiguous run of ids and waits out the gaps", () => {
  it("a row committed above an open transaction's row waits for it, then both go in id order", async () => {
    const [first, second] = assignedEvents(2, dossierIds(1));
    const before = await published();
    const reader = await readTopic();
    await startRelay({ pollIntervalMs: 20 }).start();

    // B takes its xid before A does, A draws id n, B draws n+1 and commits. B's xid is then the last
    // completed one, so a snapshot's xmax is A's xid: a rule reading "xmin >= the read's xmax" as
    // "A has ended" would give n up while A is still open.
    const b = await open();
    await b.query("SELECT pg_current_xact_id()");
    const a = await open();
    await enqueue(a, [eventRecord(first!)]);
    await enqueue(b, [eventRecord(second!)]);
    await b.query("COMMIT");

    await sleep(1_500);
    expect(await published()).toBe(before);
    expect(await outboxPending(env.pool)).toBe(1);

    await a.query("COMMIT");
    await waitUntil("both published", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    await waitUntil("both read", () => reader.ids().length >= 2, 30_000);
    expect(reader.ids()).toEqual([first!.id, second!.id]);
    expect(await published()).toBe(before + 2);
  });

  it("a rolled-back transaction's id is skipped, and the row after it is published", async () => {
    const [lost, kept] = assignedEvents(2, dossierIds(1));
    const before = await published();
    const reader = await readTopic();
    await startRelay({ pollIntervalMs: 20 }).start();

    const a = await open();
    await enqueue(a, [eventRecord(lost!)]);
    const b = await open();
    await enqueue(b, [eventRecord(kept!)]);
    await b.query("COMMIT");
    await sleep(500);
    expect(await published()).toBe(before);

    await a.query("ROLLBACK");
    await waitUntil("the row after the gap", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    await waitUntil("it is read", () => reader.ids().length >= 1, 30_000);
    await sleep(500);
    expect(reader.ids()).toEqual([kept!.id]);
    expect(await published()).toBe(before + 1);
  });

  it("an id drawn by an insert that hit ON CONFLICT DO NOTHING is a gap that is skipped", async () => {
    const [once, next] = assignedEvents(2, dossierIds(1));
    const before = await published();
    await startRelay({ pollIntervalMs: 20 }).start();

    let tx = await open();
    await enqueue(tx, [eventRecord(once!)]);
    await tx.query("COMMIT");
    await waitUntil("the first row", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    const first = await watermark();

    tx = await open();
    await enqueue(tx, [eventRecord(once!)]); // the same event id again: no row, one id drawn
    await enqueue(tx, [eventRecord(next!)]);
    await tx.query("COMMIT");
    const ids = (await env.pool.query<{ id: string }>("SELECT id::text FROM bus_outbox ORDER BY id")).rows;
    expect(ids.map((r) => Number(r.id))).toEqual([first, first + 2]);

    await waitUntil("the row after the gap", async () => (await watermark()) === first + 2, 60_000, 20);
    expect(await outboxPending(env.pool)).toBe(0);
    expect(await published()).toBe(before + 2);
  });
});

describe("one relay per schema", () => {
  it("when the leader's connection dies, a new leader session takes over from the saved watermark", async () => {
    const events = assignedEvents(20, dossierIds(4));
    const first = startRelay({ pollIntervalMs: 20 });
    await first.start();
    await waitUntil("a leader", () => first.isLeader, 60_000, 10);
    const second = startRelay({ pollIntervalMs: 20 });
    await second.start();

    let tx = await open();
    await enqueue(
      tx,
      events.slice(0, 10).map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    await waitUntil("the first half", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    expect(second.isLeader).toBe(false);

    // The leader's session is the one holding the schema's advisory lock.
    const key = createHash("sha256").update(`outbox-relay:${env.schema}`).digest();
    const leaderPids = async () =>
      (
        await env.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (
             SELECT oid FROM pg_database WHERE datname = current_database())
             AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1`,
          [key.readUInt32BE(0), key.readUInt32BE(4)],
        )
      ).rows.map((r) => r.pid);
    const [killed, ...others] = await leaderPids();
    expect(others).toEqual([]);
    await env.pool.query("SELECT pg_terminate_backend($1)", [killed]);
    // Leadership moves to a new session: the killed relay may win it back at once (its loop
    // re-elects as soon as it sees its connection gone), or the other relay takes it.
    await waitUntil(
      "a new leader session",
      async () => {
        const pids = await leaderPids();
        return pids.length === 1 && pids[0] !== killed;
      },
      60_000,
      20,
    );

    const before = await published();
    tx = await open();
    await enqueue(
      tx,
      events.slice(10).map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    await waitUntil("the second half", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    expect(await published()).toBe(before + 10);
    expect(first.isLeader && second.isLeader).toBe(false);
    expect(first.isLeader || second.isLeader).toBe(true);
  });
});

describe("the relay needs no notification", () => {
  it("enqueue notifies nobody, and a row committed while full batches drain goes out in the same drain", async () => {
    const listener = await env.pool.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(n.channel));
    await listener.query("LISTEN bus_outbox");
    cleanups.push(async () => {
      await listener.query("UNLISTEN *");
      listener.release();
    });

    const events = assignedEvents(2_001, dossierIds(50));
    const tx = await open();
    await enqueue(
      tx,
      events.slice(0, 2_000).map((e) => eventRecord(e)),
    );
    await tx.query("COMMIT");
    const before = await published();

    // An idle poll of ten minutes: if the relay slept between full batches, or needed a wake-up for
    // the late row, it would wait that long. The relay is held after its first batch until the late
    // row has committed, so the row surely comes while full batches are still draining.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let firstBatch = true;
    await startRelay({
      batchSize: 100,
      pollIntervalMs: 600_000,
      afterPublish: async () => {
        if (!firstBatch) return;
        firstBatch = false;
        await held;
      },
    }).start();
    await waitUntil("the first batch sent", () => !firstBatch, 60_000, 5);
    const late = await open();
    await enqueue(late, [eventRecord(events[2_000]!)]);
    await late.query("COMMIT");
    expect(await watermark()).toBe(0); // the first batch is held: nothing saved yet
    release();

    // Far less than the idle poll, and enough for a loaded machine.
    await waitUntil("everything", async () => (await outboxPending(env.pool)) === 0, 120_000, 10);
    expect(await published()).toBe(before + 2_001);
    expect(heard).toEqual([]);
  });

  it("an idle relay publishes a commit by its own poll, with no wake-up", async () => {
    const [event] = assignedEvents(1, dossierIds(1));
    const relay = startRelay();
    await relay.start();
    await waitUntil("the relay leads", () => relay.isLeader, 60_000, 10);
    await sleep(300);
    const tx = await open();
    await enqueue(tx, [eventRecord(event!)]);
    await tx.query("COMMIT");
    await waitUntil("published", async () => (await outboxPending(env.pool)) === 0, 60_000, 5);
  });
});

describe("an outbox from before the watermark", () => {
  it("migrates at start: the watermark begins below the first unsent row, and sent_at goes", async () => {
    await env.pool.query(`
      DROP TABLE bus_outbox, bus_relay_state;
      CREATE TABLE bus_outbox (
        id bigserial PRIMARY KEY, message_id text NOT NULL UNIQUE, topic text NOT NULL,
        key text NOT NULL, value text NOT NULL, headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
      CREATE INDEX bus_outbox_unsent ON bus_outbox (id) WHERE sent_at IS NULL;
      CREATE INDEX bus_outbox_sent_at ON bus_outbox (sent_at) WHERE sent_at IS NOT NULL;`);
    const events = assignedEvents(5, dossierIds(1));
    for (const [i, e] of events.entries()) {
      const r = eventRecord(e);
      await env.pool.query(
        "INSERT INTO bus_outbox (message_id, topic, key, value, sent_at) VALUES ($1, $2, $3, $4, $5)",
        [r.id, r.topic, r.key, r.value, i < 3 ? new Date() : null],
      );
    }
    await ensureBusTables(env.pool);
    await ensureBusTables(env.pool); // and again: nothing changes
    expect(await watermark()).toBe(3);
    const { rows } = await env.pool.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'bus_outbox' AND column_name = 'sent_at'",
    );
    expect(rows).toEqual([]);
    expect(await outboxPending(env.pool)).toBe(2);

    const before = await published();
    await startRelay({ pollIntervalMs: 20 }).start();
    await waitUntil("the two unsent rows", async () => (await outboxPending(env.pool)) === 0, 60_000, 20);
    expect(await published()).toBe(before + 2);
  });
});
