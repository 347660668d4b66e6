/**
 * `pnpm --filter @tthc/processing replay [schema]`: rebuilds processing's state from the topics into
 * a fresh schema (default <DATABASE_SCHEMA>_replay_<time>), with the service's environment.
 */
import { ConfigError, createPool } from "@tthc/service-kit";
import { replay } from "./replay.js";

const USAGE = `usage: pnpm --filter @tthc/processing replay [SCHEMA]

Rebuilds processing's state from dossier.events and sla.events, read from the beginning by a fresh
consumer group, into SCHEMA (default: <DATABASE_SCHEMA>_replay_<time>), which must be new or
empty, and prints the number of dossiers. It reads the service's environment (DATABASE_URL,
KAFKA_BROKERS, REDIS_URL, ...), as the service does.
`;

function fail(message: string): never {
  process.stderr.write(`replay: ${message} (--help shows the usage)\n`);
  process.exit(2);
}

const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--"));
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 1) fail(`one schema name at most, got ${args.length} arguments`);
const base = process.env.DATABASE_SCHEMA ?? "processing";
const schema = args[0] ?? `${base}_replay_${Date.now()}`;
if (!/^[a-z_][a-z0-9_]*$/.test(schema))
  fail(`"${schema}" is not a schema name: lower-case letters, digits and _, not starting with a digit`);
if (!process.env.DATABASE_URL) fail("DATABASE_URL is not set: give the replay the service's environment");
try {
  const pool = createPool({ url: process.env.DATABASE_URL, schema });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.end();
  const result = await replay({ env: process.env, schema });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (err) {
  if (err instanceof ConfigError) fail(err.problems.map((p) => `${p.variable}: ${p.reason}`).join("; "));
  process.stderr.write(`replay: failed: ${(err as Error).message}\n`);
  process.exit(1);
}
