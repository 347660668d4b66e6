import { setTimeout as sleep } from "node:timers/promises";
import type { BusProducer } from "@tthc/bus";
import { toEpochMs } from "@tthc/calendar";
import type { AnyEvent, CatalogRecord, Unit } from "@tthc/contracts";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import {
  alertsOf,
  later,
  producerFor,
  publish,
  received,
  resolved,
  supplementRequested,
  UNIT,
} from "./fixtures.js";
import { type Receiver, receiver } from "./receivers.js";

/** The province, its one-stop centre, and the commune-level ward the dossiers are received at. */
const PROVINCE = "H44";
const CENTRE = "H44.90";

let env: TestEnv;
let producer: BusProducer;
let monitor: RunningService<Config>;
let url: string;
let hook: Receiver;
/** Mon 16/11/2026 07:00; each test works on a later day. */
const clock = new ManualClock("2026-11-16T07:00:00+07:00");
const t = (local: string) => `${local}:00+07:00`;
const centreLeader = tokenFor(CENTRE, "leader");

const unitRecord = (code: string, level: Unit["level"], parentCode: string | null): CatalogRecord => ({
  type: "unit",
  version: 1,
  key: `unit:${code}`,
  revision: 1,
  updatedAt: "2026-11-01T00:00:00+07:00",
  data: {
    code,
    name: `Đơn vị ${code}`,
    level,
    parentCode,
    electronicId: `000.00.${code.split(".")[1] ?? "00"}.H44`,
    workingSessions: null,
    active: true,
  },
});

/** The escalation alerts of a dossier: kind, the unit each went to, how many of each. */
async function escalations(dossierId: string): Promise<[string, string][]> {
  const { rows } = await env.pool.query<{ kind: string; unit_code: string }>(
    "SELECT kind, unit_code FROM alerts WHERE dossier_id = $1 AND kind LIKE 'escalation-%' ORDER BY id",
    [dossierId],
  );
  return rows.map((r) => [r.kind, r.unit_code]);
}

const escalationTimers = async (dossierId: string) =>
  (
    await env.pool.query<{ kind: string }>(
      "SELECT kind FROM timers WHERE dossier_id = $1 AND kind LIKE 'escalation-%' ORDER BY kind",
      [dossierId],
    )
  ).rows.map((r) => r.kind);

const untilEscalated = (dossierId: string, n: number) =>
  waitUntil(
    `${n} escalation steps of ${dossierId}`,
    async () => ((await escalations(dossierId)).length >= n ? true : undefined),
    30_000,
  );

const kept = (dossierId: string) =>
  waitUntil(`the clock of ${dossierId}`, async () =>
    (await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1", [dossierId])).rowCount === 1
      ? true
      : undefined,
  );

/** Lets the timer loop look at the index again (it is woken by every jump of the clock). */
const settle = () => sleep(1_500);

/** The `event:` names an SSE stream of the monitor sent, until `until` is among them. */
async function streamedKinds(
  unit: string,
  headers: Record<string, string>,
  until: string,
): Promise<string[]> {
  const ac = new AbortController();
  const res = await fetch(`${url}/v1/alerts/stream?unit=${unit}&after=0`, { headers, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const timer = setTimeout(() => ac.abort(), 30_000);
  try {
    while (!text.includes(`event: ${until}\n`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1] as string);
}

beforeAll(async () => {
  env = await createTestEnv("monitor-escalation");
  producer = producerFor(env);
  hook = await receiver();
  monitor = await buildService(service, {
    clock,
    env: env.serviceEnv({
      // Two working hours a step: the parent two hours past the due instant, the centre four.
      ESCALATION_AFTER_WORKING_HOURS: "2",
      WEBHOOK_ALLOWED_TARGETS: `127.0.0.1:${hook.port}`,
    }),
  });
  url = await monitor.start();
  const units = [
    unitRecord(PROVINCE, "province", null),
    unitRecord(CENTRE, "provincial-centre", PROVINCE),
    unitRecord(UNIT, "ward", PROVINCE),
  ];
  await producer.send(
    "catalog",
    units.map((r) => ({ key: r.key, value: JSON.stringify(r) })),
  );
  await waitUntil(
    "the catalogue's units kept",
    async () =>
      ((await env.pool.query("SELECT 1 FROM catalog_records WHERE type = 'unit'")).rowCount ?? 0) >= 3
        ? true
        : undefined,
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await monitor?.stop();
  await producer?.disconnect();
  await hook?.close();
  await env?.cleanup();
});

describe("the escalation of a dossier that stays overdue", () => {
  it("goes up the chain one step at a time, each step once, to the unit it goes to", async () => {
    const register = await http(`${url}/v1/webhooks`, {
      headers: centreLeader,
      body: { url: hook.url, kinds: ["escalation-unit", "escalation-parent", "escalation-centre"] },
    });
    expect(register.status).toBe(201);

    clock.set(t("2026-11-17T09:00"));
    const r = received(t("2026-11-17T09:00"));
    const assigned = later(r, "dossier.assigned", t("2026-11-17T09:05"), {
      stepId: "reception",
      assigneeStaffId: "canbo.01",
      assigneeName: null,
      previousAssigneeStaffId: null,
    });
    await publish(producer, [r, assigned]);
    await waitUntil("the assignee kept", async () =>
      (await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1 AND assignee = 'canbo.01'", [r.dossierId]))
        .rowCount === 1
        ? true
        : undefined,
    );

    // Due at 10:00. At the due instant itself, within time: nothing.
    clock.set(t("2026-11-17T10:00"));
    await settle();
    expect(await escalations(r.dossierId)).toEqual([]);

    // Overdue: the assignee and the ward's leader, with the overdue alert.
    clock.set(toEpochMs(t("2026-11-17T10:00")) + 1);
    await untilEscalated(r.dossierId, 1);
    expect(await alertsOf(env, r.dossierId, "overdue")).toHaveLength(1);
    const [first] = await alertsOf(env, r.dossierId, "escalation-unit");
    expect(first?.body).toMatchObject({
      level: 1,
      unitCode: UNIT,
      holdingUnitCode: UNIT,
      recipients: [
        { role: "assignee", staffId: "canbo.01", unitCode: UNIT },
        { role: "leader", staffId: null, unitCode: UNIT },
      ],
    });
    expect(await escalationTimers(r.dossierId)).toEqual(["escalation-parent"]);

    // Two working hours overdue: 10:00 + 1h30 to the noon break, + 30 min from 13:30 = 14:00.
    clock.set(t("2026-11-17T13:59"));
    await settle();
    expect(await escalations(r.dossierId)).toHaveLength(1);
    clock.set(t("2026-11-17T14:00"));
    await untilEscalated(r.dossierId, 2);

    // A relay copy of the events (same ids, new offsets) changes nothing: the chain goes on.
    await publish(producer, [r, assigned]);
    await settle();
    expect(await escalations(r.dossierId)).toEqual([
      ["escalation-unit", UNIT],
      ["escalation-parent", PROVINCE],
    ]);
    expect(await escalationTimers(r.dossierId)).toEqual(["escalation-centre"]);

    // A new event that keeps the promised date (a reassignment) clears the timers and puts the
    // first step back: it fires again, raises nothing, and the chain is where it was.
    await publish(producer, [
      later(r, "dossier.assigned", t("2026-11-17T14:30"), {
        stepId: "reception",
        assigneeStaffId: "canbo.02",
        assigneeName: null,
        previousAssigneeStaffId: "canbo.01",
      }),
    ]);
    await waitUntil("the new assignee kept", async () =>
      (await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1 AND assignee = 'canbo.02'", [r.dossierId]))
        .rowCount === 1
        ? true
        : undefined,
    );
    await waitUntil("the chain back where it was", async () =>
      (await escalationTimers(r.dossierId)).join() === "escalation-centre" ? true : undefined,
    );
    expect(await escalations(r.dossierId)).toHaveLength(2);

    // Four working hours overdue: 16:00, the province's one-stop centre.
    clock.set(t("2026-11-17T15:59"));
    await settle();
    expect(await escalations(r.dossierId)).toHaveLength(2);
    clock.set(t("2026-11-17T16:00"));
    await untilEscalated(r.dossierId, 3);

    // Days later, still overdue: no step again, no timer left.
    clock.set(t("2026-11-20T16:00"));
    await settle();
    expect(await escalations(r.dossierId)).toEqual([
      ["escalation-unit", UNIT],
      ["escalation-parent", PROVINCE],
      ["escalation-centre", CENTRE],
    ]);
    expect(await escalationTimers(r.dossierId)).toEqual([]);
    const [centreStep] = await alertsOf(env, r.dossierId, "escalation-centre");
    expect(centreStep?.body).toMatchObject({ level: 3, recipients: [{ role: "leader", unitCode: CENTRE }] });

    // The centre's stream and webhook get the centre's step, and nothing of the steps below it.
    const streamed = await streamedKinds(CENTRE, centreLeader, "escalation-centre");
    expect(streamed.filter((k) => k.startsWith("escalation-"))).toEqual(["escalation-centre"]);
    const delivered = await waitUntil(
      "the centre's webhook called",
      () => {
        const got = hook.got.filter((d) => d.body.includes(r.dossierId));
        return got.length > 0 ? got : undefined;
      },
      30_000,
    );
    await sleep(500);
    expect(hook.got.filter((d) => d.body.includes(r.dossierId))).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.body ?? "{}")).toMatchObject({
      alert: { type: "escalation-centre", unitCode: CENTRE, dossierId: r.dossierId },
    });
    const list = await http(`${url}/v1/alerts?unit=${PROVINCE}`, { headers: tokenFor(PROVINCE, "leader") });
    expect(list.status).toBe(200);
    expect(
      (list.body.items as { kind: string; dossierId: string; unitCode: string }[])
        .filter((a) => a.dossierId === r.dossierId && a.kind.startsWith("escalation-"))
        .map((a) => [a.kind, a.unitCode]),
    ).toEqual([
      ["escalation-unit", UNIT],
      ["escalation-parent", PROVINCE],
      ["escalation-centre", CENTRE],
    ]);
  });

  it("stops at the resolution: no step after it", async () => {
    clock.set(t("2026-11-23T09:00"));
    const r = received(t("2026-11-23T09:00"));
    await publish(producer, [r]);
    await kept(r.dossierId);
    clock.set(toEpochMs(t("2026-11-23T10:00")) + 1);
    await untilEscalated(r.dossierId, 1);
    clock.set(t("2026-11-23T11:00"));
    await publish(producer, [resolved(r, t("2026-11-23T11:00"))]);
    await waitUntil("the dossier closed", async () =>
      (await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1 AND status = 'closed'", [r.dossierId]))
        .rowCount === 1
        ? true
        : undefined,
    );
    expect(await escalationTimers(r.dossierId)).toEqual([]);
    clock.set(t("2026-11-25T16:00"));
    await settle();
    expect(await escalations(r.dossierId)).toEqual([["escalation-unit", UNIT]]);
  });

  it("stops at an extension; the new promised date has a chain of its own once it passes", async () => {
    clock.set(t("2026-11-26T09:00"));
    const r = received(t("2026-11-26T09:00"));
    await publish(producer, [r]);
    await kept(r.dossierId);
    clock.set(toEpochMs(t("2026-11-26T10:00")) + 1);
    await untilEscalated(r.dossierId, 1);
    const extended: AnyEvent = later(r, "dossier.extended", t("2026-11-26T10:30"), {
      previousDueAt: t("2026-11-26T10:00"),
      newDueAt: t("2026-11-27T10:00"),
      reason: "Cần xác minh thêm",
      faultUnitCode: UNIT,
      apologyLetterRef: null,
    });
    clock.set(t("2026-11-26T10:30"));
    await publish(producer, [extended]);
    await waitUntil("the new promised date", async () =>
      (
        await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1 AND promised_at = $2", [
          r.dossierId,
          new Date(t("2026-11-27T10:00")),
        ])
      ).rowCount === 1
        ? true
        : undefined,
    );
    // Past the old date's parent and centre instants (14:00, 16:00): nothing more.
    clock.set(t("2026-11-26T16:30"));
    await settle();
    expect(await escalations(r.dossierId)).toEqual([["escalation-unit", UNIT]]);
    // The new promised date passes: a chain of its own, its first step once.
    clock.set(toEpochMs(t("2026-11-27T10:00")) + 1);
    await untilEscalated(r.dossierId, 2);
    const { rows } = await env.pool.query<{ due_at: Date }>(
      "SELECT due_at FROM alerts WHERE dossier_id = $1 AND kind = 'escalation-unit' ORDER BY id",
      [r.dossierId],
    );
    expect(rows.map((x) => x.due_at.getTime())).toEqual([
      toEpochMs(t("2026-11-26T10:00")),
      toEpochMs(t("2026-11-27T10:00")),
    ]);
  });

  it("stops at a pause (a supplement asked once overdue): no step while it lasts", async () => {
    clock.set(t("2026-11-30T09:00"));
    const r = received(t("2026-11-30T09:00"));
    await publish(producer, [r]);
    await kept(r.dossierId);
    clock.set(toEpochMs(t("2026-11-30T10:00")) + 1);
    await untilEscalated(r.dossierId, 1);
    clock.set(t("2026-11-30T10:30"));
    await publish(producer, [supplementRequested(r, t("2026-11-30T10:30"))]);
    await waitUntil("the dossier paused", async () =>
      (await env.pool.query("SELECT 1 FROM dossiers WHERE id = $1 AND status = 'paused'", [r.dossierId]))
        .rowCount === 1
        ? true
        : undefined,
    );
    expect(await escalationTimers(r.dossierId)).toEqual([]);
    clock.set(t("2026-12-01T16:30"));
    await settle();
    expect(await escalations(r.dossierId)).toEqual([["escalation-unit", UNIT]]);
  });
});
