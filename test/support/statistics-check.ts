import { type DriveReport, unitsBy } from "@tthc/simulator";
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

/** Local dates `from`–`to` (inclusive) of a statistics query. */
export interface StatsPeriod {
  from: string;
  to: string;
}

/** Which unit a dossier counts for (docs/domain.md, "Attribution"): the statistics' `attribution`. */
export type Attribution = "competent" | "receiving";

export async function unitFigures(
  statisticsUrl: string,
  period?: StatsPeriod,
  attribution: Attribution = "competent",
): Promise<Map<string, UnitFigures>> {
  const query = new URLSearchParams({ attribution, ...(period ?? {}) });
  const res = await http(`${statisticsUrl}/v1/stats/units?${query}`);
  if (res.status !== 200) throw new Error(`statistics answered ${res.status}`);
  return new Map(
    (res.body.units as { unitCode: string; figures: UnitFigures }[]).map((u) => [u.unitCode, u.figures]),
  );
}

/** The local dates of the first and the last instant the driver acted at. */
export function periodOf(report: DriveReport): StatsPeriod | undefined {
  if (report.firstAt === null || report.lastAt === null) return undefined;
  return { from: report.firstAt.slice(0, 10), to: report.lastAt.slice(0, 10) };
}

/**
 * What the statistics must show, unit by unit, for what the simulator's driver did: by competent
 * unit, the statistics' default (docs/domain.md, "Attribution"), or by receiving centre.
 */
export function expectedFigures(report: DriveReport, by: Attribution = "competent") {
  return Object.entries(unitsBy(report, by))
    .map(([unit, u]) => ({
      unit,
      receivedOnline: u.received.online,
      receivedDirect: u.received.direct,
      receivedPostal: u.received.postal,
      resolved: u.resolved,
      withdrawn: u.withdrawn,
    }))
    .filter((u) => u.receivedOnline + u.receivedDirect + u.receivedPostal > 0)
    .sort((a, b) => a.unit.localeCompare(b.unit));
}

/**
 * No dossier lost, none counted twice: waits until the statistics over the period the driver acted
 * in equal the driver's count unit by unit (then asserts it, so a failure shows the difference),
 * checks that units the driver never touched show nothing, and that the monitor judged every
 * finished dossier. By competent unit unless `attribution` says otherwise.
 */
export async function expectStatisticsToMatch(
  statisticsUrl: string,
  report: DriveReport,
  timeoutMs: number,
  options: { period?: StatsPeriod; attribution?: Attribution } = {},
) {
  const period = options.period ?? periodOf(report);
  const attribution = options.attribution ?? "competent";
  const want = expectedFigures(report, attribution);
  const seen = async () => {
    const figures = await unitFigures(statisticsUrl, period, attribution);
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

  const figures = await unitFigures(statisticsUrl, period, attribution);
  const touched = new Set(want.map((u) => u.unit));
  for (const [unit, f] of figures) {
    if (!touched.has(unit)) expect(f.receivedOnline + f.receivedDirect + f.receivedPostal, unit).toBe(0);
  }
  await waitUntil(
    "a verdict for every finished dossier",
    async () =>
      [...(await unitFigures(statisticsUrl, period, attribution)).values()].every(
        (f) => f.early + f.onTime + f.late === f.finished,
      ),
    timeoutMs,
    500,
  );
  return { want, figures: await unitFigures(statisticsUrl, period, attribution) };
}
