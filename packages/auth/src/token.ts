import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a staff member may do: receive dossiers, handle them, decide and sign, administer the catalogue. */
export const Role = z.enum(["reception", "specialist", "leader", "admin"]);
export type Role = z.infer<typeof Role>;

/** The staff member a bearer token names: who, in which unit, with which roles. */
export const Staff = z.object({
  sub: z.string().min(1).max(100),
  unit: z.string().regex(/^[A-Z]\d{2}(\.[0-9A-Z]{1,6})*$/, "a unit code like H44.100"),
  roles: z.array(Role).min(1),
  name: z.string().max(200).optional(),
});
export type Staff = z.infer<typeof Staff>;

const Claims = Staff.extend({ iat: z.number().int(), exp: z.number().int(), iss: z.literal("tthc") });

export type TokenError = "malformed" | "bad_signature" | "expired" | "invalid_claims";

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const HEADER = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));

function sign(input: string, key: string): string {
  return createHmac("sha256", key).update(input).digest("base64url");
}

/** A signed JWT (HS256) for a staff member, valid for `ttlSeconds`. */
export function signToken(staff: Staff, key: string, ttlSeconds = 8 * 3600, now = Date.now()): string {
  const checked = Staff.parse(staff);
  const iat = Math.floor(now / 1000);
  const payload = b64(JSON.stringify({ ...checked, iss: "tthc", iat, exp: iat + ttlSeconds }));
  const input = `${HEADER}.${payload}`;
  return `${input}.${sign(input, key)}`;
}

/** Verifies signature, expiry and claims; never throws. */
export function verifyToken(
  token: string,
  key: string,
  now = Date.now(),
): { ok: true; staff: Staff } | { ok: false; error: TokenError } {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, error: "malformed" };
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, key));
  const given = Buffer.from(parts[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, error: "bad_signature" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return { ok: false, error: "malformed" };
  }
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) return { ok: false, error: "invalid_claims" };
  if (parsed.data.exp * 1000 <= now) return { ok: false, error: "expired" };
  const { iat: _i, exp: _e, iss: _s, ...staff } = parsed.data;
  return { ok: true, staff };
}
