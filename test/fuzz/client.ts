import { Agent, request } from "node:http";
import type { FuzzRequest } from "./requests.js";

export interface FuzzResponse {
  status: number;
  contentType: string;
  /** Parsed JSON when the body is JSON, else the text; undefined for an event stream. */
  body: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends `r` as it is, bytes and all (fetch would refuse a GET body or fix a bad content type). An
 * event stream is closed as soon as its status is known.
 */
export function send(base: string, r: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let done = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.target,
        agent,
        headers: { ...r.headers, ...(r.body ? { "content-length": String(r.body.length) } : {}) },
      },
      (res) => {
        const contentType = res.headers["content-type"] ?? "";
        const status = res.statusCode ?? 0;
        if (contentType.startsWith("text/event-stream")) {
          done = true;
          res.destroy();
          resolve({ status, contentType, body: undefined });
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (err) => done || reject(err));
        res.on("end", () => {
          done = true;
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          if (contentType.includes("json")) {
            try {
              body = JSON.parse(text);
            } catch {
              // keep the text: the shape check reports it
            }
          }
          resolve({ status, contentType, body });
        });
      },
    );
    req.on("error", (err) => done || reject(err));
    req.end(r.body);
  });
}

export function closeClient(): void {
  agent.destroy();
}
