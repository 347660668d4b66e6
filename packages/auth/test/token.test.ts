import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_SIGNING_KEY, signToken, verifyToken } from "../src/index.js";

const key = "k".repeat(40);
const staff = { sub: "staff-0042", unit: "H44.100", roles: ["reception" as const] };

describe("bearer tokens name a staff member, a unit and roles", () => {
  it("verifies what it signed", () => {
    expect(verifyToken(signToken(staff, key), key)).toEqual({ ok: true, staff });
  });

  it("refuses another key, a changed payload, an expired token and garbage", () => {
    const token = signToken(staff, key);
    expect(verifyToken(token, "x".repeat(40))).toEqual({ ok: false, error: "bad_signature" });
    const [h, , s] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ ...staff, roles: ["admin"], iss: "tthc", iat: 1, exp: 9e9 }),
    ).toString("base64url");
    expect(verifyToken(`${h}.${forged}.${s}`, key)).toEqual({ ok: false, error: "bad_signature" });
    const old = signToken(staff, key, 60, Date.now() - 3600_000);
    expect(verifyToken(old, key)).toEqual({ ok: false, error: "expired" });
    expect(verifyToken("not.a.jwt", key).ok).toBe(false);
    expect(verifyToken("", key).ok).toBe(false);
  });

  it("refuses to sign claims that are not a staff member", () => {
    expect(() => signToken({ ...staff, unit: "Việt Trì" }, key)).toThrow();
    expect(() => signToken({ ...staff, roles: [] }, key)).toThrow();
  });

  it("pnpm token prints one verifiable token on one line, and a clear error for a bad role", () => {
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
    expect(verifyToken(lines[0]!, DEV_SIGNING_KEY)).toEqual({
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
