import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseConfig, ConfigError, loadConfig, port } from "../src/config.js";

const good = {
  PORT: "3001",
  KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9094",
  DATABASE_URL: "postgres://u@127.0.0.1:5432/tthc",
  DATABASE_SCHEMA: "intake",
  REDIS_URL: "redis://127.0.0.1:6379/0",
};

describe("configuration is read once, validated, and names every wrong variable", () => {
  it("parses a good environment into typed values with defaults", () => {
    const config = loadConfig(baseConfig, "intake", good);
    expect(config.PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toEqual(["127.0.0.1:9092", "127.0.0.1:9094"]);
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.KAFKA_TOPIC_PREFIX).toBe("");
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(15_000);
  });

  it("reports every problem at once, each with its variable's name", () => {
    const env = {
      ...good,
      PORT: "eighty",
      DATABASE_SCHEMA: "Intake-1",
      REDIS_URL: undefined,
      KAFKA_BROKERS: "kafka",
    };
    let error: unknown;
    try {
      loadConfig(baseConfig, "intake", env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(["DATABASE_SCHEMA", "KAFKA_BROKERS", "PORT", "REDIS_URL"]);
    expect((error as ConfigError).message).toMatch(/REDIS_URL: is required but not set/);
    expect((error as ConfigError).message).toMatch(/^intake: invalid configuration/);
  });

  it("a service extends the base with its own variables and defaults", () => {
    const schema = baseConfig.extend({
      PORT: port.default(3003),
      DUE_SOON_SHARE: z.coerce.number().min(0).max(1),
    });
    const { PORT: _omit, ...rest } = good;
    const config = loadConfig(schema, "deadline-monitor", { ...rest, DUE_SOON_SHARE: "0.2" });
    expect(config.PORT).toBe(3003);
    expect(config.DUE_SOON_SHARE).toBe(0.2);
    expect(() => loadConfig(schema, "deadline-monitor", { ...rest, DUE_SOON_SHARE: "2" })).toThrow(
      /DUE_SOON_SHARE/,
    );
  });
});
