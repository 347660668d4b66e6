/**
 * Where the local stack's parts listen. The same ports and variables as docker-compose.yml; each can
 * be moved with the environment variable named beside it.
 */
const env = process.env;

export const settings = {
  kafkaHost: env.KAFKA_HOST ?? "127.0.0.1",
  kafkaPort: Number(env.KAFKA_PORT ?? 9092),
  kafkaControllerPort: Number(env.KAFKA_CONTROLLER_PORT ?? 9093),
  /** A superuser connection, used only to create roles, databases and schemas. */
  postgresAdminUrl: env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  postgresHost: env.PG_HOST ?? "127.0.0.1",
  postgresPort: Number(env.PG_PORT ?? 5432),
  database: env.PG_DATABASE ?? "tthc",
  testDatabase: env.PG_TEST_DATABASE ?? "tthc_test",
  redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379/0",
  testRedisUrl: env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1",
} as const;

export const kafkaBrokers = () => `${settings.kafkaHost}:${settings.kafkaPort}`;

export interface ServiceSpec {
  name: "intake" | "processing" | "deadline-monitor" | "statistics";
  port: number;
  /** The service's own PostgreSQL schema and the role that owns it. */
  schema: string;
  role: string;
}

export const services: readonly ServiceSpec[] = [
  { name: "intake", port: 3001, schema: "intake", role: "tthc_intake" },
  { name: "processing", port: 3002, schema: "processing", role: "tthc_processing" },
  { name: "deadline-monitor", port: 3003, schema: "monitor", role: "tthc_monitor" },
  { name: "statistics", port: 3004, schema: "statistics", role: "tthc_statistics" },
];

/**
 * The variable that sets a role's password (`PG_PASSWORD_TTHC_INTAKE` for `tthc_intake`): compose
 * sets it from `.env`. Where it is unset, the password is the role's name, as on a developer's machine.
 */
export const passwordVariable = (role: string) => `PG_PASSWORD_${role.toUpperCase()}`;

/** The role's password, and whether the environment chose it. */
export function rolePassword(role: string): { password: string; configured: boolean } {
  const given = env[passwordVariable(role)];
  return given ? { password: given, configured: true } : { password: role, configured: false };
}

export function databaseUrl(role: string, database: string = settings.database): string {
  const password = encodeURIComponent(rolePassword(role).password);
  return `postgres://${role}:${password}@${settings.postgresHost}:${settings.postgresPort}/${database}`;
}

/** The environment one service process gets from the local stack. */
export function serviceEnv(spec: ServiceSpec): Record<string, string> {
  return {
    HOST: "127.0.0.1",
    PORT: String(spec.port),
    KAFKA_BROKERS: kafkaBrokers(),
    DATABASE_URL: databaseUrl(spec.role),
    DATABASE_SCHEMA: spec.schema,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: `tthc:${spec.name}:`,
    LOG_LEVEL: env.LOG_LEVEL ?? "info",
  };
}
