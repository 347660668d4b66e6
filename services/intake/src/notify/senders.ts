import nodemailer from "nodemailer";
import type { NotifyChannel } from "../domain/notifications.js";

/**
 * How a notification leaves the service. A sender delivers one message or throws a `SendError`;
 * the dispatcher retries a transient failure with backoff and gives up at once on a permanent one.
 * Each message carries the notification's id (the e-mail's Message-ID, the gateway's
 * Idempotency-Key), so that a message sent again after a crash between sending and recording can be
 * recognised by the receiving side.
 */

export interface OutgoingMessage {
  /** The notification's id: stable across attempts. */
  id: string;
  channel: NotifyChannel;
  /** `received`, `supplement-requested`, `extended`, `result-ready`. */
  kind: string;
  /** An e-mail address, or a phone number (`0` and 9 digits) for SMS and Zalo. */
  to: string;
  subject: string;
  body: string;
}

export interface NotificationSender {
  readonly channel: NotifyChannel;
  /** Resolves once the next hop accepted the message; throws a `SendError` otherwise. */
  send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

export class SendError extends Error {
  constructor(
    message: string,
    /** True when trying again cannot help (a refused address, a malformed request). */
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "SendError";
  }
}

/** An SMTP server's answer often quotes the recipient: the error is logged, the address is not. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'@,;:]+@[^\s<>"'@,;:]+/g, "<address>");
}

/** E-mail over SMTP (nodemailer): `smtp://[user:pass@]host[:port]` (STARTTLS when offered) or `smtps://`. */
export function smtpSender(o: { url: string; from: string; timeoutMs: number }): NotificationSender {
  const url = new URL(o.url);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(o.from)?.[1] ?? "localhost";
  return {
    channel: "email",
    async send(m) {
      try {
        await transport.sendMail({
          from: o.from,
          to: m.to,
          subject: m.subject,
          text: m.body,
          messageId: `<notification-${m.id}@${domain}>`,
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        // 5xx: the server refused the message or the address for good; 4xx and network: later.
        throw new SendError(withoutAddresses((err as Error).message), code !== undefined && code >= 500);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * The SMS and Zalo gateway contract: the service POSTs one JSON message per notification,
 *
 * ```json
 * { "id": "42", "channel": "sms", "kind": "received", "to": "0912345678",
 *   "subject": "Hồ sơ ... đã được tiếp nhận", "text": "Hồ sơ ... Hẹn trả: ..." }
 * ```
 *
 * with `Content-Type: application/json`, `Idempotency-Key: notification-<id>` (the same on every
 * attempt) and, if configured, `Authorization: Bearer <token>`. Any 2xx means accepted. 408, 429 and
 * 5xx, a timeout or a network error are tried again later; any other status is a refusal for good.
 * The gateway (an SMS brandname provider, Zalo ZNS) turns it into its own request.
 */
export interface GatewayMessage {
  id: string;
  channel: "sms" | "zalo";
  kind: string;
  to: string;
  subject: string;
  text: string;
}

export function gatewaySender(o: {
  channel: "sms" | "zalo";
  url: string;
  token?: string | undefined;
  timeoutMs: number;
}): NotificationSender {
  return {
    channel: o.channel,
    async send(m) {
      const body: GatewayMessage = {
        id: m.id,
        channel: o.channel,
        kind: m.kind,
        to: m.to,
        subject: m.subject,
        text: m.body,
      };
      let res: Response;
      try {
        res = await fetch(o.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "idempotency-key": `notification-${m.id}`,
            ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          },
          body: JSON.stringify(body),
          redirect: "manual",
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        throw new SendError(`gateway unreachable: ${(err as Error).message}`, false);
      }
      if (res.status >= 200 && res.status < 300) return;
      const transient = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new SendError(`gateway answered ${res.status}`, !transient);
    },
    async close() {},
  };
}
