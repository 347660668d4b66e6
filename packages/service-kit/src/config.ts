import { DEV_SIGNING_KEY, parseRoleMap } from "@tthc/auth";
import { parseBrokers } from "@tthc/bus";
import { z } from "zod";
import { clockConfig } from "./clock.js";

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, "lower-case letters, digits and _ only");

export const port = z.coerce.number().int().min(0).max(65_535);

/** Variables every service reads. A service extends this with its own (`baseConfig.extend({...})`). */
export const baseConfig = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: port,
  LOG_LEVEL: logLevel.default("info"),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform(parseBrokers)
    .refine((list) => list.every((b) => /^[^:\s]+:\d+$/.test(b)), "a comma-separated list of host:port"),
  /** Put in front of every topic and consumer group name (tests use it to stay apart). */
  KAFKA_TOPIC_PREFIX: z.string().default(""),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL"),
  /** The service's own schema: its tables live there and nowhere else. */
  DATABASE_SCHEMA: identifier,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "a redis:// URL"),
  REDIS_KEY_PREFIX: z.string().default(""),
  /** How long a graceful shutdown may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** HMAC key of staff bearer tokens. The development key is refused when NODE_ENV is production. */
  AUTH_SIGNING_KEY: z.string().min(32, "at least 32 characters").default(DEV_SIGNING_KEY),
  NODE_ENV: z.string().default("development"),
  /** Longest lifetime (`exp - iat`) of a bearer token; a longer one is refused. */
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  /** Clock difference tolerated on a token's `exp`, `nbf` and `iat`. */
  AUTH_CLOCK_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
  /** The provincial identity provider's JSON Web Key Set: RS256/ES256 tokens are accepted when set. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The provider's `iss`; required with AUTH_JWKS_URL. */
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  /** The provider's `aud` for this system, if it sets one. */
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWT_ALGORITHMS: z
    .string()
    .default("RS256,ES256")
    .transform((s) => s.split(",").map((a) => a.trim()))
    .pipe(z.array(z.enum(["RS256", "ES256"])).min(1)),
  /** Where the provider's token names the unit, the roles, the subject and the name (dot paths). */
  AUTH_CLAIM_UNIT: z.string().min(1).default("unit"),
  AUTH_CLAIM_ROLES: z.string().min(1).default("roles"),
  AUTH_CLAIM_SUB: z.string().min(1).default("sub"),
  AUTH_CLAIM_NAME: z.string().min(1).default("name"),
  /** `provider-role:our-role,...`; by default the provider uses our role names. */
  AUTH_ROLE_MAP: z
    .string()
    .default("reception:reception,specialist:specialist,leader:leader,admin:admin")
    .transform((s, ctx) => {
      try {
        return parseRoleMap(s);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Least time between two reads of the key set caused by a token naming an unknown key. */
  AUTH_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  ...clockConfig,
});

export type BaseConfig = z.infer<typeof baseConfig>;

export class ConfigError extends Error {
  constructor(
    readonly problems: { variable: string; reason: string }[],
    service: string,
  ) {
    super(
      `${service}: invalid configuration\n${problems.map((p) => `  ${p.variable}: ${p.reason}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Reads the configuration once at start-up. Every problem is reported at once, each naming its
 * environment variable, so a wrong deployment fails before it touches anything.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  service: string,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) {
    const data = parsed.data as { NODE_ENV?: string; AUTH_SIGNING_KEY?: string };
    if (data.NODE_ENV === "production" && data.AUTH_SIGNING_KEY === DEV_SIGNING_KEY) {
      throw new ConfigError(
        [{ variable: "AUTH_SIGNING_KEY", reason: "must be set to a secret of its own in production" }],
        service,
      );
    }
    const auth = parsed.data as { AUTH_JWKS_URL?: string; AUTH_JWT_ISSUER?: string };
    if (auth.AUTH_JWKS_URL && !auth.AUTH_JWT_ISSUER) {
      throw new ConfigError(
        [{ variable: "AUTH_JWT_ISSUER", reason: "is required with AUTH_JWKS_URL" }],
        service,
      );
    }
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => ({
    variable: issue.path.map(String).join(".") || "(environment)",
    reason:
      issue.code === "invalid_type" && issue.input === undefined ? "is required but not set" : issue.message,
  }));
  throw new ConfigError(problems, service);
}
