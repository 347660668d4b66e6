/**
 * The harness's webhook receiver: it records every delivery the sandbox's monitor makes, checks its
 * signature with the verifier docs/webhooks.md prints, and fails the first attempt of every third
 * alert, so that retries (which must keep their delivery id) happen in every scenario.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { documentedVerifier } from "../../services/deadline-monitor/test/documented-verifier.js";

export interface Delivery {
  deliveryId: string;
  /** The event id of the `sla.*` alert it carries. */
  eventId: string;
  kind: string;
  signed: boolean;
  status: number;
}

export class AlertReceiver {
  readonly deliveries: Delivery[] = [];
  private server: Server | undefined;
  private secret: string | undefined;
  private readonly failedOnce = new Set<string>();
  private alerts = 0;
  port = 0;

  async start(): Promise<void> {
    const createVerifier = await documentedVerifier();
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
        const headers = {
          "webhook-id": one(req.headers["webhook-id"]),
          "webhook-timestamp": one(req.headers["webhook-timestamp"]),
          "webhook-signature": one(req.headers["webhook-signature"]),
        };
        // A fresh verifier per request: a retry legitimately repeats an id; this checks the signature.
        const signed = this.secret ? createVerifier(this.secret)(headers, body).ok : false;
        let eventId = "";
        let kind = "";
        try {
          const parsed = JSON.parse(body) as { kind: string; alert: { id: string } };
          eventId = parsed.alert.id;
          kind = parsed.kind;
        } catch {}
        let status = 204;
        if (!this.failedOnce.has(eventId) && this.alerts++ % 3 === 0) {
          this.failedOnce.add(eventId);
          status = 500;
        }
        this.failedOnce.add(eventId);
        this.deliveries.push({ deliveryId: headers["webhook-id"] ?? "", eventId, kind, signed, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/alerts`;
  }

  /** The secret the webhook was registered with, known once registered. */
  useSecret(secret: string): void {
    this.secret = secret;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
