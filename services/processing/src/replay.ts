import { setTimeout as sleep } from "node:timers/promises";
import { BusAdmin } from "@tthc/bus";
import { buildService, type Clock } from "@tthc/service-kit";
import { service } from "./service.js";

export interface ReplayOptions {
  /** The environment of the service (brokers, database, topic prefix...). */
  env: Record<string, string | undefined>;
  /** A fresh, empty schema to rebuild into. */
  schema: string;
  timeoutMs?: number;
  /** The service clock (default: as the environment's CLOCK says); a replay reads no business instant. */
  clock?: Clock;
}

/**
 * Rebuilds processing's state into `schema` from `dossier.events` (and `sla.events`) from the
 * beginning: the same service, the same fold, a fresh consumer group. Resolves once the group has
 * caught up with the end of both topics.
 */
export async function replay(options: ReplayOptions): Promise<{ schema: string; dossiers: number }> {
  const group = `processing-replay-${options.schema}`;
  const running = await buildService(service, {
    env: { ...options.env, DATABASE_SCHEMA: options.schema, PROCESSING_EVENTS_CONSUMER: group, PORT: "0" },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await running.start();
  const { bus, pool } = running.ctx;
  const admin = new BusAdmin(bus);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  try {
    for (;;) {
      const lags = await Promise.all(
        ["dossier.events", "sla.events"].map((t) => admin.groupLag(bus.topic(group), bus.topic(t))),
      );
      if (lags.flat().every((p) => p.lag === 0)) break;
      if (Date.now() > deadline) throw new Error(`replay into ${options.schema} did not catch up in time`);
      await sleep(250);
    }
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossiers");
    return { schema: options.schema, dossiers: rows[0]?.n ?? 0 };
  } finally {
    await running.stop();
  }
}
