/**
 * Bad input at every HTTP endpoint of the four services, driven from their own OpenAPI documents:
 * no request gets a 5xx, every refusal has the one error shape, every service still answers, and
 * no refused request leaves a row in a table or a record on a topic.
 *
 * FUZZ_RUNS sets the requests per operation (default 100: 6,000 requests over the 60 operations,
 * about 40 s on two cores); `pnpm bench` or a soak run can raise it. FUZZ_SEED replays a run.
 */
import { caughtUp, createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FourServices, SERVICE_NAMES, startFourServices } from "../support/four-services.js";
import { closeClient, type FuzzResponse, send } from "./client.js";
import { describeRequest, type FuzzRequest, type Operation, operationsOf, requestsTo } from "./requests.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const NAMES = SERVICE_NAMES;
type Name = (typeof NAMES)[number];

/** Operations that any input starts once the token allows it: fuzzed without the role that may. */
const STARTED_BY_ANY_INPUT: Record<string, Parameters<typeof requestsTo>[2]> = {
  "POST /v1/stats/rebuild": ["admin"],
};

let env: TestEnv;
let services: FourServices;
const urls = {} as Record<Name, string>;
const schemas = {} as Record<Name, string>;
const operations = {} as Record<Name, Operation[]>;
const units = ["H44", "H44.07", "H44.100", "G22"];
let before: Record<string, number>;
const sent = {} as Record<Name, number>;
/** How the fuzzed requests were answered, per service: `404 PROCESSING_DOSSIER_NOT_FOUND` → count. */
const answers = {} as Record<Name, Map<string, number>>;
const processErrors: unknown[] = [];
const onProcessError = (err: unknown) => processErrors.push(err);

/** Row counts of every table of the four schemas and end offsets of every topic of this file. */
async function snapshot(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of NAMES) {
    const { rows } = await env.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schemas[name]],
    );
    for (const { table_name } of rows) {
      const count = await env.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schemas[name]}"."${table_name}"`,
      );
      out[`${name}.${table_name}`] = count.rows[0]!.n;
    }
  }
  const prefix = `${env.topicPrefix}.`;
  for (const topic of (await env.admin.listTopics()).filter((t) => t.startsWith(prefix)).sort()) {
    const base = topic.slice(prefix.length);
    out[`topic ${base}`] = await env.admin.endOffsetsSum(base);
  }
  return out;
}

/** Waits until two snapshots a second apart agree: the consumers have caught up. */
async function settled(): Promise<Record<string, number>> {
  let last = "";
  return waitUntil(
    "the tables and topics to settle",
    async () => {
      const now = await snapshot();
      const same = JSON.stringify(now) === last;
      last = JSON.stringify(now);
      return same ? now : undefined;
    },
    60_000,
    1_000,
  );
}

beforeAll(async () => {
  process.on("uncaughtException", onProcessError);
  process.on("unhandledRejection", onProcessError);
  env = await createTestEnv("fuzz");
  services = await startFourServices(env);
  Object.assign(urls, services.urls);
  Object.assign(schemas, services.schemas);
  // Intake's seeded catalogue has reached the three others.
  await waitUntil(
    "the catalogue in every service",
    async () => {
      if ((await env.admin.endOffsetsSum("catalog")) === 0) return false;
      for (const name of ["processing", "monitor", "statistics"] as const) {
        // Every consumer of the catalogue has applied every record of it.
        if (!(await caughtUp(env.pool, env.admin, schemas[name], "catalog"))) return false;
      }
      return true;
    },
    60_000,
    250,
  );
  for (const name of NAMES) {
    const res = await http(`${urls[name]}/docs/json`);
    expect(res.status).toBe(200);
    operations[name] = operationsOf(res.body);
  }
  const list = await http(`${urls.intake}/v1/units?limit=20`, { headers: tokenFor("H44", "admin") });
  units.push(...(list.body.items as { data: { code: string } }[]).map((u) => u.data.code));
  before = await settled();
}, 180_000);

afterAll(async () => {
  closeClient();
  await services?.stop();
  await env?.cleanup();
  process.off("uncaughtException", onProcessError);
  process.off("unhandledRejection", onProcessError);
});

interface Finding {
  what: string;
  request: string;
  status: number;
  body: string;
}

/** What is wrong with the answer to a fuzzed request, if anything. */
function check(r: FuzzRequest, res: FuzzResponse): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  if (res.status >= 400) {
    const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== "string" || typeof error.message !== "string")
      return `${res.status} without { error: { code, message } }`;
    return undefined;
  }
  // A fuzzed request should never have been good enough to change anything.
  if (r.method !== "GET") return `${r.method} answered ${res.status}`;
  return undefined;
}

function report(name: Name, findings: Finding[]): string {
  const byKind = new Map<string, Finding>();
  for (const f of findings) if (!byKind.has(f.what)) byKind.set(f.what, f);
  return [
    `${findings.length} bad answers from ${name} (seed ${SEED}, FUZZ_SEED=${SEED} replays), first of each kind:`,
    ...[...byKind.values()].map(
      (f) => `- ${f.what}\n  ${f.request}\n  → ${f.status} ${f.body.slice(0, 400)}`,
    ),
  ].join("\n");
}

describe("bad input at every endpoint", () => {
  for (const name of NAMES) {
    it(`${name}: no 5xx, and every refusal is { error: { code, message } }`, async () => {
      const findings: Finding[] = [];
      sent[name] = 0;
      answers[name] = new Map();
      expect(operations[name].length).toBeGreaterThan(0);
      for (const [i, op] of operations[name].entries()) {
        const arb = requestsTo(op, units, STARTED_BY_ANY_INPUT[`${op.method} ${op.path}`]);
        await fc.assert(
          fc.asyncProperty(arb, async (r) => {
            sent[name]++;
            let res: FuzzResponse;
            try {
              res = await send(urls[name], r);
            } catch (err) {
              findings.push({
                what: `${op.method} ${op.path}: ${String(err)}`,
                request: describeRequest(r),
                status: 0,
                body: "",
              });
              return;
            }
            const code = (res.body as { error?: { code?: unknown } } | undefined)?.error?.code;
            const key = `${res.status} ${typeof code === "string" ? code : ""}`.trim();
            answers[name].set(key, (answers[name].get(key) ?? 0) + 1);
            const wrong = check(r, res);
            if (wrong)
              findings.push({
                what: `${op.method} ${op.path}: ${wrong}`,
                request: describeRequest(r),
                status: res.status,
                body: typeof res.body === "string" ? res.body : JSON.stringify(res.body),
              });
          }),
          { numRuns: RUNS, seed: SEED + i },
        );
      }
      expect(findings.length, report(name, findings)).toBe(0);
      const health = await http(`${urls[name]}/healthz`);
      expect(health.status, `${name} /healthz after the fuzz run`).toBe(200);
    }, 600_000);
  }

  it("left every service up and every table and topic as it was", async () => {
    for (const name of NAMES) {
      const health = await http(`${urls[name]}/healthz`);
      expect(health.status, `${name} /healthz`).toBe(200);
    }
    expect(processErrors.map(String), "uncaught errors in the process").toEqual([]);
    const after = await settled();
    expect(after, "row counts and topic end offsets after the fuzz run").toEqual(before);
    const total = NAMES.reduce((s, n) => s + (sent[n] ?? 0), 0);
    console.info(`fuzz: ${NAMES.map((n) => `${n} ${sent[n]}`).join(", ")}; ${total} requests, seed ${SEED}`);
    for (const name of NAMES)
      console.info(
        name,
        Object.fromEntries([...(answers[name] ?? [])].sort(([a], [b]) => a.localeCompare(b))),
      );
    expect(total).toBeGreaterThan(NAMES.length * RUNS);
  }, 120_000);
});
