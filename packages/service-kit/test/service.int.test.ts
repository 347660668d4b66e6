import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  baseConfig,
  buildService,
  defineErrors,
  port,
  type RunningService,
  type ServiceDefinition,
  staffOf,
} from "../src/index.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const config = baseConfig.extend({ PORT: port.default(0) });
type Config = z.infer<typeof config>;
const errors = defineErrors({ STATE_FORBIDS: [409, "The dossier's state forbids it"] }, "DEMO");

const migrations = mkdtempSync(join(tmpdir(), "kit-migrations-"));
writeFileSync(
  join(migrations, "001_notes.sql"),
  "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);",
);

let releaseSlow: (() => void) | undefined;
const demo: ServiceDefinition<Config> = {
  name: "demo",
  description: "A service built only to test service-kit",
  configSchema: config,
  migrationsDir: migrations,
  async setup(ctx) {
    ctx.app.post(
      "/v1/notes",
      {
        config: { access: { who: "public" } },
        schema: {
          body: z.object({
            body: z.string().min(1),
            applicant: z.object({ phone: z.string().regex(/^0\d{9}$/) }),
          }),
        },
      },
      async (req, reply) => {
        const { rows } = await ctx.pool.query("INSERT INTO notes (body) VALUES ($1) RETURNING id", [
          req.body.body,
        ]);
        return reply.code(201).send(rows[0]);
      },
    );
    ctx.app.get(
      "/v1/leaders-only",
      { config: { access: { who: "staff", roles: ["leader"] } } },
      async (req) => ({
        unit: staffOf(req).unit,
      }),
    );
    ctx.app.post("/v1/forbidden", { config: { access: { who: "public" } } }, async () => {
      throw errors.STATE_FORBIDS({ allowed: ["resolve"] });
    });
    ctx.app.get("/v1/slow", { config: { access: { who: "public" } } }, async () => {
      await new Promise<void>((r) => {
        releaseSlow = r;
      });
      return { done: true };
    });
  },
};

let env: TestEnv;
let service: RunningService<Config>;
let url: string;

beforeAll(async () => {
  env = await createTestEnv("service-kit", { topics: false });
  service = await buildService(demo, { env: env.serviceEnv() });
  url = await service.start();
});
afterAll(async () => {
  await service?.stop();
  await env?.cleanup();
});

describe("every service starts the same way", () => {
  it("answers /healthz, and /readyz once Kafka, PostgreSQL and Redis all answer", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await http(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ready", checks: { postgres: "up", redis: "up", kafka: "up" } });
  });

  it("/readyz says 503 and names Kafka when the broker is not reachable", async () => {
    const broken = await buildService(demo, { env: env.serviceEnv({ KAFKA_BROKERS: "127.0.0.1:1" }) });
    try {
      const res = await broken.ctx.app.inject({ method: "GET", url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks).toEqual({ postgres: "up", redis: "up", kafka: "down" });
    } finally {
      await broken.stop();
    }
  });

  it("applied its migrations in its own schema", async () => {
    const { rows } = await env.pool.query("SELECT version, name FROM schema_migrations");
    expect(rows).toEqual([{ version: 1, name: "notes" }]);
  });

  it("exposes Prometheus metrics and the OpenAPI document of its routes", async () => {
    await fetch(`${url}/healthz`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/process_cpu_user_seconds_total\{service="demo"\}/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{.*route="\/healthz"/);
    const { body: doc } = await http(`${url}/docs/json`);
    expect(Object.keys(doc.paths)).toContain("/v1/notes");
    expect(doc.paths["/v1/notes"].post.requestBody.content["application/json"].schema.required).toEqual([
      "body",
      "applicant",
    ]);
  });

  it("answers bad input with 400, the field path and the reason, and stores nothing", async () => {
    const { status, body } = await http(`${url}/v1/notes`, {
      body: { body: "", applicant: { phone: "12" } },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("HTTP_VALIDATION_FAILED");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "body.applicant.phone",
      "body.body",
    ]);
    expect(body.error.details.every((d: { reason: string }) => d.reason.length > 0)).toBe(true);

    const malformed = await http(`${url}/v1/notes`, { raw: "{not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("HTTP_BAD_REQUEST");

    const huge = await http(`${url}/v1/notes`, {
      body: { body: "x".repeat(300 * 1024), applicant: { phone: "0912345678" } },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("HTTP_PAYLOAD_TOO_LARGE");

    const { rows } = await env.pool.query("SELECT count(*)::int AS n FROM notes");
    expect(rows[0].n).toBe(0);
  });

  it("maps a registered error to its status and body, and an unknown route to 404", async () => {
    const res = await http(`${url}/v1/forbidden`, { method: "POST" });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: "DEMO_STATE_FORBIDS",
        message: "The dossier's state forbids it",
        details: { allowed: ["resolve"] },
      },
    });
    const missing = await http(`${url}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("HTTP_NOT_FOUND");
    expect(missing.headers.get("x-request-id")).toBeTruthy();
  });

  it("staff endpoints need a valid bearer token (401) with a fitting role (403)", async () => {
    expect((await http(`${url}/v1/leaders-only`)).status).toBe(401);
    const bad = await http(`${url}/v1/leaders-only`, { headers: { authorization: "Bearer nonsense" } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ code: "HTTP_UNAUTHENTICATED", details: { reason: "malformed" } });
    const reception = await http(`${url}/v1/leaders-only`, { headers: tokenFor("H44.100", "reception") });
    expect(reception.status).toBe(403);
    const leader = await http(`${url}/v1/leaders-only`, { headers: tokenFor("H44.100", "leader") });
    expect(leader).toMatchObject({ status: 200, body: { unit: "H44.100" } });
  });

  it("shuts down gracefully: a request in flight finishes, new ones are refused", async () => {
    const own = await buildService(demo, { env: env.serviceEnv() });
    const ownUrl = await own.start();
    const inFlight = fetch(`${ownUrl}/v1/slow`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    const release = await waitUntil("the slow request to arrive", () => releaseSlow);
    const stopped = own.stop();
    await sleep(200);
    release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await stopped;
    await expect(fetch(`${ownUrl}/healthz`)).rejects.toThrow();
  });
});

describe("a service process", () => {
  const main = join(import.meta.dirname, "fixtures", "demo-main.ts");

  it("refuses to start with a wrong variable and names it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      cwd: ROOT,
      env: { ...process.env, ...env.serviceEnv({ PORT: "not-a-port" }), REDIS_URL: "" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/REDIS_URL/);
  });

  it("stops on SIGTERM with exit code 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      cwd: ROOT,
      env: { ...process.env, ...env.serviceEnv({ PORT: "0", LOG_LEVEL: "info" }) },
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const listening = await waitUntil(
      "the service to listen",
      () => /"url":"(http:[^"]+)"/.exec(out)?.[1],
      60_000,
    );
    expect((await fetch(`${listening}/healthz`)).status).toBe(200);
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(0);
    expect(out).toMatch(/"msg":"stopped"/);
  });
});
