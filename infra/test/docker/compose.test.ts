import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEV_SIGNING_KEY } from "@tthc/auth";
import { ConfigError, loadConfig, type ServiceDefinition } from "@tthc/service-kit";
import { describe, expect, it } from "vitest";
import { passwordVariable, services as stackServices } from "../../stack/settings.js";
import { ROOT } from "../prometheus/promql.js";
import { containerEnv, interpolate, readCompose, readDockerfile, readEnvFile } from "./compose-file.js";

/**
 * `docker compose up` without a Docker engine: docker-compose.yml resolved as compose resolves it
 * (anchors, merge keys, `${...}` from `.env`, here `.env.example`), each service's environment
 * (the image's ENV, then compose's) fed to that service's own configuration loader.
 */
const example = readEnvFile(join(ROOT, ".env.example"));
const compose = readCompose(ROOT, example);
const image = readDockerfile(join(ROOT, "infra", "docker", "service.Dockerfile"));

const apps = Object.entries(compose).filter(([, s]) => s.environment?.SERVICE !== undefined);
const loaders = Object.fromEntries(
  await Promise.all(
    stackServices.map(async (spec) => {
      const mod = (await import(`${ROOT}/services/${spec.name}/src/service.ts`)) as {
        service: ServiceDefinition<never>;
      };
      return [spec.name, mod.service] as const;
    }),
  ),
);

describe("docker-compose.yml with the variables of .env.example", () => {
  it("runs the four services from the one image", () => {
    expect(apps.map(([name]) => name).sort()).toEqual(stackServices.map((s) => s.name).sort());
    for (const [name, s] of apps) {
      expect(s.build?.dockerfile, name).toBe("infra/docker/service.Dockerfile");
      expect(s.environment?.SERVICE, name).toBe(name);
    }
  });

  it("starts every service in production (the image's NODE_ENV), so the loaders' production rules apply", () => {
    expect(image.env.NODE_ENV).toBe("production");
    for (const [name, s] of apps) expect(containerEnv(image.env, s).NODE_ENV, name).toBe("production");
  });

  it.each(stackServices.map((s) => s.name))(
    "gives %s an environment its configuration loader accepts in production",
    (name) => {
      const env = containerEnv(image.env, compose[name]!);
      const service = loaders[name]!;
      const config = loadConfig(service.configSchema, service.name, env) as Record<string, unknown>;
      expect(config.NODE_ENV).toBe("production");
      expect(config.AUTH_SIGNING_KEY).not.toBe(DEV_SIGNING_KEY);
      expect(config.HOST).toBe("0.0.0.0");
      expect(config.KAFKA_BROKERS).toEqual(["kafka:9092"]);
    },
  );

  it.each(stackServices.map((s) => s.name))(
    "%s would exit at once without AUTH_SIGNING_KEY: the loader refuses the development key in production",
    (name) => {
      const { AUTH_SIGNING_KEY: _, ...env } = containerEnv(image.env, compose[name]!);
      const service = loaders[name]!;
      expect(() => loadConfig(service.configSchema, service.name, env)).toThrow(ConfigError);
      expect(() => loadConfig(service.configSchema, service.name, env)).toThrow(/AUTH_SIGNING_KEY/);
    },
  );

  it("connects each service as the role, with the password and to the schema, that the setup step creates", () => {
    const setup = compose["kafka-init"]!;
    const setupEnv = containerEnv(image.env, setup);
    expect(setup.command).toEqual(["node", "--import", "tsx", "infra/stack/cli.ts", "setup"]);
    expect(new URL(setupEnv.PG_ADMIN_URL!).password).toBe(
      String(compose.postgres!.environment!.POSTGRES_PASSWORD),
    );
    expect(new URL(setupEnv.PG_ADMIN_URL!).hostname).toBe("postgres");
    expect(`${setupEnv.KAFKA_HOST}:${setupEnv.KAFKA_PORT}`).toBe("kafka:9092");
    for (const spec of stackServices) {
      const env = containerEnv(image.env, compose[spec.name]!);
      const url = new URL(env.DATABASE_URL!);
      expect(url.hostname, spec.name).toBe("postgres");
      expect(url.username, spec.name).toBe(spec.role);
      expect(decodeURIComponent(url.password), spec.name).toBe(setupEnv[passwordVariable(spec.role)]);
      expect(url.pathname, spec.name).toBe("/tthc");
      expect(env.DATABASE_SCHEMA, spec.name).toBe(spec.schema);
      expect(env.PORT, spec.name).toBe(String(spec.port));
      expect(compose[spec.name]!.ports, spec.name).toEqual([`${spec.port}:${spec.port}`]);
    }
  });

  it("takes every secret from .env, and .env.example gives each a value", () => {
    const text = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
    const used = new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    expect([...used].sort()).toEqual(Object.keys(example).sort());
    for (const [key, value] of Object.entries(example)) expect(value, key).not.toBe("");
    // No password is written into the compose file itself.
    expect(text).not.toMatch(/postgres:\/\/[^:@\s]+:[^$@\s][^@\s]*@/);
    expect(text).not.toMatch(/PASSWORD: (?!\$\{)/);
  });

  it("stops with the variable's name, before any container starts, when .env is missing", () => {
    expect(() => readCompose(ROOT, {})).toThrow(/required variable \w+ is missing a value: set \w+ in \.env/);
    const { AUTH_SIGNING_KEY: _, ...withoutKey } = example;
    expect(() => readCompose(ROOT, withoutKey)).toThrow(/AUTH_SIGNING_KEY/);
  });

  it("keeps the secrets out of git and out of the image", () => {
    const lines = (file: string) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .map((l) => l.trim());
    expect(lines(".gitignore")).toContain(".env");
    expect(lines(".dockerignore")).toContain(".env");
  });
});

describe("compose's interpolation, as this test reads it", () => {
  it("follows compose's forms", () => {
    const vars = { A: "a", EMPTY: "" };
    // Compose's own syntax in plain strings, not templates:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax
    expect(interpolate("${A}-$A-$$A", vars)).toBe("a-a-$A");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax
    expect(interpolate("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|${UNSET}", vars)).toBe("d||d|");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax
    expect(() => interpolate("${EMPTY:?say}", vars)).toThrow(/EMPTY is missing a value: say/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax
    expect(interpolate("${EMPTY?say}", vars)).toBe("");
  });
});
