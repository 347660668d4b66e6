import { setTimeout as sleep } from "node:timers/promises";
import type { BusProducer } from "@tthc/bus";
import { toEpochMs } from "@tthc/calendar";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import {
  alertsOf,
  outboxCount,
  outboxEvents,
  producerFor,
  publish,
  received,
  resolved,
  submitted,
  supplementReceived,
  supplementRequested,
  UNIT,
} from "./fixtures.js";

let env: TestEnv;
let producer: BusProducer;
let first: RunningService<Config>;
let url: string;
/** The monitor's clock: Mon 16/11/2026 07:00, moved by hand; each test works on a later day. */
const clock = new ManualClock("2026-11-16T07:00:00+07:00");
const auth = tokenFor(UNIT, "leader");
const t = (local: string) => `${local}:00+07:00`;

async function partitionsOf(base: string): Promise<number> {
  const res = await fetch(`${base}/metrics`);
  const m = /^monitor_timer_partitions\S* (\d+)/m.exec(await res.text());
  return Number(m?.[1] ?? -1);
}

const clockOf = (id: string) =>
  waitUntil(`the clock of ${id}`, async () => {
    const res = await http(`${url}/v1/sla/${id}`, { headers: auth });
    return res.status === 200 && res.body.slaSequence > 0 ? res.body : undefined;
  });

/** Lets the timer loop look at the index once more (it is woken by every jump of the clock). */
const settle = () => sleep(1_500);

beforeAll(async () => {
  env = await createTestEnv("monitor");
  producer = producerFor(env);
  first = await buildService(service, { env: env.serviceEnv(), clock });
  url = await first.start();
  await waitUntil("partitions assigned", async () => (await partitionsOf(url)) === 12, 60_000);
});

afterAll(async () => {
  await first?.stop();
  await producer?.disconnect();
  await env?.cleanup();
});

describe("the deadline monitor on a clock moved by hand", () => {
  it("warns before the due instant, and flags the dossier overdue only once that instant has passed, once", async () => {
    clock.set(t("2026-11-16T09:00"));
    const r = received(t("2026-11-16T09:00"));
    await publish(producer, [r]);
    const sla = await clockOf(r.dossierId);
    // One working hour from 09:00; the warning comes with half of it left.
    expect(toEpochMs(sla.dueAt)).toBe(toEpochMs(t("2026-11-16T10:00")));
    expect(toEpochMs(sla.dueSoonAt)).toBe(toEpochMs(t("2026-11-16T09:30")));
    expect(sla.steps.map((s: { stepId: string; dueAt: string }) => [s.stepId, toEpochMs(s.dueAt)])).toEqual([
      ["reception", toEpochMs(t("2026-11-16T09:15"))],
    ]);

    clock.set(t("2026-11-16T09:30"));
    await waitUntil("due-soon", async () =>
      (await alertsOf(env, r.dossierId, "due-soon")).length === 1 ? true : undefined,
    );

    clock.set(t("2026-11-16T10:00"));
    await settle();
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(0);
    const atDue = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
    expect([atDue.body.overdue, atDue.body.dueSoon]).toEqual([false, true]);

    clock.set(toEpochMs(t("2026-11-16T10:00")) + 1);
    const [alert] = await waitUntil("overdue", async () => {
      const a = await alertsOf(env, r.dossierId, "overdue");
      return a.length > 0 ? a : undefined;
    });
    expect(alert?.due_at.getTime()).toBe(toEpochMs(t("2026-11-16T10:00")));
    expect(alert?.lag_ms).toBe(1);
    await settle();
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(1);
    expect(await outboxCount(env, r.dossierId, "sla.overdue")).toBe(1);
    expect(await outboxCount(env, r.dossierId, "sla.due-soon")).toBe(1);
    const after = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
    expect([after.body.overdue, after.body.dueSoon]).toEqual([true, false]);

    const live = await http(`${url}/v1/units/${UNIT}/live`, { headers: auth });
    expect(live.status).toBe(200);
    expect(live.body.overdue).toBeGreaterThanOrEqual(1);
  });

  it("never flags a dossier resolved in time, and judges it with each step run", async () => {
    clock.set(t("2026-11-17T09:00"));
    const r = received(t("2026-11-17T09:00"));
    await publish(producer, [r, resolved(r, t("2026-11-17T09:40"))]);
    await waitUntil("the verdict", async () => (await outboxCount(env, r.dossierId, "sla.verdict")) === 1);
    const { rows } = await env.pool.query("SELECT * FROM timers WHERE dossier_id = $1", [r.dossierId]);
    expect(rows).toHaveLength(0);
    clock.set(t("2026-11-17T11:00"));
    await settle();
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(0);
    const events = await outboxEvents(env, r.dossierId);
    expect(events.map((e) => [e.type, (e.payload as { sequence: number }).sequence])).toEqual([
      ["sla.deadline-set", 1],
      ["sla.verdict", 2],
    ]);
    const verdict = events[1]?.payload as { verdict: string; steps: { stepId: string; late: boolean }[] };
    // Resolved on the due day, before the due instant: on time (early needs a day before the due day).
    expect(verdict.verdict).toBe("on_time");
    // The reception step of 15 minutes ran 40: it was late, the dossier was not.
    expect(verdict.steps.map((s) => [s.stepId, s.late])).toEqual([["reception", true]]);
  });

  it("does not flag a dossier awaiting a supplement asked in time, and moves its due instant by the pause", async () => {
    clock.set(t("2026-11-18T09:00"));
    const r = received(t("2026-11-18T09:00"));
    await publish(producer, [r, supplementRequested(r, t("2026-11-18T09:40"))]);
    await waitUntil("paused", async () => {
      const res = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
      return res.status === 200 && res.body.paused === true ? true : undefined;
    });
    clock.set(t("2026-11-18T13:00"));
    await settle();
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(0);
    const paused = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
    expect([paused.body.dueAt, paused.body.overdue]).toEqual([null, false]);

    // Supplied at 14:00: the 20 minutes left run from then.
    await publish(producer, [supplementReceived(r, t("2026-11-18T09:40"), t("2026-11-18T14:00"))]);
    const sla = await waitUntil("resumed", async () => {
      const res = await http(`${url}/v1/sla/${r.dossierId}`, { headers: auth });
      return res.body.paused === false && res.body.dueAt ? res.body : undefined;
    });
    expect(toEpochMs(sla.dueAt)).toBe(toEpochMs(t("2026-11-18T14:20")));
    expect(sla.history.map((h: { event: string }) => h.event)).toEqual([
      "dossier.received",
      "dossier.supplement-requested",
      "dossier.supplement-received",
    ]);
    clock.set(t("2026-11-18T14:21"));
    const [alert] = await waitUntil("overdue after the pause", async () => {
      const a = await alertsOf(env, r.dossierId, "overdue");
      return a.length > 0 ? a : undefined;
    });
    expect(alert?.due_at.getTime()).toBe(toEpochMs(t("2026-11-18T14:20")));
    expect(await outboxCount(env, r.dossierId, "sla.deadline-set")).toBe(3);
  });

  it("keeps a dossier late when its supplement under the reset rule was asked after the due instant", async () => {
    clock.set(t("2026-11-19T09:00"));
    const r = received(t("2026-11-19T09:00"), { supplementRule: "reset" });
    await publish(producer, [
      r,
      supplementRequested(r, t("2026-11-19T10:30"), "reset"),
      supplementReceived(r, t("2026-11-19T10:30"), t("2026-11-19T14:00"), "reset"),
      resolved(r, t("2026-11-19T14:10")),
    ]);
    await waitUntil("the verdict", async () => (await outboxCount(env, r.dossierId, "sla.verdict")) === 1);
    const verdict = (await outboxEvents(env, r.dossierId)).find((e) => e.type === "sla.verdict")?.payload as {
      verdict: string;
      dueAt: string;
      lateSince: string;
    };
    expect(verdict.verdict).toBe("late");
    expect(toEpochMs(verdict.dueAt)).toBe(toEpochMs(t("2026-11-19T10:00")));
    expect(toEpochMs(verdict.lateSince)).toBe(toEpochMs(t("2026-11-19T10:00")));
  });

  it("keeps the centre's acceptance deadline of an online submission, alerts on it, and judges the acceptance", async () => {
    clock.set(t("2026-11-20T20:00"));
    const s = submitted(t("2026-11-20T20:00"));
    await publish(producer, [s]);
    const view = await waitUntil("the acceptance clock", async () => {
      const res = await http(`${url}/v1/sla/${s.dossierId}`, { headers: auth });
      return res.status === 200 ? res.body : undefined;
    });
    // Friday evening: 8 working hours from Monday's opening (4 in the morning, 3.5 in the afternoon).
    expect(toEpochMs(view.acceptance.dueAt)).toBe(toEpochMs(t("2026-11-24T08:00")));
    clock.set(toEpochMs(t("2026-11-24T08:00")) + 60_000);
    const [alert] = await waitUntil("acceptance overdue", async () => {
      const a = await alertsOf(env, s.dossierId, "overdue");
      return a.length > 0 ? a : undefined;
    });
    const payload = alert?.body.payload as { deadline: { kind: string }; dossierCode: string | null };
    expect(payload.deadline.kind).toBe("acceptance");
    expect(payload.dossierCode).toBeNull();

    clock.set(t("2026-11-24T09:00"));
    const accepted = received(t("2026-11-24T09:00"), {
      id: s.dossierId,
      channel: "online",
      submittedAt: t("2026-11-20T20:00"),
    });
    await publish(producer, [accepted]);
    await waitUntil("the acceptance verdict", async () =>
      (await outboxCount(env, s.dossierId, "sla.acceptance-verdict")) === 1 ? true : undefined,
    );
    const verdict = (await outboxEvents(env, s.dossierId)).find((e) => e.type === "sla.acceptance-verdict")
      ?.payload as { verdict: string; outcome: string };
    expect(verdict).toMatchObject({ outcome: "accepted", verdict: "late" });
    // The dossier's own clock starts at the acceptance, whole.
    const sla = await clockOf(s.dossierId);
    expect(toEpochMs(sla.dueAt)).toBe(toEpochMs(t("2026-11-24T10:00")));
    expect(sla.overdue).toBe(false);
  });

  it("shares the partitions between two instances that together send each alert once", async () => {
    const second = await buildService(service, { env: env.serviceEnv(), clock });
    const url2 = await second.start();
    try {
      await waitUntil(
        "both instances own partitions",
        async () => {
          const [a, b] = [await partitionsOf(url), await partitionsOf(url2)];
          return a > 0 && b > 0 && a + b === 12;
        },
        60_000,
      );
      clock.set(t("2026-11-25T09:00"));
      const batch = Array.from({ length: 24 }, () => received(t("2026-11-25T09:00")));
      await publish(producer, batch);
      const ids = batch.map((e) => e.dossierId);
      await waitUntil(
        "24 clocks",
        async () => {
          const { rows } = await env.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM dossiers WHERE id = ANY($1::uuid[])",
            [ids],
          );
          return rows[0]?.n === 24;
        },
        60_000,
      );
      clock.set(t("2026-11-25T10:30"));
      await waitUntil(
        "24 overdue alerts",
        async () => {
          const { rows } = await env.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM alerts WHERE kind = 'overdue' AND dossier_id = ANY($1::uuid[])",
            [ids],
          );
          return rows[0]?.n === 24;
        },
        60_000,
      );
      await settle();
      const { rows } = await env.pool.query<{ n: number; d: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT key)::int AS d FROM bus_outbox
         WHERE value::jsonb->>'type' = 'sla.overdue' AND key = ANY($1::text[])`,
        [ids],
      );
      expect(rows[0]).toEqual({ n: 24, d: 24 });
    } finally {
      await second.stop();
    }
  });
});
