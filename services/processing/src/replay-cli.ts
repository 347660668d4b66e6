import { createPool } from "@tthc/service-kit";
import { replay } from "./replay.js";

// pnpm --filter @tthc/processing replay [schema]: rebuilds into a fresh schema (default <schema>_replay_<time>).
const base = process.env.DATABASE_SCHEMA ?? "processing";
const schema = process.argv[2] ?? `${base}_replay_${Date.now()}`;
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
const pool = createPool({ url: process.env.DATABASE_URL ?? "", schema });
await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
await pool.end();
const result = await replay({ env: process.env, schema });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
