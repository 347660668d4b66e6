import { createHmac, randomBytes } from "node:crypto";

/**
 * Deliveries are signed in the Standard Webhooks scheme (docs/webhooks.md): `webhook-id` (the same
 * on every retry of one delivery), `webhook-timestamp` (seconds, this attempt's) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. Covering the id and
 * the timestamp lets a receiver refuse a replayed delivery.
 */

const PREFIX = "whsec_";

/** A new secret: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

/** A secret as the scheme writes it: `whsec_` then base64 of 24 to 64 bytes. */
export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** The HMAC key of a secret: the bytes after `whsec_`; a secret registered before the scheme is used as text. */
export function secretKey(secret: string): Buffer {
  return secret.startsWith(PREFIX)
    ? Buffer.from(secret.slice(PREFIX.length), "base64")
    : Buffer.from(secret, "utf8");
}

export function signatureOf(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest("base64");
  return `v1,${mac}`;
}

/** The three headers of one attempt. */
export function signedHeaders(
  secret: string,
  id: string,
  atMs: number,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(atMs / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureOf(secret, id, timestamp, body),
  };
}
