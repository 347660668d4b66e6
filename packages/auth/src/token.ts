import { createHmac } from "node:crypto";
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

/** The issuer of the local tokens (`pnpm token`, the tests, the simulator). */
export const LOCAL_ISSUER = "tthc";

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const HEADER = b64(JSON.stringify({ alg: "HS256", typ: "JWT" }));

/**
 * A local development token (HS256) for a staff member, valid for `ttlSeconds` from `now`. Only
 * signing lives here, for the command line and the tests; every service verifies tokens through
 * `createTokenVerifier` (the jose library).
 */
export function signToken(staff: Staff, key: string, ttlSeconds = 8 * 3600, now = Date.now()): string {
  const checked = Staff.parse(staff);
  const iat = Math.floor(now / 1000);
  const payload = b64(JSON.stringify({ ...checked, iss: LOCAL_ISSUER, iat, exp: iat + ttlSeconds }));
  const input = `${HEADER}.${payload}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}
