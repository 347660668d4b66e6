import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";

/**
 * What an attempt records: the receiver's status, or the class of what went wrong. Never a
 * network-level message (addresses, ports, "connection refused" against "timed out" for an inside
 * address), which would let a caller map the network from the attempt list.
 */
export type AttemptOutcome =
  | { statusCode: number; error: null }
  | { statusCode: number; error: "redirect" | "http-status" }
  | { statusCode: null; error: "timeout" | "network" | "target-refused" };

/**
 * POSTs `body` to `url` at the checked `address` (the name stays in Host and TLS SNI), with no
 * redirect followed and a time limit on the whole exchange.
 */
export function postTo(
  url: URL,
  address: string,
  port: number,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(o);
    };
    const req = request(
      {
        host: address,
        port,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          ...headers,
          host: url.host,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
        },
        ...(url.protocol === "https:" && !isIP(hostname) ? { servername: hostname } : {}),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on("end", () =>
          done(
            status >= 200 && status < 300
              ? { statusCode: status, error: null }
              : { statusCode: status, error: status >= 300 && status < 400 ? "redirect" : "http-status" },
          ),
        );
        res.on("error", () => done({ statusCode: null, error: "network" }));
      },
    );
    const timer = setTimeout(() => done({ statusCode: null, error: "timeout" }), timeoutMs);
    req.on("error", () => done({ statusCode: null, error: "network" }));
    req.end(body);
  });
}
