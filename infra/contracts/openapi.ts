/**
 * Each service's OpenAPI document as its `/docs/json` serves it, made without any server: the
 * service is built from its definition with an environment whose servers are never dialled (its
 * PostgreSQL pool, Redis and Kafka clients connect on first use, and nothing here uses them), and
 * its app is asked for the document once its routes are registered.
 *
 *   pnpm openapi [folder]       writes <folder>/<service>.openapi.json (default .run/contracts)
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type BaseConfig, buildService, type ServiceDefinition } from "@tthc/service-kit";
import { service as monitor } from "../../services/deadline-monitor/src/service.js";
import { service as intake } from "../../services/intake/src/service.js";
import { service as processing } from "../../services/processing/src/service.js";
import { service as statistics } from "../../services/statistics/src/service.js";

export const services: readonly ServiceDefinition<BaseConfig>[] = [
  intake,
  processing,
  monitor,
  statistics,
] as unknown as ServiceDefinition<BaseConfig>[];

/** Addresses that take no connection: the document needs the routes, not the servers. */
const INERT_ENV = {
  KAFKA_BROKERS: "127.0.0.1:9",
  DATABASE_URL: "postgres://openapi@127.0.0.1:9/openapi",
  DATABASE_SCHEMA: "openapi",
  REDIS_URL: "redis://127.0.0.1:9/0",
  LOG_LEVEL: "silent",
  NODE_ENV: "development",
};

/** The OpenAPI document of one service, as `GET /docs/json` answers it. */
export async function openApiDocument(def: ServiceDefinition<BaseConfig>): Promise<Record<string, unknown>> {
  const built = await buildService(def, { env: INERT_ENV });
  const { app, pool, redis } = built.ctx;
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await pool.end();
    redis.disconnect();
  }
}

/** Writes `<service>.openapi.json` for every service into `dir`; returns the paths written. */
export async function writeOpenApiDocuments(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const def of services) {
    const path = join(dir, `${def.name}.openapi.json`);
    await writeFile(path, `${JSON.stringify(await openApiDocument(def), null, 2)}\n`, "utf8");
    written.push(path);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = resolve(process.argv[2] ?? ".run/contracts");
  for (const path of await writeOpenApiDocuments(dir)) process.stdout.write(`${path}\n`);
}
