import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every command a person types from the README answers `--help` with its usage on stdout, and meets
 * a mistake with one sentence on stderr and exit code 2: no stack trace, no validation dump.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const scriptsOf = (dir: string) =>
  (
    JSON.parse(readFileSync(resolve(ROOT, dir, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;

/**
 * The entry file of each script (the root package's, or `dir`'s), and the arguments the script puts
 * before the person's.
 */
const CLIS: Record<string, { dir?: string; script: string; entry: string; before: string[] }> = {
  simulate: {
    script: "tsx packages/simulator/src/cli.ts",
    entry: "packages/simulator/src/cli.ts",
    before: [],
  },
  token: { script: "tsx packages/auth/src/cli.ts", entry: "packages/auth/src/cli.ts", before: [] },
  calendar: { script: "tsx packages/calendar/src/cli.ts", entry: "packages/calendar/src/cli.ts", before: [] },
  // scripts/run hands `stack ...` and `bench ...` to the stack CLI.
  stack: { script: "bash scripts/run stack", entry: "infra/stack/cli.ts", before: [] },
  bench: { script: "bash scripts/run bench", entry: "infra/stack/cli.ts", before: ["bench"] },
  // pnpm --filter @tthc/processing replay
  replay: {
    dir: "services/processing",
    script: "tsx src/replay-cli.ts",
    entry: "services/processing/src/replay-cli.ts",
    before: [],
  },
};

/**
 * Runs a CLI where nothing can be reached or started by mistake: no server answers at the
 * addresses given, and the PATH holds node alone (no java, no pg_ctlcluster, no redis-server).
 */
function run(name: string, args: string[], env: Record<string, string> = {}) {
  const cli = CLIS[name]!;
  const r = spawnSync(process.execPath, ["--import", "tsx", cli.entry, ...cli.before, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: {
      PATH: dirname(process.execPath),
      HOME: process.env.HOME ?? "/tmp",
      KAFKA_HOST: "127.0.0.1",
      KAFKA_PORT: "1",
      KAFKA_CONTROLLER_PORT: "2",
      PG_ADMIN_URL: "postgres://nobody@127.0.0.1:1/none",
      REDIS_URL: "redis://127.0.0.1:1/0",
      INTAKE_URL: "http://127.0.0.1:1",
      PROCESSING_URL: "http://127.0.0.1:1",
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the scripts run these entry files", () => {
  it.each(Object.entries(CLIS))("%s", (name, cli) => {
    expect(scriptsOf(cli.dir ?? ".")[name]).toBe(cli.script);
  });
});

describe("--help", () => {
  it.each([
    ["simulate", /^usage: pnpm simulate \[options\]/, /--dossiers N/],
    ["token", /^usage: pnpm token --unit CODE --role ROLE/, /--ttl SECONDS/],
    ["calendar", /^Usage: pnpm calendar due --from <instant>/, /--as-of/],
    ["stack", /^usage: pnpm stack <command>/, /test-clocks/],
    ["bench", /^usage: pnpm stack bench \[word \.\.\.\]/, /packages\/bus\/bench\/outbox\.bench\.ts/],
    ["replay", /^usage: pnpm --filter @tthc\/processing replay \[SCHEMA\]/, /DATABASE_SCHEMA/],
  ])("%s --help prints its usage and exits 0", (name, head, body) => {
    const r = run(name, ["--help"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(head);
    expect(r.stdout).toMatch(body);
    expect(r.code).toBe(0);
  });

  it("pnpm start --help prints the start command's usage and starts nothing", () => {
    const r = run("stack", ["start", "--help"]);
    expect(r.stdout).toMatch(/^usage: pnpm stack start \[--detach\]/);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

/** One line on stderr that names the problem, no stack trace, no zod issues. */
function expectOneSentence(stderr: string, prefix: string, says: RegExp) {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${prefix}: `));
  expect(lines[0]).toMatch(says);
  expect(stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|ZodError|"code":|"path":|\[\s*\{/);
}

describe("a bad argument", () => {
  it.each([
    [
      "simulate --days 0",
      "simulate",
      ["--days", "0"],
      {},
      "simulate",
      /--days must be a whole number from 1 to 92/,
    ],
    [
      "simulate, CLOCK_SPEED=-1",
      "simulate",
      [],
      { CLOCK_SPEED: "-1" },
      "simulate",
      /CLOCK_SPEED: .*a number above 0/,
    ],
    [
      "token --unit 'x y'",
      "token",
      ["--unit", "x y", "--role", "admin"],
      {},
      "token",
      /--unit must be a unit code/,
    ],
    [
      "token --name <201 characters>",
      "token",
      ["--unit", "H44.100", "--role", "admin", "--name", "n".repeat(201)],
      {},
      "token",
      /--name must be at most 200 characters/,
    ],
    [
      "calendar due --from yesterday",
      "calendar",
      ["due", "--from", "yesterday", "--days", "5"],
      {},
      "calendar",
      /--from: not an instant/,
    ],
    ["stack frobnicate", "stack", ["frobnicate"], {}, "stack", /unknown command "frobnicate"/],
    ["start --bogus", "stack", ["start", "--bogus"], {}, "start", /unknown argument "--bogus"/],
    [
      "--filter @tthc/processing replay Bad-Name",
      "replay",
      ["Bad-Name"],
      {},
      "replay",
      /"Bad-Name" is not a schema name/,
    ],
    [
      "bench no-such-benchmark",
      "bench",
      ["no-such-benchmark"],
      {},
      "bench",
      /no benchmark's path contains "no-such-benchmark"/,
    ],
  ] as const)("%s gets one sentence on stderr and exit 2", (_label, name, args, env, prefix, says) => {
    const r = run(name, [...args], env);
    expectOneSentence(r.stderr, prefix, says);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });
});
