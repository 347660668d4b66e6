import type { Redis } from "@tthc/service-kit";

/**
 * Fixed-window counter per client: `INCR` then `EXPIRE` on the window's key, so a key dies with its
 * window. Idempotent by construction (a counter that is lost only lets a few more requests through).
 */
export async function hitRateLimit(
  redis: Redis,
  scope: string,
  client: string,
  limit: number,
  windowSeconds: number,
  nowMs = Date.now(),
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const window = Math.floor(nowMs / 1000 / windowSeconds);
  const key = `rl:${scope}:${client}:${window}`;
  const results = await redis
    .multi()
    .incr(key)
    .expire(key, windowSeconds + 1)
    .exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  const retryAfterSeconds = (window + 1) * windowSeconds - Math.floor(nowMs / 1000);
  return { allowed: count <= limit, retryAfterSeconds };
}
