/**
 * The four services together: a simulated day acted out through intake's and processing's APIs
 * comes out of the statistics exactly as the simulator counted it, unit by unit, with a verdict
 * from the deadline monitor for every finished dossier.
 */
import { loadProvince, ProvinceDriver, planDay } from "@tthc/simulator";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FourServices, startFourServices } from "../support/four-services.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";

let env: TestEnv;
let services: FourServices;
let urls: FourServices["urls"];

beforeAll(async () => {
  env = await createTestEnv("e2e");
  services = await startFourServices(env);
  urls = services.urls;
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await env?.cleanup();
});

describe("a simulated day through the four services", () => {
  it("gives statistics equal to the simulator's own count, unit by unit", async () => {
    const yesterday = new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const scripts = planDay(loadProvince(), { seed: 11, date: yesterday, dossiers: 40 });
    const driver = new ProvinceDriver({
      intakeUrl: urls.intake,
      processingUrl: urls.processing,
      concurrency: 4,
      runId: `e2e-${env.id}`,
    });
    const report = await driver.run(scripts);
    expect(report.failures).toEqual([]);
    const { want, figures } = await expectStatisticsToMatch(urls.statistics, report, 90_000);
    expect(
      want.reduce((s, u) => s + u.receivedOnline + u.receivedDirect + u.receivedPostal, 0),
    ).toBeGreaterThan(30);
    const late = [...figures.values()].reduce((s, f) => s + f.late, 0);
    const plannedLate = report.dossiers.filter((d) => d.fate === "resolved-late").length;
    expect(late).toBeGreaterThanOrEqual(plannedLate);
  });
});
