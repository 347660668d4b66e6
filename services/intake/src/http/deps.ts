import type { Actor } from "@tthc/contracts";
import type { HttpApp, Logger, Pool, Redis } from "@tthc/service-kit";
import type { Config } from "../config.js";
import type { CatalogCache } from "../store/catalog-cache.js";
import type { accessRules } from "./access.js";

/** What the routes need from the service. */
export interface RouteDeps {
  app: HttpApp;
  pool: Pool;
  redis: Redis;
  cache: CatalogCache;
  config: Config;
  /** Intake's rows of docs/access-policy.md. */
  access: ReturnType<typeof accessRules>;
  logger: Logger;
  /** The service's clock (ctx.clock): every business instant of intake is read from it. */
  now: () => Date;
}

export function actorOf(staff: { sub: string; unit: string; roles: Actor["roles"] }): Actor {
  return { staffId: staff.sub, unitCode: staff.unit, ...(staff.roles ? { roles: staff.roles } : {}) };
}
