/**
 * Dossiers whose deadlines fall after the fault and before the clock catches up, in simulated time,
 * so that timers which must fire across a restart are checked whatever the simulator plans. The
 * catalogue is given a desk of its own whose staff work every hour of every day (its decision named
 * in `workingSessionsSource`), a calendar version without a day off from the planned day to the
 * catch-up (in force before the clock's start), and one procedure per dossier counted in hours:
 * there, hours of statutory time are hours of the clock, so each due instant is exactly where the
 * test puts it. The dossiers are received at the desk's counter, whose clock starts at reception.
 */
import type { DossierSeen } from "@tthc/simulator";
import { addDays, localDateOf } from "@tthc/simulator";
import { http, tokenFor, waitUntil } from "@tthc/testkit";
import { expect } from "vitest";
import type { Sandbox } from "../../infra/stack/sandbox.js";
import { readingAt } from "../../infra/stack/shared-clock.js";
import { clockReads, dayStartOf, type SimulatedDay } from "./simulated-day.js";

/** The test's desk: a unit of the province that no plan of the simulator receives at. */
export const SHORT_UNIT = "H44.999";
const REASON =
  "Fault tests (test/faults): a desk whose staff work every hour of every day, so that a statutory time in hours ends where the test needs it";
/**
 * Where each dossier's due instant falls between the fault and the catch-up (shares of that
 * stretch): the first may fall while the broken part is still down, the others after it is back.
 */
const DUE_SHARES = [0.25, 0.5, 0.75];
/** Machine time allowed for writing the catalogue and the monitor reading it. */
const PREPARE_MS = 8_000;

const admin = tokenFor("H44", "admin");

export interface ShortPlan {
  /** Procedure codes, one per dossier. */
  procedures: string[];
  /** The instant the dossiers are received at, on the shared clock. */
  receiveAt: number;
}

export interface ShortDossier {
  id: string;
  procedureCode: string;
  receivedAt: string;
  dueAt: string;
}

async function put(url: string, body: unknown) {
  const res = await http(url, { method: "PUT", headers: admin, body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as { key: string; revision: number };
}

/** Local dates from `from` to `to`, both included. */
function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

type CalendarDay = string | { date: string };
const dateOf = (d: CalendarDay) => (typeof d === "string" ? d : d.date);

/**
 * A new version of each year's calendar the stretch touches, without its days off inside the
 * stretch, in force from the planned day's midnight (before the clock's start and before any
 * reception of the day). Outside the stretch the year stays as decreed.
 */
async function calendarsWithoutDaysOff(
  intake: string,
  day: SimulatedDay,
): Promise<{ key: string; revision: number }[]> {
  const stretch = new Set(datesBetween(day.date, localDateOf(day.untilMs)));
  const years = [...new Set([...stretch].map((d) => Number(d.slice(0, 4))))];
  const common = {
    effectiveFrom: new Date(dayStartOf(day)).toISOString(),
    source: `${REASON}: no day off from ${day.date} to ${localDateOf(day.untilMs)}`,
  };
  const written = [];
  for (const year of years) {
    const res = await http(`${intake}/v1/calendars/${year}`, { headers: admin });
    if (res.status === 404) {
      written.push(
        await put(`${intake}/v1/calendars/${year}`, {
          year,
          version: 1,
          ...common,
          daysOff: [],
          workingDays: [],
        }),
      );
      continue;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { previousVersions: _kept, ...latest } = res.body.data;
    written.push(
      await put(`${intake}/v1/calendars/${year}`, {
        ...latest,
        ...common,
        version: latest.version + 1,
        daysOff: (latest.daysOff as CalendarDay[]).filter((d) => !stretch.has(dateOf(d))),
      }),
    );
  }
  return written;
}

/**
 * Puts the short deadlines into the catalogue and waits until the monitor has read them. The
 * dossiers are to be received at `receiveAt`: 07:00, or a little after the clock's reading now if
 * the services came up late; each procedure's hours put its dossier's due instant at its share of
 * the stretch from the fault to the catch-up.
 */
export async function prepareShortDeadlines(sandbox: Sandbox, day: SimulatedDay): Promise<ShortPlan> {
  const intake = sandbox.url("intake");
  const receiveAt = Math.max(day.startMs, readingAt(day.settings, Date.now() + PREPARE_MS));
  if (receiveAt >= day.faultMs)
    throw new Error(
      `the services came up too late: the shared clock reads ${new Date(receiveAt).toISOString()}, past the fault's instant`,
    );
  const plannedDue = DUE_SHARES.map((s) => Math.round(day.faultMs + s * (day.untilMs - day.faultMs)));
  const procedures = DUE_SHARES.map((_, i) => `9.99900${i + 1}`);
  const template = (await http(`${intake}/v1/procedures/1.004873`, { headers: admin })).body.data;
  const written = [
    ...(await calendarsWithoutDaysOff(intake, day)),
    await put(`${intake}/v1/units/${SHORT_UNIT}`, {
      code: SHORT_UNIT,
      name: "Bàn tiếp nhận kiểm thử sự cố",
      level: "commune",
      parentCode: "H44",
      electronicId: "000.00.999.H44",
      workingSessions: {
        sessions: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], from: "00:00", to: "23:59" }],
        makeUpDaysAreWorking: true,
      },
      workingSessionsSource: REASON,
      active: true,
    }),
  ];
  for (const [i, code] of procedures.entries()) {
    // Hours to four decimals: a fraction of a second off the planned instant.
    const hours = Math.round(((plannedDue[i] as number) - receiveAt) / 360) / 10_000;
    written.push(
      await put(`${intake}/v1/procedures/${code}`, {
        ...template,
        code,
        name: `Thủ tục kiểm thử: ${hours} giờ làm việc`,
        cutOff: null,
        statutoryTime: { amount: hours, unit: "hours" },
        steps: [
          {
            id: "receive",
            name: "Tiếp nhận",
            unitRole: "receiving",
            unitCode: null,
            budget: { amount: hours / 10, unit: "hours" },
          },
          {
            id: "review",
            name: "Thẩm định",
            unitRole: "handling",
            unitCode: null,
            budget: { amount: hours - hours / 10, unit: "hours" },
          },
        ],
      }),
    );
  }
  const db = await sandbox.sql();
  try {
    await waitUntil(
      "the monitor to read the short deadlines' catalogue",
      async () => {
        const { rows } = await db.query<{ key: string; revision: number }>(
          "SELECT key, revision FROM monitor.catalog_records WHERE key = ANY($1)",
          [written.map((w) => w.key)],
        );
        return written.every((w) => rows.some((r) => r.key === w.key && r.revision >= w.revision));
      },
      60_000,
      100,
    );
  } finally {
    await db.end();
  }
  return { procedures, receiveAt };
}

/** Once the shared clock reads the plan's instant, receives one dossier of each short procedure. */
export async function receiveShortDossiers(sandbox: Sandbox, day: SimulatedDay, plan: ShortPlan) {
  await clockReads(day.clock, plan.receiveAt);
  const dossiers: ShortDossier[] = [];
  for (const procedureCode of plan.procedures) {
    const res = await http(`${sandbox.url("intake")}/v1/dossiers`, {
      headers: tokenFor(SHORT_UNIT, "reception"),
      body: {
        channel: "direct",
        procedureCode,
        receivingUnitCode: SHORT_UNIT,
        applicant: { name: "Người thử nghiệm", identityNumber: "025190009999", address: "Phú Thọ" },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    dossiers.push({
      id: res.body.dossierId,
      procedureCode,
      receivedAt: res.body.receivedAt,
      dueAt: res.body.dueAt,
    });
  }
  return dossiers;
}

/** The short dossiers as the simulator's report would count them: received at the desk, left open. */
export function asSeen(dossiers: readonly ShortDossier[], firstSeq: number): DossierSeen[] {
  return dossiers.map((d, i) => ({
    seq: firstSeq + i,
    unitCode: SHORT_UNIT,
    competentUnitCode: SHORT_UNIT,
    procedureCode: d.procedureCode,
    channel: "direct",
    fate: "open",
    plannedVerdict: null,
    submissionId: null,
    dossierId: d.id,
    code: null,
    submittedAt: null,
    receivedAt: d.receivedAt,
    state: "received",
    dueAt: d.dueAt,
    resolvedAt: null,
    outcome: null,
    dueAtResolution: null,
    resolvedAfterDue: null,
    stoppedAt: null,
    stopReason: null,
    returnedAt: null,
    extension: null,
    supplements: 0,
    supplementsAfterDue: 0,
    payments: 0,
    transfers: 0,
    units: [SHORT_UNIT],
    actions: [],
    pending: null,
  }));
}
