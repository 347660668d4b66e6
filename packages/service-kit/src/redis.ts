import { Redis } from "ioredis";

export interface RedisOptions {
  url: string;
  /** Every key of the service starts with it (e.g. `tthc:monitor:`); tests use one per file. */
  keyPrefix?: string;
}

export function createRedis(options: RedisOptions): Redis {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? "",
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 3_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors surface through failed commands and /readyz; this keeps them from crashing.
  redis.on("error", () => {});
  return redis;
}

export type { Redis } from "ioredis";
