/**
 * Actions per second through HTTP with the outbox (assign on distinct dossiers, 8 in flight), beside
 * the bare versioned UPDATE it rests on; and the queue query's p99 over a bench schema of
 * BENCH_QUEUE_ROWS dossiers (default 1,000,000) bulk-inserted with generate_series, keyset against
 * OFFSET at the same depth.
 * Run: `pnpm bench processing` (or directly with KAFKA_BROKERS, DATABASE_URL, REDIS_URL set).
 */
import { join } from "node:path";
import { buildService, migrate, withTransaction } from "@tthc/service-kit";
import { type BenchResult, createTestEnv, runIfMain, tokenFor } from "@tthc/testkit";
import { apply } from "../src/domain/apply.js";
import { service } from "../src/service.js";
import { saveApplied } from "../src/store/dossiers.js";
import { queuePage } from "../src/store/queue.js";
import { received } from "../test/fixtures.js";
import { foldBench } from "./fold.js";

const ACTIONS = Number(process.env.BENCH_PROCESSING_ACTIONS ?? 2_000);
const ROWS = Number(process.env.BENCH_QUEUE_ROWS ?? 1_000_000);
const CONCURRENCY = 8;
const QUERIES = 200;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

const p99 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length * 0.99)] ?? Number.NaN;

export default async function run(): Promise<BenchResult[]> {
  const env = await createTestEnv("bench-processing");
  const svc = await buildService(service, { env: env.serviceEnv({ LOG_LEVEL: "error" }) });
  try {
    const url = await svc.start();
    const events = Array.from({ length: ACTIONS }, () => received(svc.ctx.clock.now()));
    await pool(events, 4, (e) =>
      withTransaction(env.pool, async (tx) => saveApplied(tx, null, apply(null, e))),
    );
    const auth = tokenFor("H44.100", "leader");
    let t0 = performance.now();
    await pool(events, CONCURRENCY, async (e) => {
      const res = await fetch(`${url}/v1/dossiers/${e.dossierId}/assign`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ expectedVersion: 1, assigneeStaffId: "cv@H44.100" }),
      });
      if (res.status !== 200) throw new Error(`assign answered ${res.status}: ${await res.text()}`);
    });
    const actionRate = ACTIONS / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    await pool(events, CONCURRENCY, async (e) => {
      await env.pool.query("UPDATE dossiers SET version = version + 1 WHERE id = $1 AND version = $2", [
        e.dossierId,
        2,
      ]);
    });
    const updateRate = ACTIONS / ((performance.now() - t0) / 1000);
    await svc.stop();
    const fold = await foldBench(env.pool, svc.ctx.clock.now());

    // The queue at scale, in a schema of its own with the service's migrations.
    const bench = await env.createSchema("queue");
    await migrate(env.pool, bench, join(import.meta.dirname, "..", "migrations"));
    t0 = performance.now();
    await env.pool.query(`
      INSERT INTO "${bench}".dossiers (id, code, procedure_code, procedure_name, receiving_unit_code,
        current_unit_code, assignee_staff_id, state, version, steps, step_index, supplement_rule,
        received_at, due_at, known_due_at, supplement_requests, updated_at)
      SELECT md5(i::text)::uuid, '000.00.01.H44-260504-' || lpad(i::text, 7, '0'), '2.000815', 'Thủ tục',
        'H44.' || (100 + i % 148), 'H44.' || (100 + (i / 8) % 148), NULL, state, 1,
        '[{"id":"receive"}]'::jsonb, 0, 'pause', now() - (i % 90) * interval '1 day',
        -- a dossier awaiting its supplement before its due instant has none known (null)
        CASE WHEN state = 'awaiting_supplement' AND i % 2 = 0 THEN NULL ELSE due END, due, 0, now()
      FROM (
        SELECT i,
          (ARRAY['received','processing','processing','processing','awaiting_supplement','resolved','returned','returned'])[1 + i % 8] AS state,
          now() + ((i * 37) % 120 - 60) * interval '1 day' + (i % 1000) * interval '1 second' AS due
        FROM generate_series(1, ${ROWS}) AS i
      ) AS g`);
    await env.pool.query(`ANALYZE "${bench}".dossiers`);
    const loadSeconds = (performance.now() - t0) / 1000;

    const client = await env.pool.connect();
    const timings: Record<string, number[]> = { first: [], overdue: [], deep: [], offset: [] };
    try {
      await client.query(`SET search_path = "${bench}"`);
      const now = new Date();
      for (let q = 0; q < QUERIES; q++) {
        const unit = `H44.${100 + (q % 148)}`;
        let t = performance.now();
        const first = await queuePage(client, { unit, status: "processing", limit: 50, now });
        timings.first?.push(performance.now() - t);
        t = performance.now();
        await queuePage(client, { unit, overdue: true, limit: 50, now });
        timings.overdue?.push(performance.now() - t);
        // Page 11 of the unit's queue: keyset from the 500th row, against OFFSET 500.
        const key = await client.query<{ known_due_at: Date; id: string }>(
          "SELECT known_due_at, id FROM dossiers WHERE current_unit_code = $1 ORDER BY known_due_at, id OFFSET 499 LIMIT 1",
          [unit],
        );
        const k = key.rows[0];
        t = performance.now();
        if (!k) throw new Error(`fewer than 500 dossiers at ${unit}`);
        await queuePage(client, { unit, limit: 50, now }, [k.known_due_at, k.id]);
        timings.deep?.push(performance.now() - t);
        t = performance.now();
        await client.query(
          "SELECT * FROM dossiers WHERE current_unit_code = $1 ORDER BY known_due_at, id OFFSET 500 LIMIT 51",
          [unit],
        );
        timings.offset?.push(performance.now() - t);
        if (first.items.length === 0) throw new Error(`no processing dossier at ${unit}`);
      }
    } finally {
      client.release();
    }
    const notes = `${ROWS.toLocaleString("en")} dossiers in the bench schema (BENCH_QUEUE_ROWS), 148 units, inserted with generate_series in ${loadSeconds.toFixed(0)} s; ${QUERIES} queries each, one connection`;
    const deep = p99(timings.deep ?? []);
    const offset = p99(timings.offset ?? []);
    return [
      ...fold,
      {
        name: "processing: actions through HTTP with the outbox (assign, 8 in flight)",
        value: actionRate,
        unit: "actions/s",
        baseline: { name: "bare versioned UPDATE, same concurrency", value: updateRate, unit: "updates/s" },
        ratio: actionRate / updateRate,
        notes: `${ACTIONS} actions (BENCH_PROCESSING_ACTIONS); each: token check, read, decide, apply, UPDATE ... WHERE version, step run, timeline, outbox, relay publishing`,
      },
      {
        name: "processing: queue p99, unit + status, first page of 50",
        value: p99(timings.first ?? []),
        unit: "ms",
        notes,
      },
      {
        name: "processing: queue p99, unit + overdue, first page of 50",
        value: p99(timings.overdue ?? []),
        unit: "ms",
        notes,
      },
      {
        name: "processing: queue p99, unit, page 11 by keyset cursor",
        value: deep,
        unit: "ms",
        baseline: { name: "same page by OFFSET 500", value: offset, unit: "ms" },
        ratio: deep / offset,
        notes,
      },
    ];
  } finally {
    await svc.stop().catch(() => {});
    await env.cleanup();
  }
}

runIfMain(import.meta.url, run);
