import { buildService, type Clock, type RunningService } from "@tthc/service-kit";
import type { TestEnv } from "@tthc/testkit";
import { service as monitor } from "../../services/deadline-monitor/src/service.js";
import { service as intake } from "../../services/intake/src/service.js";
import { service as processing } from "../../services/processing/src/service.js";
import { service as statistics } from "../../services/statistics/src/service.js";

export const SERVICE_NAMES = ["intake", "processing", "monitor", "statistics"] as const;
export type ServiceKey = (typeof SERVICE_NAMES)[number];

export interface FourServices {
  urls: Record<ServiceKey, string>;
  /** Each service's own schema in the test's database. */
  schemas: Record<ServiceKey, string>;
  /** Stops them in reverse order of start. */
  stop(): Promise<void>;
}

/**
 * The four services side by side in this process, on the test file's topics and Redis prefix,
 * each with a schema of its own, as they run in production. Intake seeds the catalogue at start.
 * With `clock` (a ManualClock, say) all four read the one clock the test moves.
 */
export async function startFourServices(
  env: TestEnv,
  options: { clock?: Clock } = {},
): Promise<FourServices> {
  const defs = { intake, processing, monitor, statistics } as const;
  const urls = {} as Record<ServiceKey, string>;
  const schemas = {} as Record<ServiceKey, string>;
  const running: RunningService<never>[] = [];
  for (const name of SERVICE_NAMES) {
    schemas[name] = await env.createSchema(name);
    const svc = (await buildService(defs[name] as never, {
      env: env.serviceEnv({ DATABASE_SCHEMA: schemas[name], REDIS_KEY_PREFIX: `${env.keyPrefix}${name}:` }),
      ...(options.clock ? { clock: options.clock } : {}),
    })) as RunningService<never>;
    running.push(svc);
    urls[name] = await svc.start();
  }
  return {
    urls,
    schemas,
    async stop() {
      for (const svc of running.reverse()) await svc.stop();
    },
  };
}
