/**
 * The four services together on one manual clock: a working day and the Saturday after it, acted
 * out in time through intake's and processing's APIs up to the Tuesday, come out of the statistics
 * exactly as the simulator counted them, unit by unit, with a verdict from the deadline monitor
 * for every finished dossier. Dossiers run late by the services' own clock, a supplement comes
 * after a due instant, and Saturday's online submissions wait for Monday's acceptance.
 */
import { ManualClock } from "@tthc/service-kit";
import { type DriveReport, loadProvince, ProvinceDriver, planPeriod } from "@tthc/simulator";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FourServices, startFourServices } from "../support/four-services.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";

/** Friday 16/10/2026, a working day; Saturday 17/10 brings online submissions and the wards' desks. */
const FRIDAY = "2026-10-16";
const UNTIL = "2026-10-20T17:00:00+07:00";
/** A ward and a commune with Saturday-morning desks, another ward, and the provincial centre. */
const UNITS = ["H44.100", "H44.108", "H44.101", "H44.90"];

let env: TestEnv;
let services: FourServices;
const clock = new ManualClock(`${FRIDAY}T00:00:00+07:00`);

beforeAll(async () => {
  env = await createTestEnv("e2e");
  services = await startFourServices(env, { clock });
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await env?.cleanup();
});

describe("Friday 16/10/2026 and Saturday 17/10 of four units, acted out to Tuesday 20/10 on one manual clock", () => {
  let report: DriveReport;

  beforeAll(async () => {
    const scripts = planPeriod(loadProvince(), {
      seed: 11,
      firstDate: FRIDAY,
      days: 2,
      dossiersPerDay: 40,
      unitCodes: UNITS,
      // More of what the day must show than a real day has, so that forty dossiers show it.
      shares: { late: 0.3, supplementAfterDue: 0.5, supplement: 0.15, payment: 0.1, acceptanceLate: 0.15 },
    });
    const started = Date.now();
    report = await new ProvinceDriver({
      intakeUrl: services.urls.intake,
      processingUrl: services.urls.processing,
      runId: `e2e-${env.id}`,
      clock,
      until: UNTIL,
      concurrency: 8,
    }).run(scripts);
    console.info(
      `acted out ${scripts.length} dossiers (${report.dossiers.reduce((n, d) => n + d.actions.length, 0)} requests) in ${Date.now() - started} ms`,
    );
  }, 600_000);

  it("gets every request through, each sent when the clock read its planned instant", () => {
    expect(report.failures).toEqual([]);
    const actions = report.dossiers.flatMap((d) => d.actions.filter((a) => a.do !== "look"));
    expect(actions.length).toBeGreaterThan(200);
    for (const a of actions) expect(a.at).toBe(a.plannedAt);
    expect(clock.nowMs()).toBeLessThanOrEqual(Date.parse(UNTIL));
  });

  it("has dossiers resolved after the due instant the services showed, and a supplement asked after it", () => {
    expect(report.dossiers.filter((d) => d.resolvedAfterDue === true).length).toBeGreaterThan(0);
    expect(report.dossiers.filter((d) => d.resolvedAfterDue === false).length).toBeGreaterThan(10);
    expect(report.dossiers.filter((d) => d.supplementsAfterDue > 0).length).toBeGreaterThan(0);
  });

  it("accepts Saturday's online submissions on Monday, when the clock starts", () => {
    const saturday = report.dossiers.filter(
      (d) => d.channel === "online" && d.submittedAt?.startsWith("2026-10-17") && d.receivedAt !== null,
    );
    expect(saturday.length).toBeGreaterThan(0);
    for (const d of saturday)
      expect(Date.parse(d.receivedAt as string)).toBeGreaterThanOrEqual(
        Date.parse("2026-10-19T07:30:00+07:00"),
      );
  });

  it("gives statistics equal to the simulator's count by receiving centre, unit by unit", async () => {
    await expectStatisticsToMatch(services.urls.statistics, report, 120_000, {
      period: { from: FRIDAY, to: UNTIL.slice(0, 10) },
      attribution: "receiving",
    });
  }, 300_000);

  it("gives statistics equal to the simulator's count by competent unit, with a verdict for every finished dossier", async () => {
    const { want, figures } = await expectStatisticsToMatch(services.urls.statistics, report, 120_000, {
      period: { from: FRIDAY, to: UNTIL.slice(0, 10) },
    });
    // The provincial centre receives for the departments: they have figures of their own.
    expect(want.some((u) => /^H44\.\d\d$/.test(u.unit) && u.unit !== "H44.90")).toBe(true);
    expect(
      want.reduce((s, u) => s + u.receivedOnline + u.receivedDirect + u.receivedPostal, 0),
    ).toBeGreaterThan(30);
    const late = [...figures.values()].reduce((s, f) => s + f.late, 0);
    expect(late).toBeGreaterThanOrEqual(report.dossiers.filter((d) => d.resolvedAfterDue === true).length);
  }, 300_000);
});
