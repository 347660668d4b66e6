/**
 * One fault scenario: a sandbox of its own (Kafka, PostgreSQL, Redis, the four services as child
 * processes), a simulated day acted out through the APIs, a fault injected while the load runs,
 * then the checks that nothing was lost or counted twice and that every overdue alert went once.
 */
import { type DossierScript, type DriveReport, loadProvince, ProvinceDriver, planDay } from "@tthc/simulator";
import { waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sandbox } from "../../infra/stack/sandbox.js";
import { expectStatisticsToMatch } from "../support/statistics-check.js";

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

/**
 * The day to act out. A tenth of the dossiers were submitted weeks ago, so their clock has run
 * out: half of those are resolved late, the other half stay open (no pause, no extension) and
 * must each get exactly one overdue alert.
 */
function plan(seed: number): { scripts: DossierScript[]; overdueSeqs: Set<number> } {
  const yesterday = new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  const overdueSeqs = new Set<number>();
  const scripts = planDay(loadProvince(), { seed, date: yesterday, dossiers: DOSSIERS, lateShare: 0.1 }).map(
    (s) => {
      if (s.fate !== "resolved-late" || s.seq % 2 !== 0) return s;
      overdueSeqs.add(s.seq);
      return { ...s, fate: "open" as const, supplement: false, payment: false, extension: false };
    },
  );
  return { scripts, overdueSeqs };
}

/** A deadline as both the alerts table and the events spell it: dossier and instant. */
const deadlineKey = (dossierId: string, dueAt: string | Date) =>
  `${dossierId}|${new Date(dueAt).toISOString()}`;

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

    beforeAll(async () => {
      await sandbox.start();
      await sandbox.startServices();
    }, 240_000);

    afterAll(async () => {
      await sandbox.stop();
    }, 120_000);

    it("recovers with the figures equal to the simulator's count and every overdue alert sent once", async () => {
      const { scripts, overdueSeqs } = plan(options.seed);
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

      // No dossier lost, none counted twice: the statistics equal the driver's own count.
      const { want } = await expectStatisticsToMatch(sandbox.url("statistics"), report, 120_000);
      const received = want.reduce((s, u) => s + u.receivedOnline + u.receivedDirect + u.receivedPostal, 0);
      expect(received).toBeGreaterThan(scripts.length * 0.8);

      await checkOverdueAlerts(sandbox, report, overdueSeqs);
    });
  });
}

/**
 * Every open dossier past its due instant has its overdue alert, once in the monitor's table and
 * once on `sla.events` (one event id per dossier and deadline); the dossiers planned to stay open
 * and late are among them.
 */
async function checkOverdueAlerts(sandbox: Sandbox, report: DriveReport, overdueSeqs: Set<number>) {
  const planned = report.dossiers
    .filter((d) => overdueSeqs.has(d.seq) && d.dossierId !== null)
    .map((d) => d.dossierId as string);
  expect(planned.length).toBeGreaterThan(0);

  const db = await sandbox.sql();
  try {
    const alertsTable = async () => {
      const { rows } = await db.query<{ dossier_id: string; due_at: Date; n: number }>(
        `SELECT dossier_id, due_at, count(*)::int AS n FROM monitor.alerts
         WHERE kind = 'overdue' GROUP BY dossier_id, due_at`,
      );
      return rows;
    };
    const openLate = async () => {
      const { rows } = await db.query<{ id: string; due_at: Date }>(
        "SELECT id, due_at FROM monitor.dossiers WHERE status = 'open' AND due_at < now()",
      );
      return rows;
    };
    const unalerted = async () => {
      const alerted = new Set((await alertsTable()).map((a) => deadlineKey(a.dossier_id, a.due_at)));
      const late = await openLate();
      const lateIds = new Set(late.map((d) => d.id));
      return [
        ...planned.filter((id) => !lateIds.has(id)).map((id) => `${id} (planned late, not open and late)`),
        ...late
          .filter((d) => !alerted.has(deadlineKey(d.id, d.due_at)))
          .map((d) => deadlineKey(d.id, d.due_at)),
      ];
    };
    await waitUntil(
      "an overdue alert for every open dossier past its due instant",
      async () => (await unalerted()).length === 0,
      60_000,
      500,
    ).catch(() => {}); // the assertion below names the dossiers
    expect(await unalerted()).toEqual([]);
    const table = await alertsTable();
    expect(table.filter((a) => a.n !== 1)).toEqual([]);
    const tableKeys = table.map((a) => deadlineKey(a.dossier_id, a.due_at)).sort();
    const alertedDossiers = new Set(table.map((a) => a.dossier_id));
    expect(planned.filter((id) => !alertedDossiers.has(id))).toEqual([]);

    // On the topic: the same alerts, each with one event id (a republished record keeps its id).
    const onTopic = async () => {
      const ids = new Map<string, Set<string>>();
      for (const r of await sandbox.readTopic("sla.events")) {
        if (r.type !== "sla.overdue") continue;
        const deadline = r.payload.deadline as { dueAt: string };
        const key = deadlineKey(r.dossierId, deadline.dueAt);
        ids.set(key, (ids.get(key) ?? new Set()).add(r.id));
      }
      return ids;
    };
    const ids = await waitUntil(
      "every overdue alert on sla.events",
      async () => {
        const got = await onTopic();
        return tableKeys.every((k) => got.has(k)) ? got : undefined;
      },
      60_000,
      1_000,
    );
    expect([...ids.keys()].sort()).toEqual(tableKeys);
    expect([...ids].filter(([, set]) => set.size !== 1)).toEqual([]);
  } finally {
    await db.end();
  }
}
