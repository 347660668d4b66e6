import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const CLI = "packages/calendar/src/cli.ts";

function run(...args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("pnpm calendar due (spawned with tsx)", () => {
  it("--json: 5 working days from Fri 13/02/2026 16:00 → dueAt 2026-02-27T16:00:00+07:00, Tết named", () => {
    const r = run("due", "--from", "2026-02-13T16:00:00+07:00", "--days", "5", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dueAt).toBe("2026-02-27T16:00:00+07:00");
    expect(out.budgetMinutes).toBe(2250);
    expect(out.daysOff[0]).toMatchObject({ from: "2026-02-14", to: "2026-02-22" });
    expect(out.calendar[0]).toMatchObject({ year: 2026, version: 2 });
  });

  it("--hours 4 --cutoff 15:00 --unit H44.100: counts from Mon 23/02/2026 07:30 → 11:30", () => {
    const r = run(
      "due",
      "--from",
      "2026-02-13T16:00:00+07:00",
      "--hours",
      "4",
      "--cutoff",
      "15:00",
      "--unit",
      "H44.100",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dueAt: "2026-02-23T11:30:00+07:00", unitCode: "H44.100" });
  });

  it("prints a readable summary without --json", () => {
    const r = run("due", "--from", "2026-02-10T09:00", "--days", "10");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Due        Tue 03/03/2026 09:00   2026-03-03T09:00:00+07:00");
  });

  it.each([
    [
      ["due", "--from", "2026-02-13T16:00:00+07:00", "--days", "5", "--unit", "H99.999"],
      /Unknown unit code: H99.999/,
    ],
    [["due", "--from", "yesterday", "--days", "5"], /--from: not an instant/],
    [["due", "--from", "2026-02-13T16:00:00+07:00"], /exactly one of --days/],
    [["due", "--from", "2026-02-13T16:00:00+07:00", "--days", "5", "--hours", "2"], /exactly one of --days/],
    [["due", "--from", "2026-02-13T16:00:00+07:00", "--days=-1"], /must be a positive number/],
    [
      ["due", "--from", "2026-02-13T16:00:00+07:00", "--days", "5", "--cutoff", "16:00"],
      /--cutoff must be 15:00 or 17:00/,
    ],
    [["due", "--from", "2026-02-13T16:00:00+07:00", "--days", "5", "--bogus"], /Unknown option '--bogus'/],
    [["overdue"], /unknown command: overdue/],
  ])("exits 2 with a clear message on stderr for %j", (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
