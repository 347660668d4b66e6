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
