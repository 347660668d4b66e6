/**
 * The access hooks of every service: the token before the body, the unit before validation, and
 * tokens of the provincial identity provider's JWKS with its key rotation.
 */
import { parseRoleMap } from "@tthc/auth";
import { createTestEnv, http, type TestEnv, tokenFor } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jwksServer, providerKey } from "../../auth/test/jwks-server.js";
import {
  baseConfig,
  buildService,
  port,
  type RunningService,
  type ServiceDefinition,
  staffOf,
} from "../src/index.js";

const ISSUER = "https://sso.phutho.example/realms/tthc";
const config = baseConfig.extend({ PORT: port.default(0) });
type Config = z.infer<typeof config>;

/** Notes kept per unit; `units` looks the note's unit up, as a service's store would. */
const notes = new Map<string, string>([["n1", "H44.100"]]);
const demo: ServiceDefinition<Config> = {
  name: "access-demo",
  description: "A service built only to test the access hooks",
  configSchema: config,
  async setup(ctx) {
    ctx.app.post(
      "/v1/notes/:id",
      {
        config: {
          access: {
            who: "unit",
            roles: ["specialist"],
            parentLeader: true,
            units: (req) => {
              const id = (req.params as { id?: unknown }).id;
              if (typeof id !== "string") return undefined;
              const unit = notes.get(id);
              return unit ? [unit] : null;
            },
            outsider: 404,
          },
        },
        schema: { params: z.object({ id: z.string() }), body: z.object({ text: z.string().min(1) }) },
      },
      async (req) => ({ by: staffOf(req) }),
    );
  },
};

let env: TestEnv;
let jwks: Awaited<ReturnType<typeof jwksServer>>;
let svc: RunningService<Config>;
let url: string;

beforeAll(async () => {
  env = await createTestEnv("service-kit-access", { topics: false });
  jwks = await jwksServer();
  svc = await buildService(demo, {
    env: env.serviceEnv({
      AUTH_JWKS_URL: jwks.url,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_CLAIM_UNIT: "org.unitCode",
      AUTH_CLAIM_ROLES: "realm_access.roles",
      AUTH_CLAIM_SUB: "preferred_username",
      AUTH_ROLE_MAP: "chuyen-vien:specialist,lanh-dao:leader",
      AUTH_JWKS_COOLDOWN_MS: "0",
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: "43200",
    }),
  });
  url = await svc.start();
});

afterAll(async () => {
  await svc?.stop();
  await jwks?.close();
  await env?.cleanup();
});

const note = (headers: Record<string, string>, body: unknown = { text: "x" }, id = "n1") =>
  http(`${url}/v1/notes/${id}`, { headers, body });

describe("the order of the checks", () => {
  it("401 before a bad body, 403 for a role, 404 for another unit as for nothing, then 400, then the handler", async () => {
    expect((await note({}, { text: 42 })).status).toBe(401);
    expect((await note({}, "not json at all")).status).toBe(401);
    expect((await note(tokenFor("H44.100", "reception"), { text: 42 })).status).toBe(403);
    const other = await note(tokenFor("H44.108", "specialist"), { text: 42 });
    const none = await note(tokenFor("H44.108", "specialist"), { text: 42 }, "n2");
    expect([other.status, other.body]).toEqual([none.status, none.body]);
    expect(other.status).toBe(404);
    expect((await note(tokenFor("H44.100", "specialist"), { text: 42 })).status).toBe(400);
    expect((await note(tokenFor("H44.100", "specialist"))).status).toBe(200);
    expect((await note(tokenFor("H44", "leader"))).status).toBe(200);
  });

  it("refuses to start a route that declares no access rule", async () => {
    const bare: ServiceDefinition<Config> = {
      ...demo,
      async setup(ctx) {
        ctx.app.get("/v1/bare", async () => ({}));
      },
    };
    await expect(buildService(bare, { env: env.serviceEnv() })).rejects.toThrow(
      /GET \/v1\/bare declares no access rule/,
    );
  });
});

describe("tokens of the provincial identity provider", () => {
  const person = {
    preferred_username: "tran.thi.b",
    org: { unitCode: "H44.100" },
    realm_access: { roles: ["chuyen-vien"] },
  };

  it("accepts a JWKS-signed token, follows a rotation, and refuses the rotated-out key", async () => {
    const old = await providerKey("2026-11", "RS256", ISSUER);
    const next = await providerKey("2026-12", "ES256", ISSUER);
    jwks.publish([old]);
    const first = await note({ authorization: `Bearer ${await old.sign(person)}` });
    expect(first).toMatchObject({
      status: 200,
      body: { by: { sub: "tran.thi.b", unit: "H44.100", roles: ["specialist"] } },
    });

    jwks.publish([next]);
    expect((await note({ authorization: `Bearer ${await next.sign(person)}` })).status).toBe(200);
    const retired = await note({ authorization: `Bearer ${await old.sign(person)}` });
    expect(retired).toMatchObject({ status: 401, body: { error: { details: { reason: "unknown_key" } } } });
  });

  it("maps roles by configuration: an unmapped role is no role", async () => {
    jwks.publish([await providerKey("2026-12", "ES256", ISSUER)]);
    const key = await providerKey("2026-12b", "ES256", ISSUER);
    jwks.publish([key]);
    const noRole = { ...person, realm_access: { roles: ["offline_access"] } };
    expect(
      (await note({ authorization: `Bearer ${await key.sign(noRole)}` })).body.error.details.reason,
    ).toBe("invalid_claims");
    const leader = { ...person, org: { unitCode: "H44" }, realm_access: { roles: ["lanh-dao"] } };
    expect((await note({ authorization: `Bearer ${await key.sign(leader)}` })).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const long = await key.sign(person, { iat: now, exp: now + 100 * 365 * 86_400 });
    expect((await note({ authorization: `Bearer ${long}` })).body.error.details.reason).toBe(
      "lifetime_too_long",
    );
    const future = await key.sign(person, { iat: now + 3600, exp: now + 7200 });
    expect((await note({ authorization: `Bearer ${future}` })).body.error.details.reason).toBe(
      "issued_in_future",
    );
    expect(parseRoleMap("a:leader")).toEqual({ a: "leader" });
  });
});
