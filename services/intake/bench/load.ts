import http from "node:http";
import { performance } from "node:perf_hooks";

/**
 * A small closed-loop load generator (what autocannon does, in a few lines): `connections` keep-alive
 * sockets, each sending its next request as soon as the previous answer is read, until `requests`
 * are sent or `maxSeconds` have passed. Loopback only.
 */
export interface LoadOptions {
  url: string;
  method: "GET" | "POST";
  connections: number;
  requests: number;
  maxSeconds: number;
  /** The headers of request i. */
  headers?: (i: number) => Record<string, string>;
  /** The body of request i (JSON), or none. */
  body?: (i: number) => unknown;
  expectStatus: number;
}

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const target = new URL(o.url);
  if (target.hostname !== "127.0.0.1" && target.hostname !== "localhost") throw new Error("loopback only");
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + o.maxSeconds * 1000;

  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const payload = o.body ? JSON.stringify(o.body(i)) : undefined;
      const t0 = performance.now();
      const req = http.request(
        target,
        {
          method: o.method,
          agent,
          headers: {
            ...o.headers?.(i),
            ...(payload
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode !== o.expectStatus) failed += 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        failed += 1;
        resolve();
      });
      req.end(payload);
    });

  const worker = async () => {
    while (next < o.requests && performance.now() < deadline) await one(next++);
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    completed: latencies.length,
    failed,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}
