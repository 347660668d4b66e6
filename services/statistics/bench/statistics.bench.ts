/**
 * Two figures of the statistics service, each beside a baseline measured in the same run:
 * 1. events per second into the aggregates during a rebuild (fresh consumer group from the beginning
 *    into fresh tables), beside the raw kafkajs consume rate of the same records;
 * 2. p99 of `GET /v1/stats/units` for a year of a province (148 units, 1.2 million dossiers,
 *    bulk-inserted with SQL), beside one naive full-scan GROUP BY over the dossier rows.
 * Run: `pnpm bench statistics`. Scale: BENCH_STATS_EVENTS (default 100,000 events: enough that the
 * rebuild's fixed costs, the group join, the lag polls, the index build and the swap, do not hide its
 * rate),
 * BENCH_STATS_DOSSIERS (default 1,200,000 rows), BENCH_STATS_REQUESTS (default 60).
 */
import { BusConsumer, BusProducer, eventRecord } from "@tthc/bus";
import { buildService } from "@tthc/service-kit";
import { type BenchResult, createTestEnv, http, runIfMain, tokenFor, waitUntil } from "@tthc/testkit";
import { service } from "../src/service.js";
import { recomputeAllDaily } from "../src/store/dossiers.js";
import { liveTables } from "../src/store/tables.js";
import { newDossier, received, resolved, verdict } from "../test/fixtures/events.js";

const EVENTS = Number(process.env.BENCH_STATS_EVENTS ?? 100_000);
/** A province's year of events (docs/performance.md): what the rebuild rate is extrapolated to. */
const PROVINCE_YEAR_EVENTS = 10_000_000;
const DOSSIERS = Number(process.env.BENCH_STATS_DOSSIERS ?? 1_200_000);
const REQUESTS = Number(process.env.BENCH_STATS_REQUESTS ?? 60);

function p99(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] ?? 0;
}

export default async function run(): Promise<BenchResult[]> {
  const env = await createTestEnv("bench-stats");
  const svc = await buildService(service, { env: env.serviceEnv({ LOG_LEVEL: "warn" }) });
  const url = await svc.start();
  try {
    // The events: a received, a resolved and a verdict per dossier, over 148 units and one month.
    const messages: Record<string, { key: string; value: string }[]> = {
      "dossier.events": [],
      "sla.events": [],
    };
    const perDossier = 3;
    for (let i = 0; i < EVENTS / perDossier; i++) {
      const unit = `H44.${100 + (i % 148)}`;
      const day = `2026-08-${String(1 + (i % 28)).padStart(2, "0")}`;
      const d = newDossier(unit, day);
      const at = `${day}T09:00:00+07:00`;
      const end = `${day}T15:00:00+07:00`;
      const due = `2026-09-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00+07:00`;
      const channel = i % 10 === 0 ? "direct" : "online";
      for (const e of [received(d, channel, at, due), resolved(d, end), verdict(d, 2, "early", end, due)]) {
        const r = eventRecord(e);
        messages[r.topic]?.push({ key: r.key, value: r.value });
      }
    }
    const total = messages["dossier.events"]!.length + messages["sla.events"]!.length;
    const producer = new BusProducer(env.bus);
    for (const [topic, list] of Object.entries(messages)) {
      for (let i = 0; i < list.length; i += 500) await producer.send(topic, list.slice(i, i + 500));
    }
    await producer.disconnect();

    // Baseline: raw consume of the same records with @tthc/bus's thin kafkajs layer (kafkajs eachBatch,
    // offsets resolved per batch), no work per record. kafkajs itself is a dependency of @tthc/bus only.
    const consumer = new BusConsumer(env.bus, {
      groupId: "bench-raw",
      topics: Object.keys(messages),
      fromBeginning: true,
    });
    let consumed = 0;
    let t = performance.now();
    await consumer.start(async (batch) => {
      consumed += batch.messages.length;
      return batch.messages[batch.messages.length - 1]?.offset;
    });
    await waitUntil("raw consume", () => consumed >= total, 300_000, 20);
    const rawRate = total / ((performance.now() - t) / 1000);
    await consumer.stop();

    // The live consumer catches up first; then the rebuild is timed on its own.
    const count = async () =>
      Number(
        (await env.pool.query("SELECT count(*) FROM stat_dossiers WHERE verdict IS NOT NULL")).rows[0].count,
      );
    await waitUntil(
      "live consumer caught up",
      async () => (await count()) >= total / perDossier,
      600_000,
      200,
    );
    t = performance.now();
    const started = await http(`${url}/v1/stats/rebuild`, {
      method: "POST",
      headers: tokenFor("H44", ["admin"]),
    });
    if (started.status !== 202) throw new Error(`rebuild: ${started.status}`);
    await waitUntil(
      "rebuild done",
      async () =>
        (await http(`${url}/v1/stats/rebuild`, { headers: tokenFor("H44", ["admin"]) })).body.state ===
        "done",
      600_000,
      100,
    );
    const rebuildRate = total / ((performance.now() - t) / 1000);
    if ((await count()) !== total / perDossier) throw new Error("rebuild lost dossiers");

    // A year of a province: 148 units, DOSSIERS rows, bulk-inserted, then the daily sums.
    await env.pool.query("TRUNCATE stat_dossiers, stat_step_runs, stat_daily, stat_units");
    await env.pool.query(
      `INSERT INTO stat_units (code, name, level, parent_code, active, revision)
       SELECT 'H44.' || (100 + g), 'Xã ' || (100 + g), 'commune', 'H44', true, 1 FROM generate_series(0, 147) g`,
    );
    let loadMs = performance.now();
    await env.pool.query(
      `INSERT INTO stat_dossiers (dossier_id, dossier_code, receiving_unit_code, received_competent_unit_code,
         competent_unit_code, current_unit_code, procedure_code, procedure_name,
         field, channel, received_at, received_day, receipt_due_at, due_at, state, end_at, end_kind, verdict, verdict_end_at,
         verdict_due_at, effective_end_at, used_minutes, verdict_reason, unit_at_fault_code, finished_at, finished_day)
       SELECT id, 'B-' || i, u, u, u, u, p, 'Thủ tục ' || p, 'Lĩnh vực ' || (i % 12), ch, r, (r AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
         r + interval '7 days', r + interval '7 days', CASE WHEN f IS NULL THEN 'processing' ELSE 'resolved' END, f, CASE WHEN f IS NULL THEN NULL ELSE 'resolved' END,
         v, f, CASE WHEN f IS NULL THEN NULL ELSE r + interval '7 days' END, f, CASE WHEN f IS NULL THEN NULL ELSE 600 + (i % 2000) END,
         CASE WHEN v IS NULL THEN NULL ELSE 'bench' END, CASE WHEN v = 'late' THEN u END,
         f, (f AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
       FROM (
         SELECT i, gen_random_uuid() AS id, 'H44.' || (100 + i % 148) AS u, '1.00' || (1000 + i % 56) AS p,
                CASE WHEN i % 50 = 0 THEN 'direct' WHEN i % 997 = 0 THEN 'postal' ELSE 'online' END AS ch, r,
                CASE WHEN r + ((i % 10) + 1) * interval '1 day' > now() THEN NULL ELSE r + ((i % 10) + 1) * interval '1 day' END AS f,
                CASE WHEN r + ((i % 10) + 1) * interval '1 day' > now() THEN NULL
                     WHEN i % 10 < 5 THEN 'early' WHEN i % 10 < 7 THEN 'on_time' ELSE 'late' END AS v
         FROM (SELECT i, timestamptz '2026-01-01 00:00+07' + (i::float8 / $1) * interval '365 days' AS r
                 FROM generate_series(0, $1 - 1) i) s
       ) x`,
      [DOSSIERS],
    );
    const client = await env.pool.connect();
    try {
      await recomputeAllDaily(client, liveTables);
    } finally {
      client.release();
    }
    await env.pool.query("ANALYZE stat_dossiers; ANALYZE stat_daily");
    loadMs = performance.now() - loadMs;

    const year = "from=2026-01-01&to=2026-12-31";
    const first = await http(`${url}/v1/stats/units?${year}`);
    if (first.status !== 200 || first.body.units.length !== 148) throw new Error(`units: ${first.status}`);
    const handled = first.body.units.reduce(
      (s: number, u: { figures: { handled: number } }) => s + u.figures.handled,
      0,
    );
    if (handled !== DOSSIERS) throw new Error(`handled ${handled} of ${DOSSIERS}`);
    const api: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const s = performance.now();
      const res = await fetch(`${url}/v1/stats/units?${year}`);
      await res.arrayBuffer();
      api.push(performance.now() - s);
    }
    const naive: number[] = [];
    for (let i = 0; i < Math.max(5, Math.round(REQUESTS / 10)); i++) {
      const s = performance.now();
      await env.pool.query(
        `SELECT competent_unit_code, count(*), count(*) FILTER (WHERE verdict IN ('early', 'on_time')) FROM stat_dossiers
          WHERE received_at < '2027-01-01' GROUP BY competent_unit_code`,
      );
      naive.push(performance.now() - s);
    }
    const notes = `${total} events (${total / perDossier} dossiers × received, resolved, verdict) over 148 units, 12 partitions, one broker and PostgreSQL on the same 2-core machine`;
    const apiP99 = p99(api);
    const naiveP99 = p99(naive);
    return [
      {
        name: "statistics: rebuild into fresh tables (fresh consumer group → per-dossier rows → daily sums)",
        value: rebuildRate,
        unit: "events/s",
        baseline: {
          name: "raw kafkajs consume of the same records (BusConsumer, no work)",
          value: rawRate,
          unit: "events/s",
        },
        ratio: rebuildRate / rawRate,
        notes: `${notes}; rebuild time includes group join, the lag polls, the index build, the daily sums and the table swap; at this rate a province-year (${PROVINCE_YEAR_EVENTS.toLocaleString("en")} events) rebuilds in about ${Math.round(PROVINCE_YEAR_EVENTS / rebuildRate / 60)} min (the raw consume: ${Math.round(PROVINCE_YEAR_EVENTS / rawRate / 60)} min)`,
      },
      {
        name: "statistics: GET /v1/stats/units p99, a year of a province",
        value: apiP99,
        unit: "ms",
        baseline: {
          name: "one naive full-scan GROUP BY unit over the dossier rows (p99)",
          value: naiveP99,
          unit: "ms",
        },
        ratio: apiP99 / naiveP99,
        notes: `${DOSSIERS} dossiers over 148 units in 2026 (BENCH_STATS_DOSSIERS), ${REQUESTS} sequential requests, bulk load + daily sums took ${Math.round(loadMs)} ms; p50 ${Math.round([...api].sort((a, b) => a - b)[Math.floor(api.length / 2)] ?? 0)} ms`,
      },
    ];
  } finally {
    await svc.stop();
    await env.cleanup();
  }
}

runIfMain(import.meta.url, run);
