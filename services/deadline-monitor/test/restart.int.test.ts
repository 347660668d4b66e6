import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { BusProducer } from "@tthc/bus";
import { formatIsoLocal } from "@tthc/calendar";
import { shiftedClock } from "@tthc/service-kit";
import { createTestEnv, type TestEnv, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { producerFor, publish, received } from "./fixtures.js";

const MAIN = resolve(import.meta.dirname, "../src/main.ts");
let env: TestEnv;
let producer: BusProducer;
const children: ChildProcess[] = [];

/**
 * One clock for the test and both processes of the monitor: Monday 16/11/2026 08:00 at the moment
 * the test starts, running sixty times as fast (a working hour in a minute), across the restart.
 */
const CLOCK = { CLOCK: "2026-11-16T08:00:00+07:00", CLOCK_ORIGIN: String(Date.now()), CLOCK_SPEED: "60" };
const clock = shiftedClock({
  startMs: Date.parse(CLOCK.CLOCK),
  originMs: Number(CLOCK.CLOCK_ORIGIN),
  speed: Number(CLOCK.CLOCK_SPEED),
});
/** The shared clock's instant, to the second. */
const simNow = () => formatIsoLocal(Math.floor(clock.nowMs() / 1000) * 1000);

function startMonitor(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, ...env.serviceEnv({ PORT: "0", ...CLOCK }) },
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
      "the monitor's tables",
      async () => (await count("SELECT count(*)::int AS n FROM dossiers").catch(() => -1)) === 0,
      60_000,
    );
    // Some due before the kill (fired by the first process), some after (by the second): six and
    // ninety working minutes, six seconds and a minute and a half of the machine's time.
    const at = simNow();
    const early = Array.from({ length: 10 }, () =>
      received(at, { statutory: { amount: 0.1, unit: "hours" } }),
    );
    const late = Array.from({ length: 10 }, () =>
      received(at, { statutory: { amount: 1.5, unit: "hours" } }),
    );
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
      60_000,
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
      180_000,
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
    // The escalation's first step of each, once; what waits is its next step, nothing else.
    await waitUntil(
      "20 first escalation steps",
      async () =>
        (await count(
          "SELECT count(*)::int AS n FROM alerts WHERE kind = 'escalation-unit' AND dossier_id = ANY($1::uuid[])",
          [ids],
        )) === 20,
      60_000,
    );
    const left = await env.pool.query<{ kind: string; n: number }>(
      "SELECT kind, count(*)::int AS n FROM timers WHERE dossier_id = ANY($1::uuid[]) GROUP BY kind",
      [ids],
    );
    expect(left.rows).toEqual([{ kind: "escalation-parent", n: 20 }]);
  }, 300_000);
});
