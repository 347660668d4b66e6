/**
 * `pnpm simulate` against services on a shared running clock, as the local stack's demo runs it:
 * the four services read CLOCK, CLOCK_ORIGIN and CLOCK_SPEED (here built from the same settings in
 * this process), the simulator reads them from its environment, and yesterday is acted out in
 * about half a minute on a clock that then catches up with the machine's.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { shiftedClock } from "@tthc/service-kit";
import type { DriveReport } from "@tthc/simulator";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchingUpClock } from "../../infra/stack/shared-clock.js";
import { type FourServices, startFourServices } from "../support/four-services.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");

const yesterday = new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
// Yesterday from 07:00, acted out in about 30 s once the services are up (they get 45 s: on a
// loaded machine, with the fault tests beside them, four services can take more than 20 s to start).
const settings = catchingUpClock(Date.parse(`${yesterday}T07:00:00+07:00`), Date.now() + 45_000, 30_000);
const clock = shiftedClock({
  startMs: Date.parse(settings.CLOCK),
  originMs: Number(settings.CLOCK_ORIGIN),
  speed: Number(settings.CLOCK_SPEED),
});

let env: TestEnv;
let services: FourServices;

beforeAll(async () => {
  env = await createTestEnv("simulate_cli");
  services = await startFourServices(env, { clock });
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await env?.cleanup();
});

describe("pnpm simulate on the services' shared clock", () => {
  it("refuses a speed that is not the services' clock, in one sentence", async () => {
    const err = await run(
      process.execPath,
      ["--import", "tsx", "packages/simulator/src/cli.ts", "--speed", "7"],
      {
        cwd: ROOT,
        env: { ...process.env, ...settings },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr.trim().split("\n")).toHaveLength(1);
    expect((err as { stderr: string }).stderr).toMatch(/^simulate: --speed 7 is not the services' clock/);
  });

  it("acts yesterday out until the clock catches up, and the statistics count what it did", async () => {
    const file = join(tmpdir(), `simulate-${env.id}.json`);
    await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "packages/simulator/src/cli.ts",
        ...["--date", yesterday, "--days", "2", "--dossiers", "30", "--seed", "3"],
        ...["--intake", services.urls.intake, "--processing", services.urls.processing, "--report", file],
      ],
      { cwd: ROOT, env: { ...process.env, ...settings }, timeout: 240_000 },
    );
    const report = JSON.parse(readFileSync(file, "utf8")) as DriveReport & { until: string };
    expect(report.failures).toEqual([]);
    const acted = report.dossiers.filter((d) => d.actions.length > 0);
    expect(acted.length).toBeGreaterThan(10);
    // Every request went when the services' clock had reached its planned instant.
    for (const a of acted.flatMap((d) => d.actions))
      expect(Date.parse(a.at)).toBeGreaterThanOrEqual(Date.parse(a.plannedAt));
    expect(Date.parse(report.lastAt as string)).toBeLessThanOrEqual(clock.nowMs());
    await expectStatisticsToMatch(services.urls.statistics, report, 120_000);
  }, 300_000);
});
