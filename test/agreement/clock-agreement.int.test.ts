/**
 * One legal clock that every service and every figure agrees on (docs/domain.md, "One owner of the
 * clock"). A month of the province, from Monday 20/04/2026 to Tuesday 19/05/2026 (Saturdays, the
 * Giỗ Tổ and 30/4–1/5 holidays), is acted out through the four services on one manual clock:
 * online and counter receptions, supplements under the pause and the reset rules before and after
 * the due instant, payments, transfers between units, extensions, withdrawals and stops. At several
 * instants the world stops and, for every dossier, processing's `GET /v1/dossiers/:id`, the
 * monitor's `GET /v1/sla/:id` and the statistics' dossier list must agree on the due instant, each
 * step's deadline and unit, overdue, due soon and the verdict. At the end the statistics' figures
 * must equal a recomputation from the raw topics by a reader written here from the text.
 *
 * AGREEMENT_DOSSIERS sets the number of dossiers (default 5,000).
 */
import { BusConsumer, outboxPending } from "@tthc/bus";
import { ManualClock } from "@tthc/service-kit";
import { type DriveReport, loadProvince, ProvinceDriver, planPeriod } from "@tthc/simulator";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FourServices, startFourServices } from "../support/four-services.js";
import { countsOf, factsOf, type RawRecord, ratesOf, type UnitCounts } from "./recompute.js";

const FIRST_DAY = "2026-04-20";
const DAYS = 30;
const END = "2026-05-20T00:00:00+07:00";
const DOSSIERS = Number(process.env.AGREEMENT_DOSSIERS ?? 5_000);
/**
 * Arrivals a working day: the month has 19 working days, and its weekends and holidays bring
 * online submissions of their own (about a sixth more), so that the month holds DOSSIERS.
 */
const PER_WORKING_DAY = Math.ceil(DOSSIERS / 22);

/**
 * The instants at which every dossier is compared: a weekday a minute before the end of the
 * working day, a Saturday of the Giỗ Tổ block, the morning after the 30/4–1/5 holidays at 07:29,
 * and the month's last working day at 17:00.
 */
const CHECKPOINTS = [
  "2026-04-24T16:59:00+07:00",
  "2026-04-25T10:00:00+07:00",
  "2026-05-04T07:29:00+07:00",
  "2026-05-19T17:00:00+07:00",
].map((s) => Date.parse(s));

const admin = tokenFor("H44", "admin");
let env: TestEnv;
let services: FourServices;
const clock = new ManualClock(`${FIRST_DAY}T00:00:00+07:00`);

beforeAll(async () => {
  env = await createTestEnv("agreement");
  services = await startFourServices(env, { clock });
}, 180_000);

afterAll(async () => {
  await services?.stop();
  await env?.cleanup();
});

/** Nothing left in flight: every outbox sent, every consumer group at the end of its topics. */
async function quiet(): Promise<void> {
  const groups: [string, string[]][] = [
    ["processing-dossiers", ["dossier.events", "sla.events"]],
    ["deadline-monitor", ["dossier.events"]],
    ["statistics-g1", ["dossier.events", "sla.events"]],
    ["intake-dossier-status", ["dossier.events", "sla.events"]],
  ];
  const settled = async () => {
    for (const schema of Object.values(services.schemas)) {
      if ((await outboxPending(env.pool, schema)) !== 0) return false;
    }
    for (const [group, topics] of groups) {
      for (const topic of topics) {
        const lag = await env.admin.groupLag(env.bus.topic(group), env.bus.topic(topic));
        if (lag.some((p) => p.lag > 0)) return false;
      }
    }
    return true;
  };
  // Twice in a row: an event the monitor consumed last may have put one more in its outbox.
  await waitUntil(
    "every service caught up",
    async () => ((await settled()) && (await settled()) ? true : undefined),
    300_000,
    250,
  );
}

interface Shown {
  dueAt: number | null;
  dueSoonAt: number | null;
  overdue: boolean;
  dueSoon: boolean;
  verdict: string | null;
  steps: string;
  sequence: number | null;
}

const instant = (v: unknown) => (v === null || v === undefined ? null : Date.parse(String(v)));
const steps = (list: { runNo: number; stepId: string; unitCode: string; dueAt: string | null }[]) =>
  list.map((s) => `${s.runNo}:${s.stepId}@${s.unitCode}→${instant(s.dueAt)}`).join(" ");

async function pages(url: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res = await http(`${url}&limit=5000${cursor ? `&cursor=${cursor}` : ""}`, { headers: admin });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** Runs `fn` over the items, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** What each of the three services shows of every dossier at the clock's instant. */
async function compareAt(at: number): Promise<{ dossiers: number; differ: string[] }> {
  await quiet();
  const { rows } = await env.pool.query<{ id: string }>(
    `SELECT id FROM "${services.schemas.monitor}".dossiers`,
  );
  const day = new Date(at + 7 * 3_600_000).toISOString().slice(0, 10);
  const listed = await pages(
    `${services.urls.statistics}/v1/stats/dossiers?from=${FIRST_DAY}&to=${day}&figure=handled`,
  );
  const statistics = new Map<string, Shown>(
    listed.map((d) => [
      String(d.dossierId),
      {
        dueAt: instant(d.dueAt),
        dueSoonAt: instant(d.dueSoonAt),
        overdue: d.overdue === true,
        dueSoon: d.dueSoon === true,
        verdict: (d.verdict as string | null) ?? null,
        steps: steps(d.steps as never),
        sequence: (d.slaSequence as number | null) ?? null,
      },
    ]),
  );
  const differ: string[] = [];
  await eachLimited(rows, 16, async ({ id }) => {
    const [p, m] = await Promise.all([
      http(`${services.urls.processing}/v1/dossiers/${id}`, { headers: admin }),
      http(`${services.urls.monitor}/v1/sla/${id}`, { headers: admin }),
    ]);
    const shown: Record<string, Shown | undefined> = {
      processing:
        p.status === 200
          ? {
              dueAt: instant(p.body.dueAt),
              dueSoonAt: instant(p.body.dueSoonAt),
              overdue: p.body.overdue,
              dueSoon: p.body.dueSoon,
              verdict: p.body.verdict?.verdict ?? null,
              steps: steps(p.body.stepRuns),
              sequence: p.body.slaSequence,
            }
          : undefined,
      monitor:
        m.status === 200
          ? {
              dueAt: instant(m.body.dueAt),
              dueSoonAt: instant(m.body.dueSoonAt),
              overdue: m.body.overdue,
              dueSoon: m.body.dueSoon,
              verdict: m.body.verdict?.verdict ?? null,
              steps: steps(m.body.steps),
              sequence: m.body.slaSequence,
            }
          : undefined,
      statistics: statistics.get(id),
    };
    const want = JSON.stringify(shown.monitor);
    for (const [service, s] of Object.entries(shown)) {
      if (JSON.stringify(s) !== want) differ.push(`${id} ${service}: ${JSON.stringify(s)} ≠ monitor ${want}`);
    }
  });
  return { dossiers: rows.length, differ };
}

/** Every record of a topic of the test's world, from the beginning. */
async function readTopic(topic: string): Promise<RawRecord[]> {
  const ends = await env.admin.endOffsetsSum(topic);
  const out: RawRecord[] = [];
  const consumer = new BusConsumer(env.bus, { groupId: `agreement-reader-${topic}`, topics: [topic] });
  await consumer.start(async (batch) => {
    for (const m of batch.messages) if (m.value) out.push(JSON.parse(m.value.toString()) as RawRecord);
    return batch.messages.at(-1)?.offset;
  });
  await waitUntil(`all of ${topic}`, async () => (out.length >= ends ? true : undefined), 120_000);
  await consumer.stop();
  return out;
}

describe("a month of the province on one manual clock", () => {
  let report: DriveReport;
  const compared: { at: string; dossiers: number; differ: string[] }[] = [];

  beforeAll(async () => {
    const scripts = planPeriod(loadProvince(), {
      seed: 20260420,
      firstDate: FIRST_DAY,
      days: DAYS,
      dossiersPerDay: PER_WORKING_DAY,
      shares: { supplement: 0.1, supplementAfterDue: 0.3, payment: 0.06, late: 0.05 },
    });
    const pending = [...CHECKPOINTS];
    const started = Date.now();
    report = await new ProvinceDriver({
      intakeUrl: services.urls.intake,
      processingUrl: services.urls.processing,
      runId: `agreement-${env.id}`,
      clock,
      until: END,
      concurrency: 32,
      grainMs: Number(process.env.AGREEMENT_GRAIN_MINUTES ?? 60) * 60_000,
      beforeReach: async (next) => {
        while (pending.length > 0 && (pending[0] as number) <= next) {
          const at = pending.shift() as number;
          if (at > clock.nowMs()) clock.set(at);
          const result = await compareAt(clock.nowMs());
          compared.push({ at: new Date(at).toISOString(), ...result });
        }
      },
    }).run(scripts);
    for (const at of pending) {
      clock.set(Math.max(at, clock.nowMs()));
      compared.push({ at: new Date(at).toISOString(), ...(await compareAt(clock.nowMs())) });
    }
    console.info(
      `agreement: ${scripts.length} dossiers, ${report.dossiers.reduce((n, d) => n + d.actions.length, 0)} requests in ${Math.round((Date.now() - started) / 1000)} s; compared at ${compared.map((c) => `${c.at} (${c.dossiers})`).join(", ")}`,
    );
  }, 3_600_000);

  it("acts out at least 5,000 dossiers with every kind of story, and every request gets through", () => {
    expect(report.failures).toEqual([]);
    const received = report.dossiers.filter((d) => d.dossierId !== null && d.receivedAt !== null);
    expect(report.dossiers.length).toBeGreaterThanOrEqual(DOSSIERS);
    expect(received.length).toBeGreaterThanOrEqual(DOSSIERS * 0.9);
    const has = (what: string, n: number) => expect(n, what).toBeGreaterThan(0);
    has("online", received.filter((d) => d.channel === "online").length);
    has("at the counter", received.filter((d) => d.channel === "direct").length);
    const saturday = (iso: string | null) =>
      iso !== null && new Date(Date.parse(iso) + 7 * 3_600_000).getUTCDay() === 6;
    has(
      "arrived on a Saturday",
      received.filter((d) => saturday(d.submittedAt) || saturday(d.receivedAt)).length,
    );
    has("supplements", report.dossiers.filter((d) => d.supplements > 0).length);
    has("supplements after the due instant", report.dossiers.filter((d) => d.supplementsAfterDue > 0).length);
    has("payments", report.dossiers.filter((d) => d.payments > 0).length);
    has("transfers between units", report.dossiers.filter((d) => d.transfers > 0).length);
    has("extensions", report.dossiers.filter((d) => d.extension === "granted").length);
    has("withdrawals", report.dossiers.filter((d) => d.stopReason === "withdrawn").length);
    has("stops", report.dossiers.filter((d) => d.stopReason !== null && d.stopReason !== "withdrawn").length);
    has("late", report.dossiers.filter((d) => d.resolvedAfterDue === true).length);
  });

  it("shows every dossier the same in processing, the monitor and the statistics at every instant compared", () => {
    expect(compared.map((c) => c.at)).toEqual(CHECKPOINTS.map((c) => new Date(c).toISOString()));
    for (const c of compared) {
      expect(c.dossiers, c.at).toBeGreaterThan(0);
      expect(c.differ.slice(0, 10), `${c.at}: ${c.differ.length} differences`).toEqual([]);
    }
  });

  it("gives figures equal to a recomputation from the raw topics, by competent unit and by receiving centre", async () => {
    await quiet();
    const records = [...(await readTopic("dossier.events")), ...(await readTopic("sla.events"))];
    const facts = factsOf(records);
    const at = clock.nowMs();
    const halves = [
      { from: FIRST_DAY, to: "2026-05-04" },
      { from: "2026-05-05", to: "2026-05-19" },
    ];
    for (const { from, to } of halves) {
      const start = Date.parse(`${from}T00:00:00+07:00`);
      const end = Date.parse(`${to}T00:00:00+07:00`) + 86_400_000;
      for (const attribution of ["competent", "receiving"] as const) {
        const want = countsOf(facts, { start, end, at: Math.min(end, at) }, attribution);
        const res = await http(
          `${services.urls.statistics}/v1/stats/units?from=${from}&to=${to}&attribution=${attribution}`,
        );
        expect(res.status).toBe(200);
        const got = new Map<string, Record<string, unknown>>(
          res.body.units.map((u: { unitCode: string; figures: Record<string, unknown> }) => [
            u.unitCode,
            u.figures,
          ]),
        );
        const keys = Object.keys(want.values().next().value ?? {}) as (keyof UnitCounts)[];
        const differ: string[] = [];
        for (const [unit, counts] of want) {
          const f = got.get(unit) ?? {};
          for (const k of keys)
            if ((f[k] ?? 0) !== counts[k]) differ.push(`${unit} ${k}: ${f[k]} ≠ ${counts[k]}`);
          const rates = ratesOf(counts);
          for (const [k, v] of Object.entries(rates)) {
            const g = f[k] as number | null | undefined;
            if ((g ?? null) === null ? v !== null : v === null || Math.abs((g as number) - v) > 0.01)
              differ.push(`${unit} ${k}: ${g} ≠ ${v}`);
          }
        }
        // A unit the statistics show with anything counted must be one the topics count too.
        for (const [unit, f] of got) {
          const any = Number(f.received ?? 0) + Number(f.carriedOver ?? 0) + Number(f.lateSteps ?? 0);
          if (any > 0 && !want.has(unit)) differ.push(`${unit}: counted by statistics only`);
        }
        expect(differ.slice(0, 20), `${from}–${to} by ${attribution}: ${differ.length} differences`).toEqual(
          [],
        );
      }
    }
  });
});
