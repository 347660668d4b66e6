import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { BusProducer } from "@tthc/bus";
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { producerFor, publish, publishTestCatalog, received } from "./fixtures.js";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
let env: TestEnv;
let producer: BusProducer;
const children: ChildProcess[] = [];

function startMonitor(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, ...env.serviceEnv({ PORT: "0" }) },
    stdio: ["ignore", "ignore", "ignore"],
  });
  children.push(child);
  return child;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await env.pool.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  env = await createTestEnv("monitor-restart");
  producer = producerFor(env);
  await publishTestCatalog(producer);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await producer?.disconnect();
  await env?.cleanup();
});

describe("a monitor killed with SIGKILL and started again", () => {
  it("loses no alert and sends none twice", async () => {
    const first = startMonitor();
    await waitUntil(
      "catalogue stored",
      async () => (await count("SELECT count(*)::int AS n FROM catalog_records").catch(() => 0)) === 2,
      60_000,
    );
    // Some due before the kill (fired by the first process), some after (by the second).
    const early = Array.from({ length: 10 }, () => received(3_000));
    const late = Array.from({ length: 10 }, () => received(12_000));
    const ids = [...early, ...late].map((e) => e.dossierId);
    await publish(producer, [...early, ...late]);
    await waitUntil(
      "all 20 clocks",
      async () =>
        (await count("SELECT count(*)::int AS n FROM dossiers WHERE id = ANY($1::uuid[])", [ids])) === 20,
      30_000,
    );
    await waitUntil(
      "the first overdue alerts",
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM alerts WHERE kind = 'overdue' AND dossier_id = ANY($1::uuid[])",
          [ids],
        )) >= 10,
      30_000,
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(first.signalCode).toBe("SIGKILL");

    startMonitor();
    await waitUntil(
      "20 overdue alerts",
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM alerts WHERE kind = 'overdue' AND dossier_id = ANY($1::uuid[])",
          [ids],
        )) === 20,
      90_000,
    );
    await sleep(1_500);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM alerts WHERE kind = 'overdue' AND dossier_id = ANY($1::uuid[])",
        [ids],
      ),
    ).toBe(20);
    const { rows } = await env.pool.query<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT key)::int AS d FROM bus_outbox
       WHERE value::jsonb->>'type' = 'sla.overdue' AND key = ANY($1::text[])`,
      [ids],
    );
    expect(rows[0]).toEqual({ n: 20, d: 20 });
    expect(
      await count("SELECT count(*)::int AS n FROM timers WHERE dossier_id = ANY($1::uuid[])", [ids]),
    ).toBe(0);
  });
});
