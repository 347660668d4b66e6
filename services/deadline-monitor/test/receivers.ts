import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  got: Received[];
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request and answers as `answer` says: a
 * status, or a promise the test resolves to a status when it lets the request finish.
 */
export async function receiver(
  answer: (r: Received, n: number) => number | Promise<number> | { status: number; location: string } = () =>
    204,
): Promise<Receiver> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", async () => {
      const r = { headers: req.headers, body, at: Date.now() };
      got.push(r);
      const a = await answer(r, got.length);
      if (typeof a === "number") res.writeHead(a).end();
      else res.writeHead(a.status, { location: a.location }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    got,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The three webhook-* headers of a request, as the documented verifier takes them. */
export function webhookHeaders(h: IncomingHttpHeaders): Record<string, string | undefined> {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return {
    "webhook-id": one(h["webhook-id"]),
    "webhook-timestamp": one(h["webhook-timestamp"]),
    "webhook-signature": one(h["webhook-signature"]),
  };
}
