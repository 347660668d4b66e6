import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTokenVerifier, signToken } from "../src/index.js";

const key = "k".repeat(40);
const staff = { sub: "staff-0042", unit: "H44.100", roles: ["leader" as const] };
const NOW = Date.parse("2026-02-10T02:00:00Z");
const S = NOW / 1000;
const verify = createTokenVerifier({
  signingKey: key,
  maxLifetimeSeconds: 12 * 3600,
  leewaySeconds: 60,
  now: () => NOW,
});

/** A local token with the claims given, signed with the right key (what a leaked key could make). */
function withClaims(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part({ ...staff, iss: "tthc", ...claims })}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

describe("a token lives a bounded time, from a past instant", () => {
  it("accepts a token within the configured lifetime, and the clock leeway either side", async () => {
    expect((await verify(signToken(staff, key, 12 * 3600, NOW))).ok).toBe(true);
    expect((await verify(withClaims({ iat: S + 30, exp: S + 3600 }))).ok).toBe(true);
    expect((await verify(withClaims({ iat: S - 3600, exp: S - 30 }))).ok).toBe(true);
  });

  it("refuses a token a hundred years long", async () => {
    expect(await verify(signToken(staff, key, 100 * 365 * 86_400, NOW))).toEqual({
      ok: false,
      error: "lifetime_too_long",
    });
    expect(await verify(signToken(staff, key, 12 * 3600 + 1, NOW))).toEqual({
      ok: false,
      error: "lifetime_too_long",
    });
  });

  it("refuses a token issued in the future beyond the leeway", async () => {
    expect(await verify(withClaims({ iat: S + 3600, exp: S + 7200 }))).toEqual({
      ok: false,
      error: "issued_in_future",
    });
  });

  it("honours nbf", async () => {
    expect(await verify(withClaims({ iat: S, nbf: S + 600, exp: S + 3600 }))).toEqual({
      ok: false,
      error: "not_yet_valid",
    });
    expect((await verify(withClaims({ iat: S, nbf: S - 10, exp: S + 3600 }))).ok).toBe(true);
  });

  it("refuses a token without iat or exp, or of another issuer", async () => {
    expect(await verify(withClaims({ exp: S + 3600 }))).toMatchObject({ ok: false });
    expect(await verify(withClaims({ iat: S }))).toMatchObject({ ok: false });
    expect(await verify(withClaims({ iat: S, exp: S + 60, iss: "elsewhere" }))).toEqual({
      ok: false,
      error: "invalid_claims",
    });
  });

  it("refuses alg none and an algorithm no provider is configured for", async () => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const body = part({ ...staff, iss: "tthc", iat: S, exp: S + 60 });
    expect(await verify(`${part({ alg: "none" })}.${body}.`)).toEqual({
      ok: false,
      error: "unsupported_algorithm",
    });
    expect(await verify(`${part({ alg: "RS256" })}.${body}.c2ln`)).toEqual({
      ok: false,
      error: "unsupported_algorithm",
    });
  });
});
