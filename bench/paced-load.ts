import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * An open-loop load: request i is due at start + i / rate, whether or not earlier answers came
 * back, as real arrivals are. Latency counts from the due instant, so time spent queued behind a
 * slow server is in it (no coordinated omission). At most `sockets` requests are on the wire at
 * once; the rest wait in the agent's queue, and that wait is latency too.
 */
export interface PacedLoadOptions {
  url: string;
  ratePerSecond: number;
  seconds: number;
  sockets: number;
  headers: (i: number) => Record<string, string>;
  body: (i: number) => unknown;
  expectStatus: number;
  /** Called with each expected answer's body and the instant (performance.now()) it was read. */
  onAnswer?: (i: number, body: string, at: number) => void;
}

export interface PacedLoadResult {
  sent: number;
  completed: number;
  failed: number;
  /** From the first request's due instant to the last answer. */
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function pacedLoad(o: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(o.url);
  if (target.hostname !== "127.0.0.1" && target.hostname !== "localhost") throw new Error("loopback only");
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.sockets });
  const latencies: number[] = [];
  let answered = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(o.ratePerSecond * o.seconds);

  const one = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const payload = JSON.stringify(o.body(i));
      const req = http.request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            ...o.headers(i),
            "content-type": "application/json",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const at = performance.now();
            latencies.push(at - due);
            if (res.statusCode === o.expectStatus) {
              answered += 1;
              o.onAnswer?.(i, Buffer.concat(chunks).toString("utf8"), at);
            }
            resolve();
          });
        },
      );
      req.on("error", () => resolve());
      req.end(payload);
    });

  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / o.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(one(i, due));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    sent: total,
    completed: answered,
    failed: total - answered,
    seconds,
    perSecond: answered / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? 0,
  };
}
