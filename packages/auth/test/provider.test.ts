import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, parseRoleMap, staffFromClaims, type TokenVerifier } from "../src/index.js";
import { jwksServer, providerKey } from "./jwks-server.js";

const ISSUER = "https://sso.phutho.example/realms/tthc";
const claims = {
  unit: "org.unitCode",
  roles: "realm_access.roles",
  sub: "preferred_username",
  name: "name",
  roleMap: parseRoleMap("mot-cua:reception,chuyen-vien:specialist,lanh-dao:leader"),
};
const person = {
  preferred_username: "nguyen.van.a",
  name: "Nguyễn Văn A",
  org: { unitCode: "H44.100" },
  realm_access: { roles: ["lanh-dao", "offline_access"] },
};

let jwks: Awaited<ReturnType<typeof jwksServer>>;
let verify: TokenVerifier;

beforeAll(async () => {
  jwks = await jwksServer();
  verify = createTokenVerifier({
    signingKey: "k".repeat(40),
    maxLifetimeSeconds: 12 * 3600,
    leewaySeconds: 60,
    provider: { jwksUrl: jwks.url, issuer: ISSUER, algorithms: ["RS256", "ES256"], claims, cooldownMs: 0 },
  });
});

afterAll(() => jwks?.close());

describe("tokens of the provincial identity provider (JWKS)", () => {
  it("maps the provider's claims to a staff member by configuration, dropping unknown roles", () => {
    expect(staffFromClaims(person, claims)).toEqual({
      sub: "nguyen.van.a",
      name: "Nguyễn Văn A",
      unit: "H44.100",
      roles: ["leader"],
    });
    expect(staffFromClaims({ ...person, realm_access: { roles: ["offline_access"] } }, claims)).toBeNull();
    expect(staffFromClaims({ ...person, org: { unitCode: "Việt Trì" } }, claims)).toBeNull();
    expect(() => parseRoleMap("lanh-dao:boss")).toThrow(/lanh-dao:boss/);
  });

  it("accepts RS256 and ES256 tokens of published keys, and follows a rotation", async () => {
    const first = await providerKey("2026-01", "RS256", ISSUER);
    const second = await providerKey("2026-02", "ES256", ISSUER);
    jwks.publish([first]);
    expect(await verify(await first.sign(person))).toMatchObject({ ok: true, staff: { unit: "H44.100" } });

    // Rotation: the provider publishes the new key and withdraws the old one.
    jwks.publish([second]);
    expect(await verify(await second.sign(person))).toMatchObject({ ok: true, staff: { roles: ["leader"] } });
    expect(await verify(await first.sign(person))).toEqual({ ok: false, error: "unknown_key" });
  });

  it("refuses another issuer, a foreign key with a known kid, and too long a lifetime", async () => {
    const key = await providerKey("2026-03", "ES256", ISSUER);
    jwks.publish([key]);
    const other = await providerKey("2026-03", "ES256", "https://elsewhere.example");
    expect(await verify(await other.sign(person))).toMatchObject({ ok: false });
    const impostor = await providerKey("2026-03", "ES256", ISSUER);
    expect(await verify(await impostor.sign(person))).toEqual({ ok: false, error: "bad_signature" });
    const now = Math.floor(Date.now() / 1000);
    expect(await verify(await key.sign(person, { iat: now, exp: now + 100 * 365 * 86_400 }))).toEqual({
      ok: false,
      error: "lifetime_too_long",
    });
  });
});
