/**
 * One fault scenario: a sandbox of its own (Kafka, PostgreSQL, Redis, the four services as child
 * processes), a simulated day acted out through the APIs, a fault injected while the load runs,
 * then the checks that nothing was lost or counted twice and that every alert went out, each
 * under one event id on `sla.events` and one delivery id to the harness's webhook receiver.
 */
import { type DossierScript, loadProvince, ProvinceDriver, planDay } from "@tthc/simulator";
import { http, tokenFor } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../infra/stack/sandbox.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";
import { checkAlerts } from "./alert-check.js";
import { AlertReceiver } from "./alert-receiver.js";
import { prepareShortDeadlines, receiveShortDossiers } from "./short-deadlines.js";

export type { Sandbox } from "../../infra/stack/sandbox.js";

/** Dossiers per scenario; FAULT_DOSSIERS moves it (a few hundred makes a longer, harder run). */
const DOSSIERS = Number(process.env.FAULT_DOSSIERS ?? 120);
/** The share of the load done before the fault comes. */
const FAULT_AT = 0.3;
/** Each step retries for at most 90 s, so a load that takes longer than this is stuck. */
const LOAD_TIMEOUT_MS = 240_000;

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

/** The day to act out, as the simulator plans it (some dossiers late, some left open). */
function plan(seed: number): DossierScript[] {
  const yesterday = new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  return planDay(loadProvince(), { seed, date: yesterday, dossiers: DOSSIERS, lateShare: 0.1 });
}

/** Dossiers of three working minutes received just before the load: their deadlines fall after the fault. */
const SHORT_DOSSIERS = 3;

/**
 * Registers one scenario as a vitest file's only test. `fault` runs once the load is `FAULT_AT`
 * done and returns when the broken part is back.
 */
export function faultScenario(
  title: string,
  options: { seed: number; fault: (sandbox: Sandbox) => Promise<void> },
): void {
  describe(title, () => {
    const sandbox = new Sandbox();
    const receiver = new AlertReceiver();

    beforeAll(async () => {
      await receiver.start();
      // The receiver is on this machine: the operator's allow-list names it, and nothing else inside.
      Object.assign(sandbox.serviceExtraEnv, {
        WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${receiver.port}`,
        WEBHOOK_BACKOFF_MS: "500",
      });
      await sandbox.start();
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
      const scripts = plan(options.seed);
      const shortUnit = scripts[0]!.unitCode;
      await prepareShortDeadlines(sandbox, shortUnit);
      const short = await receiveShortDossiers(sandbox, shortUnit, SHORT_DOSSIERS);
      let reached: () => void = () => {};
      const faultTime = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let done = 0;
      const driver = new ProvinceDriver({
        intakeUrl: sandbox.url("intake"),
        processingUrl: sandbox.url("processing"),
        concurrency: 4,
        runId: `fault-${options.seed}-${Date.now().toString(36)}`,
        retryForMs: 90_000,
        onProgress: (n) => {
          done = n;
          if (n >= scripts.length * FAULT_AT) reached();
        },
      });
      const driving = driver.run(scripts);
      await Promise.race([faultTime, driving]);
      const doneAtFault = done;
      const faultAt = Date.now();
      await options.fault(sandbox);
      const report = await within(
        LOAD_TIMEOUT_MS,
        "the simulated day to be acted out",
        Promise.race([driving, noCrash(sandbox, driving)]),
      );

      console.info(
        `${title}: fault at ${doneAtFault}/${scripts.length} dossiers; the driver retried ${report.retries} requests`,
      );
      // The fault came while the load still ran, and the driver got every dossier through.
      expect(doneAtFault).toBeLessThan(scripts.length);
      expect(report.failures).toEqual([]);

      // No dossier lost, none counted twice: the statistics equal the driver's own count (and the
      // short dossiers received at the counter beside it).
      report.units[shortUnit]!.received.direct += short.length;
      const { want } = await expectStatisticsToMatch(sandbox.url("statistics"), report, 120_000);
      const received = want.reduce((s, u) => s + u.receivedOnline + u.receivedDirect + u.receivedPostal, 0);
      expect(received).toBeGreaterThan(scripts.length * 0.8);

      await checkAlerts(sandbox, receiver, { short, faultAt });
    });
  });
}
