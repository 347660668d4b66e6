import { baseConfig, port } from "@tthc/service-kit";
import { z } from "zod";

export const config = baseConfig.extend({
  PORT: port.default(3001),
  /** Public lookups allowed per client IP in one window. */
  LOOKUP_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  LOOKUP_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Channels a notification to the applicant is recorded on, when the applicant gave the contact
   * (email: an e-mail address; sms, zalo: a phone number). A channel without a sender below keeps
   * its notifications recorded and unsent.
   */
  NOTIFY_CHANNELS: z
    .string()
    .default("email,sms")
    .transform((s) =>
      s
        .split(",")
        .map((c) => c.trim())
        .filter((c) => c !== ""),
    )
    .pipe(z.array(z.enum(["email", "sms", "zalo"])).transform((a) => [...new Set(a)])),
  /** SMTP server for e-mail (`smtp://user:pass@host:587`, `smtps://...`); absent: e-mails are recorded, not sent. */
  NOTIFY_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** The sender address of e-mails. */
  NOTIFY_FROM: z.string().min(3).default("Bo phan mot cua <no-reply@localhost>"),
  /** SMS gateway endpoint (POST, the JSON in src/notify/gateway.ts); absent: SMS are recorded, not sent. */
  NOTIFY_SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Zalo gateway endpoint, same contract; absent: Zalo messages are recorded, not sent. */
  NOTIFY_ZALO_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token sent to the gateways, if they ask for one. */
  NOTIFY_GATEWAY_TOKEN: z.string().min(1).optional(),
  /** Attempts of one notification before it is marked failed. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** Wait before the second attempt; doubled after each failure, at most an hour. */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** How long the sender waits before looking again when nothing was due. */
  NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** Time limit of one send. */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});
export type Config = z.infer<typeof config>;
