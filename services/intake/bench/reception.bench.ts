import { buildService } from "@tthc/service-kit";
import { type BenchResult, createTestEnv, runIfMain, tokenFor } from "@tthc/testkit";
import Fastify from "fastify";
import { service } from "../src/service.js";
import { measureCost } from "./cost.js";
import { load } from "./load.js";

/**
 * Receptions per second and latency of `POST /v1/dossiers` (validation, catalogue, calendar, the
 * code counter, the dossier row and the outbox event in one PostgreSQL transaction), beside a
 * fastify hello-world measured with the same load generator in the same run. Also the statements
 * (round trips to PostgreSQL) per reception, and the process's CPU time per reception beside the
 * CPU time per hello-world request (the load generator's own share is in both).
 * INTAKE_BENCH_REQUESTS (default 3000) and INTAKE_BENCH_CONNECTIONS (default 32) scale it.
 */
const UNITS = ["H44.101", "H44.102", "H44.103", "H44.104", "H44.105", "H44.106", "H44.107", "H44.109"];

export default async function run(): Promise<BenchResult[]> {
  const requests = Number(process.env.INTAKE_BENCH_REQUESTS ?? 3000);
  const connections = Number(process.env.INTAKE_BENCH_CONNECTIONS ?? 32);
  const maxSeconds = 60;
  const env = await createTestEnv("intake-bench");
  const intake = await buildService(service, {
    env: env.serviceEnv({ LOG_LEVEL: "silent", DATABASE_POOL_MAX: "20" }),
  });
  const cost = measureCost(intake.ctx.pool, intake.ctx.app.server);
  const hello = Fastify({ logger: false });
  hello.get("/", async () => ({ hello: "world" }));
  try {
    const intakeUrl = await intake.start();
    const helloUrl = await hello.listen({ host: "127.0.0.1", port: 0 });
    const tokens = UNITS.map((u) => tokenFor(u, "reception").authorization);
    // The unit rotates, so the codes spread over eight daily counters, each request with its unit's token.
    const receive = (warm: boolean, count: number) =>
      load({
        url: `${intakeUrl}/v1/dossiers`,
        method: "POST",
        connections,
        requests: count,
        maxSeconds,
        expectStatus: 201,
        headers: (i) => ({ authorization: tokens[i % UNITS.length] as string }),
        body: (i) => ({
          channel: "direct",
          procedureCode: "1.004873",
          receivingUnitCode: UNITS[i % UNITS.length],
          applicant: {
            name: "Nguyễn Văn An",
            identityNumber: String((warm ? 900_000_000 : 0) + i).padStart(12, "0"),
            address: "Phú Thọ",
          },
          documents: [{ name: "Tờ khai", copies: 1 }],
        }),
      });
    await receive(true, 200);
    await load({ url: helloUrl, method: "GET", connections, requests: 500, maxSeconds, expectStatus: 200 });

    const helloCpu = process.cpuUsage();
    const helloRun = await load({
      url: helloUrl,
      method: "GET",
      connections,
      requests: requests * 3,
      maxSeconds,
      expectStatus: 200,
    });
    const helloCpuMs = cpuMs(process.cpuUsage(helloCpu));
    cost.start();
    const run = await receive(false, requests);
    const { statements: roundTrips, processCpuMs: receptionCpuMs, postgresCpuMs } = cost.read();
    // The same backends answering a trivial statement: what one round trip costs PostgreSQL.
    cost.start();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < requests / 20; i++) await intake.ctx.pool.query("SELECT 1");
      }),
    );
    const trivialCpuMs = cost.read().postgresCpuMs;
    const trivialCount = Math.floor(requests / 20) * 20;
    const rows = await env.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossiers");
    const { completed, failed, perSecond, p50Ms: p50, p99Ms: p99 } = run;
    const notes =
      `${completed} receptions over ${connections} keep-alive connections (8 units, ${failed} not 201; ` +
      `${rows.rows[0]?.n} dossiers stored incl. 200 warm-up); hello-world ${helloRun.completed} requests, ` +
      `${helloRun.failed} failed. Server and load generator share one process on loopback. ` +
      `Scale with INTAKE_BENCH_REQUESTS / INTAKE_BENCH_CONNECTIONS.`;
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        name: "intake receptions per second (POST /v1/dossiers)",
        value: r2(perSecond),
        unit: "req/s",
        baseline: { name: "fastify hello-world", value: r2(helloRun.perSecond), unit: "req/s" },
        ratio: r2(perSecond / helloRun.perSecond),
        notes,
      },
      {
        name: "intake PostgreSQL round trips per reception",
        value: r2(roundTrips / run.completed),
        unit: "statements",
        notes:
          "Statements sent while handling the measured requests (BEGIN and COMMIT included), over the " +
          "receptions answered; the outbox relay and the consumers are not counted.",
      },
      {
        name: "intake process CPU per reception",
        value: r2(receptionCpuMs / run.completed),
        unit: "ms",
        baseline: {
          name: "same process, CPU per hello-world request",
          value: r2(helloCpuMs / helloRun.completed),
          unit: "ms",
        },
        ratio: r2(receptionCpuMs / run.completed / (helloCpuMs / helloRun.completed)),
        notes:
          "process.cpuUsage (user + system) over the measured run; the load generator and the outbox " +
          "relay run in the same process and are included.",
      },
      {
        name: "PostgreSQL CPU per reception (intake's backends)",
        value: r2(postgresCpuMs / run.completed),
        unit: "ms",
        baseline: {
          name: "same backends, CPU per SELECT 1 through the pool",
          value: r2(trivialCpuMs / trivialCount),
          unit: "ms",
        },
        ratio: r2(postgresCpuMs / run.completed / (trivialCpuMs / trivialCount)),
        notes:
          "User and system time of the server processes behind intake's pool (/proc, 10 ms ticks), " +
          "the outbox relay's included, over the measured run.",
      },
      {
        name: "intake reception latency p50",
        value: r2(p50),
        unit: "ms",
        baseline: { name: "fastify hello-world p50", value: r2(helloRun.p50Ms), unit: "ms" },
        ratio: r2(p50 / helloRun.p50Ms),
      },
      {
        name: "intake reception latency p99",
        value: r2(p99),
        unit: "ms",
        baseline: { name: "fastify hello-world p99", value: r2(helloRun.p99Ms), unit: "ms" },
        ratio: r2(p99 / helloRun.p99Ms),
      },
    ];
  } finally {
    await hello.close();
    await intake.stop();
    await env.cleanup();
  }
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

runIfMain(import.meta.url, run);
