import type { DriveReport } from "@tthc/simulator";
import { http, waitUntil } from "@tthc/testkit";
import { expect } from "vitest";

/** The figures of one unit as `GET /v1/stats/units` gives them (the ones these checks read). */
export interface UnitFigures {
  receivedOnline: number;
  receivedDirect: number;
  receivedPostal: number;
  resolved: number;
  withdrawn: number;
  finished: number;
  early: number;
  onTime: number;
  late: number;
}

export async function unitFigures(statisticsUrl: string): Promise<Map<string, UnitFigures>> {
  const res = await http(`${statisticsUrl}/v1/stats/units`);
  if (res.status !== 200) throw new Error(`statistics answered ${res.status}`);
  return new Map(
    (res.body.units as { unitCode: string; figures: UnitFigures }[]).map((u) => [u.unitCode, u.figures]),
  );
}

/** What the statistics must show, unit by unit, for what the simulator's driver did. */
export function expectedFigures(report: DriveReport) {
  return Object.entries(report.units)
    .map(([unit, u]) => ({
      unit,
      receivedOnline: u.received.online,
      receivedDirect: u.received.direct,
      receivedPostal: u.received.postal,
      resolved: u.resolved,
      withdrawn: u.withdrawn,
    }))
    .sort((a, b) => a.unit.localeCompare(b.unit));
}

/**
 * No dossier lost, none counted twice: waits until the statistics equal the driver's count unit by
 * unit (then asserts it, so a failure shows the difference), checks that units the driver never
 * touched show nothing, and that the monitor judged every finished dossier.
 */
export async function expectStatisticsToMatch(statisticsUrl: string, report: DriveReport, timeoutMs: number) {
  const want = expectedFigures(report);
  const seen = async () => {
    const figures = await unitFigures(statisticsUrl);
    return want.map((u) => {
      const f = figures.get(u.unit);
      return {
        unit: u.unit,
        receivedOnline: f?.receivedOnline ?? 0,
        receivedDirect: f?.receivedDirect ?? 0,
        receivedPostal: f?.receivedPostal ?? 0,
        resolved: f?.resolved ?? 0,
        withdrawn: f?.withdrawn ?? 0,
      };
    });
  };
  await waitUntil(
    "the statistics to equal the simulator's count",
    async () => JSON.stringify(await seen()) === JSON.stringify(want),
    timeoutMs,
    500,
  ).catch(() => {}); // the assertion below shows the difference
  expect(await seen()).toEqual(want);

  const figures = await unitFigures(statisticsUrl);
  const touched = new Set(want.map((u) => u.unit));
  for (const [unit, f] of figures) {
    if (!touched.has(unit)) expect(f.receivedOnline + f.receivedDirect + f.receivedPostal, unit).toBe(0);
  }
  await waitUntil(
    "a verdict for every finished dossier",
    async () =>
      [...(await unitFigures(statisticsUrl)).values()].every(
        (f) => f.early + f.onTime + f.late === f.finished,
      ),
    timeoutMs,
    500,
  );
  return { want, figures: await unitFigures(statisticsUrl) };
}
