/**
 * One fault scenario: a sandbox of its own (Kafka, PostgreSQL, Redis, the four services as child
 * processes), the last working day acted out through the APIs on a fast clock the services share,
 * a fault injected at a point of that day while the load runs, then the checks that nothing was lost
 * or counted twice and that every alert went out, each under one event id on `sla.events` and one
 * delivery id to the harness's webhook receiver.
 */
import {
  type DossierScript,
  type DriveReport,
  isoLocal,
  loadProvince,
  localDateOf,
  ProvinceDriver,
  planDay,
} from "@tthc/simulator";
import { http, tokenFor } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../infra/stack/sandbox.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";
import { checkAlerts } from "./alert-check.js";
import { AlertReceiver } from "./alert-receiver.js";
import { asSeen, prepareShortDeadlines, receiveShortDossiers } from "./short-deadlines.js";
import { clockReads, type SimulatedDay, simulatedDay } from "./simulated-day.js";

export type { Sandbox } from "../../infra/stack/sandbox.js";

/** Dossiers of the day; FAULT_DOSSIERS moves it (a few hundred makes a longer, harder run). */
const DOSSIERS = Number(process.env.FAULT_DOSSIERS ?? 120);
/**
 * More of what the checks are about than a real day has: dossiers decided late or never, online
 * submissions accepted after the centre's deadline (their acceptance alerts come within the day).
 */
const SHARES = { late: 0.1, open: 0.05, acceptanceLate: 0.15, supplementAfterDue: 0.5 };
/** Beyond the catch-up, how long the driver may still take (a step retries for at most 90 s). */
const LOAD_OVERRUN_MS = 180_000;

/** Rejects, naming the service and its last log lines, if a service exits before `until` settles. */
async function noCrash(sandbox: Sandbox, until: Promise<unknown>): Promise<never> {
  let settled = false;
  until.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    if (settled) return new Promise<never>(() => {});
    const [name] = sandbox.crashed();
    if (name) throw new Error(`${name} exited during the load:\n${sandbox.log(name)}`);
  }
}

/** `promise`, or a clear error once `ms` have passed. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The day to act out, as the simulator plans it. */
function plan(seed: number, day: SimulatedDay): DossierScript[] {
  return planDay(loadProvince(), { seed, date: day.date, dossiers: DOSSIERS, shares: SHARES });
}

/** Requests the driver sent before `from` and after `to`, by the shared clock's reading when sent. */
function requestsAround(report: DriveReport, from: number, to: number) {
  const sent = report.dossiers.flatMap((d) =>
    d.actions.filter((a) => a.do !== "look").map((a) => Date.parse(a.at)),
  );
  return { before: sent.filter((t) => t < from).length, after: sent.filter((t) => t > to).length };
}

/**
 * Registers one scenario as a vitest file's only test. `fault` runs once the shared clock reads the
 * fault's instant of the day and returns when the broken part is back.
 */
export function faultScenario(
  title: string,
  options: { seed: number; fault: (sandbox: Sandbox) => Promise<void> },
): void {
  describe(title, () => {
    const sandbox = new Sandbox();
    const receiver = new AlertReceiver();
    let day: SimulatedDay;

    beforeAll(async () => {
      await receiver.start();
      // The receiver is on this machine: the operator's allow-list names it, and nothing else inside.
      Object.assign(sandbox.serviceExtraEnv, {
        WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiver.port}`,
        WEBHOOK_BACKOFF_MS: "500",
      });
      await sandbox.start();
      // Chosen once the infrastructure is up, so that the clock reads 07:00 about when the services are.
      day = simulatedDay(Date.now());
      sandbox.setClock(day.settings);
      await sandbox.startServices();
      // The province's leader hears every unit's alerts.
      const hook = await http(`${sandbox.url("deadline-monitor")}/v1/webhooks`, {
        headers: tokenFor("H44", "leader"),
        body: { url: receiver.url, unitCode: "H44", kinds: ["overdue", "due-soon"] },
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      receiver.useSecret(hook.body.secret);
    }, 240_000);

    afterAll(async () => {
      await sandbox.stop();
      await receiver.stop();
    }, 120_000);

    it("recovers with the figures equal to the simulator's count and every alert out under one id", async () => {
      const scripts = plan(options.seed, day);
      const shortPlan = await prepareShortDeadlines(sandbox, day);
      const driver = new ProvinceDriver({
        intakeUrl: sandbox.url("intake"),
        processingUrl: sandbox.url("processing"),
        clock: day.clock,
        until: day.untilMs,
        concurrency: 6,
        runId: `fault-${options.seed}-${Date.now().toString(36)}`,
        retryForMs: 90_000,
      });
      const driving = driver.run(scripts);
      let loadEnded = false;
      driving.then(
        () => {
          loadEnded = true;
        },
        () => {},
      );
      const guarded = Promise.race([driving, noCrash(sandbox, driving)]);
      guarded.catch(() => {}); // awaited below; a failure before that must not go unhandled
      const short = await receiveShortDossiers(sandbox, day, shortPlan);

      // The fault comes at a point of the simulated day, not at a count of finished stories.
      await Promise.race([clockReads(day.clock, day.faultMs, driving), guarded]);
      const endedBeforeFault = loadEnded;
      const faultAt = day.clock.nowMs();
      await options.fault(sandbox);
      const backAt = day.clock.nowMs();
      const report = await within(
        Math.max(0, day.untilMs - Date.now()) + LOAD_OVERRUN_MS,
        "the simulated day to be acted out",
        guarded,
      );

      const around = requestsAround(report, faultAt, backAt);
      const received = report.dossiers.filter((d) => d.receivedAt !== null).length;
      console.info(
        `${title}: ${day.date} on a clock ${day.settings.CLOCK_SPEED} times as fast, caught up at ${isoLocal(day.untilMs)}; ` +
          `the driver acted from ${report.firstAt}; short dossiers received at ${short[0]?.receivedAt}, due ${short.map((d) => d.dueAt).join(", ")}; ` +
          `fault from ${isoLocal(faultAt)} to ${isoLocal(backAt)} with ${around.before} requests before it and ${around.after} after; ` +
          `${received} of ${scripts.length} planned dossiers received; the driver retried ${report.retries} requests`,
      );
      // The fault came while the load still ran: requests went before it and after the part was back.
      expect(endedBeforeFault).toBe(false);
      expect(faultAt).toBeLessThan(day.untilMs);
      expect(around.before).toBeGreaterThan(0);
      expect(around.after).toBeGreaterThan(0);
      expect(report.failures).toEqual([]);
      expect(received).toBeGreaterThan(scripts.length / 2);

      // No dossier lost, none counted twice: the statistics over the days the driver acted in equal
      // its own count (and the short dossiers received at the test's desk), unit by unit, both by
      // competent unit and by receiving centre.
      report.dossiers.push(...asSeen(short, scripts.length + 1));
      const lastAt = Math.max(day.untilMs, report.lastAt === null ? 0 : Date.parse(report.lastAt));
      const period = { from: day.date, to: localDateOf(lastAt) };
      for (const attribution of ["competent", "receiving"] as const)
        await expectStatisticsToMatch(sandbox.url("statistics"), report, 120_000, { period, attribution });

      await checkAlerts(sandbox, receiver, {
        short: short.map((d) => d.id),
        faultAt,
        untilMs: day.untilMs,
        clock: day.clock,
      });
    });
  });
}
