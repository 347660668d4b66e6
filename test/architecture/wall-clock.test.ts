import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Business time comes from the service's clock (packages/service-kit/src/clock.ts), never from the
 * machine: a test or a simulation puts the whole system at any hour of any day, and a rule that
 * reads the wall clock would hold only at some hours. This lists every place in the services' and
 * packages' sources that reads the machine's time, so that each one is a decision: the files below
 * read it for operational timing only (timeouts, back-off, purges, rate-limit windows, progress),
 * never for an instant the domain judges.
 */
const ROOT = resolve(import.meta.dirname, "../..");

const OPERATIONAL: Record<string, string> = {
  "packages/service-kit/src/clock.ts": "the machine's clock itself",
  "packages/service-kit/src/service.ts": "shutdown timeout",
  "packages/bus/src/admin.ts": "how long to wait for topic leaders",
  "packages/bus/src/dead-letters.ts": "when a message was dead-lettered (operational metadata)",
  "packages/bus/src/outbox-relay.ts": "purge of published outbox rows",
  "packages/auth/src/token.ts": "token lifetime, checked against the machine's clock",
  "packages/auth/src/cli.ts": "a token printed for a person, valid from now",
  "packages/contracts/src/create-event.ts": "recordedAt when a producer passes no clock",
  "packages/calendar/src/cli.ts": "the CLI's default instant, for a person at a terminal",
  "packages/simulator/src/cli.ts": "the simulator's run id and progress line",
  "packages/simulator/src/driver.ts": "request retry deadlines",
  "packages/simulator/src/retry.ts": "retry back-off",
  "packages/simulator/src/api.ts": "token renewal and request retry deadlines",
  "packages/bus/src/schema.ts": "row bookkeeping (created_at, handled_at) of the bus tables",
  "packages/service-kit/src/migrate.ts": "when a migration was applied",
  "services/intake/src/http/submissions.ts": "row bookkeeping (updated_at), not an instant of the submission",
  "services/intake/src/store/submissions.ts":
    "row bookkeeping (updated_at), not an instant of the submission",
  "packages/testkit/src/bench.ts": "benchmark timing",
  "packages/testkit/src/wait.ts": "test wait deadlines",
  "packages/testkit/src/servers.ts": "server start timeouts",
  "services/intake/src/store/rate-limit.ts": "the public lookup's rate-limit window",
  "services/intake/src/store/notifications.ts":
    "when a notification's next attempt is due (retry back-off) and when it was sent (row bookkeeping)",
  "services/deadline-monitor/src/webhooks/delivery.ts": "webhook retry back-off and attempt durations",
  "services/deadline-monitor/src/store/webhooks.ts": "when a webhook's next attempt is due (retry back-off)",
  "services/statistics/src/pipeline.ts": "rebuild progress and throughput",
  "services/statistics/src/metrics.ts": "cache age of the scraped gauges",
  "services/processing/src/replay.ts": "how long a replay may take",
  "services/processing/src/replay-cli.ts": "the replay schema's name",
};

/** The machine's time in code. */
const READS = [/\bDate\.now\(\)/, /\bnew Date\(\)/, /\bperformance\.now\(\)/];
/** PostgreSQL's `now()`, `current_timestamp` or `clock_timestamp()` in a string (SQL is written in strings here). */
const SQL_NOW = /\bnow\(\)|\bcurrent_timestamp\b|\bclock_timestamp\(\)|\btransaction_timestamp\(\)/i;
const STRINGS = /`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;

/** Line numbers of the strings of a source that read PostgreSQL's clock. */
function sqlNowLines(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(STRINGS)) {
    const body = m[0];
    const local = SQL_NOW.exec(body);
    if (!local) continue;
    out.push(text.slice(0, (m.index ?? 0) + local.index).split("\n").length);
  }
  return out;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

function wallClockReads(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const top of ["packages", "services"]) {
    for (const pkg of readdirSync(join(ROOT, top))) {
      const src = join(ROOT, top, pkg, "src");
      try {
        statSync(src);
      } catch {
        continue;
      }
      for (const file of sources(src)) {
        const text = readFileSync(file, "utf8");
        const lines = text.split("\n");
        const sql = new Set(sqlNowLines(text));
        const hits = lines
          .map((line, i) => ({ line: line.trim(), n: i + 1 }))
          .filter(({ line }) => !line.startsWith("//") && !line.startsWith("*"))
          .filter(({ line, n }) => READS.some((re) => re.test(line)) || sql.has(n))
          .map(({ line, n }) => `${n}: ${line}`);
        if (hits.length) found.set(relative(ROOT, file), hits);
      }
    }
  }
  return found;
}

describe("business time comes from the service's clock", () => {
  it("no source reads the machine's time outside the files that use it for operational timing", () => {
    const unexpected = [...wallClockReads()].filter(([file]) => !(file in OPERATIONAL));
    expect(Object.fromEntries(unexpected)).toEqual({});
  });
});
