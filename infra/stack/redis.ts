import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { run, say, waitFor } from "./proc.js";
import { settings } from "./settings.js";

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Uses the machine's Redis; starts it with the machine's own command when it is down. */
export async function ensureRedis(): Promise<void> {
  if (await answers(settings.redisUrl)) return;
  if (existsSync("/usr/bin/redis-server")) {
    say("Redis is down: starting it");
    await run("redis-server", [
      "--daemonize",
      "yes",
      "--bind",
      "127.0.0.1",
      "-::1",
      "--port",
      "6379",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      "/var/lib/redis",
      "--logfile",
      "/var/log/redis/ci.log",
    ]).catch(() => {});
  }
  await waitFor("Redis", () => answers(settings.redisUrl), 20_000, 250).catch(() => {
    throw new Error(
      `Redis does not answer at ${settings.redisUrl}. Start it (or set REDIS_URL) and try again.`,
    );
  });
}

/** Deletes the keys of the stack's services (`tthc:*`) from the stack's Redis database. */
export async function clearServiceKeys(): Promise<number> {
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", "tthc:*", "COUNT", 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
