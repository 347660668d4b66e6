import { AsyncLocalStorage } from "node:async_hooks";
import type { Server } from "node:http";
import type { Pool, PoolClient } from "@tthc/service-kit";

/**
 * Counts the statements the service sends to PostgreSQL while it handles HTTP requests: each is one
 * round trip (node-postgres sends the next query only when the previous one has answered), whether
 * it goes through `pool.query` or a checked-out client, BEGIN and COMMIT included. The outbox relay
 * and the consumers run outside any request and are not counted. Install before the pool connects.
 */
export function countRequestRoundTrips(
  pool: Pool,
  server: Server,
): { roundTrips: () => number; reset: () => void } {
  const inRequest = new AsyncLocalStorage<true>();
  let count = 0;
  server.prependListener("request", () => inRequest.enterWith(true));
  pool.on("connect", (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      if (inRequest.getStore()) count += 1;
      return query(...args);
    };
  });
  return {
    roundTrips: () => count,
    reset: () => {
      count = 0;
    },
  };
}
