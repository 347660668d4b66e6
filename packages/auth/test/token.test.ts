import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTokenVerifier, DEV_SIGNING_KEY, signToken } from "../src/index.js";

const key = "k".repeat(40);
const staff = { sub: "staff-0042", unit: "H44.100", roles: ["reception" as const] };
const NOW = Date.parse("2026-02-10T02:00:00Z");
const verifier = (signingKey = key) =>
  createTokenVerifier({ signingKey, maxLifetimeSeconds: 86_400, leewaySeconds: 60, now: () => NOW });

describe("bearer tokens name a staff member, a unit and roles", () => {
  it("verifies what it signed", async () => {
    expect(await verifier()(signToken(staff, key, 3600, NOW))).toEqual({ ok: true, staff });
  });

  it("refuses another key, a changed payload, an expired token and garbage", async () => {
    const verify = verifier();
    const token = signToken(staff, key, 3600, NOW);
    expect(await verifier("x".repeat(40))(token)).toEqual({ ok: false, error: "bad_signature" });
    const [h, , s] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ ...staff, roles: ["admin"], iss: "tthc", iat: NOW / 1000, exp: NOW / 1000 + 60 }),
    ).toString("base64url");
    expect(await verify(`${h}.${forged}.${s}`)).toEqual({ ok: false, error: "bad_signature" });
    const old = signToken(staff, key, 60, NOW - 3600_000);
    expect(await verify(old)).toEqual({ ok: false, error: "expired" });
    expect(await verify("not.a.jwt")).toEqual({ ok: false, error: "malformed" });
    expect(await verify("")).toEqual({ ok: false, error: "malformed" });
  });

  it("refuses to sign claims that are not a staff member", () => {
    expect(() => signToken({ ...staff, unit: "Việt Trì" }, key)).toThrow();
    expect(() => signToken({ ...staff, roles: [] }, key)).toThrow();
  });

  it("pnpm token prints one verifiable token on one line, and a clear error for a bad role", async () => {
    const cli = join(import.meta.dirname, "../src/cli.ts");
    const ok = spawnSync(
      process.execPath,
      ["--import", "tsx", cli, "--unit", "H44.07", "--role", "leader", "--sub", "an"],
      {
        encoding: "utf8",
        env: { ...process.env, AUTH_SIGNING_KEY: "" },
      },
    );
    expect(ok.status).toBe(0);
    const lines = ok.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const verify = createTokenVerifier({
      signingKey: DEV_SIGNING_KEY,
      maxLifetimeSeconds: 86_400,
      leewaySeconds: 60,
    });
    expect(await verify(lines[0]!)).toEqual({
      ok: true,
      staff: { sub: "an", unit: "H44.07", roles: ["leader"] },
    });
    const bad = spawnSync(process.execPath, ["--import", "tsx", cli, "--unit", "H44.07", "--role", "boss"], {
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown role "boss"/);
  });
});
