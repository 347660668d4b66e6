import { randomUUID } from "node:crypto";
import { type AnyEvent, type CurrentEvent, createEvent } from "@tthc/contracts";
import { ManualClock } from "@tthc/service-kit";
import type { TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogCache } from "../../src/catalog-cache.js";
import { dossierEventsHandler } from "../../src/consumers/dossier-events.js";
import {
  DEPARTMENT,
  received,
  resolved,
  submitted,
  supplementReceived,
  supplementRequested,
  transferred,
  UNIT,
} from "../fixtures.js";
import { applyRuns, chunks, deliveries, dump, monitorSchema } from "./runs.js";

/** Every table the handler writes. */
const TABLES = [
  "dossiers",
  "submissions",
  "timers",
  "verdicts",
  "alerts",
  "webhook_deliveries",
  "bus_outbox",
];
const t = (local: string) => `2026-11-${local}:00+07:00`;

const submissionEvent = (id: string, type: string, at: string, payload: Record<string, unknown>) =>
  createEvent(
    type as "dossier.submitted",
    {
      dossierId: id,
      unitCode: UNIT,
      correlationId: `test-${id}`,
      occurredAt: at,
      payload: { procedureCode: "1.001234", ...payload },
    } as never,
  ) as AnyEvent;

/**
 * A morning's partition: an online submission asked for a supplement, accepted, moved to the
 * department, paused and resumed, decided in time; a direct dossier paused; one moved and still
 * open; one decided late; one submission still awaiting acceptance. The dossiers' events interleave.
 */
function partition(): AnyEvent[] {
  const online = randomUUID();
  const s = submitted(t("16T09:00"), online);
  const askS = submissionEvent(online, "dossier.submission-supplement-requested", t("16T10:00"), {
    submittedAt: t("16T09:00"),
    portalRef: null,
    requestNumber: 1,
    missingItems: ["Bản sao"],
    reason: "Thiếu",
    supplyBy: null,
  });
  const suppliedS = submissionEvent(online, "dossier.submission-supplement-received", t("17T08:00"), {
    requestNumber: 1,
    requestedAt: t("16T10:00"),
    suppliedAt: t("17T08:00"),
  });
  const a = received(t("17T09:00"), {
    id: online,
    channel: "online",
    submittedAt: t("16T09:00"),
    statutory: { amount: 3, unit: "days" },
  });
  const b = received(t("16T08:00"), { statutory: { amount: 3, unit: "days" } });
  const c = received(t("16T08:30"), { statutory: { amount: 2, unit: "days" } });
  const late = received(t("16T08:00"));
  const waiting = submitted(t("17T10:00"));
  return [
    s,
    b,
    c,
    late,
    askS,
    supplementRequested(b, t("16T09:00")),
    transferred(c, t("16T09:30"), "reception", "review", DEPARTMENT),
    suppliedS,
    a,
    waiting,
    transferred(a, t("17T10:00"), "reception", "review", DEPARTMENT),
    supplementRequested(a, t("17T11:00")),
    supplementReceived(a, t("17T11:00"), t("17T14:00")),
    transferred(a, t("17T15:00"), "review", "approval"),
    resolved(late, t("19T10:00")),
    resolved(a, t("18T10:00")),
  ];
}

function handlerFor(env: TestEnv) {
  return dossierEventsHandler({
    catalog: new CatalogCache(env.pool),
    clock: new ManualClock("2026-11-19T11:00:00+07:00"),
    rule: { share: null },
    // One late of two resolved in November: below it, the unit's rate alert.
    rateThreshold: 0.9,
    onTimersChanged: () => {},
  });
}

const WEBHOOK = randomUUID();

async function withWebhook(env: TestEnv) {
  await env.pool.query(
    `INSERT INTO webhooks (id, url, secret, unit_code, kinds)
     VALUES ($1, 'https://hooks.example.test/alerts', 'whsec_test', $2, ARRAY['on-time-rate-below', 'overdue'])`,
    [WEBHOOK, UNIT],
  );
}

describe("the monitor's dossier events handler, fed copies of what it already folded", () => {
  let env: TestEnv;
  let twin: TestEnv;
  const history = partition() as CurrentEvent[];

  beforeAll(async () => {
    env = await monitorSchema("monitor-dossier-copies");
    twin = await monitorSchema("monitor-dossier-copies-twin");
    await withWebhook(env);
    await withWebhook(twin);
    await applyRuns(env.pool, handlerFor(env), chunks(deliveries(history), 5));
  });

  afterAll(async () => {
    await env?.cleanup();
    await twin?.cleanup();
  });

  it("the history wrote what the rest compares against: clocks, timers, SLA events, verdicts, the rate alert", async () => {
    const d = await dump(env.pool, TABLES);
    expect(d.dossiers).toHaveLength(4);
    expect(d.submissions).toHaveLength(2);
    // c open (due-soon, overdue and the escalation's first step), the waiting submission (acceptance
    // timers); b paused, a and late closed.
    expect(d.timers).toHaveLength(5);
    expect(d.verdicts).toHaveLength(2);
    expect(d.alerts).toHaveLength(1);
    expect(d.webhook_deliveries).toHaveLength(1);
    const types = (d.bus_outbox as { value: { type: string } }[]).map((r) => r.value.type);
    expect(types.filter((x) => x === "sla.verdict")).toHaveLength(2);
    expect(types.filter((x) => x === "sla.acceptance-verdict")).toHaveLength(1);
    // a: received, moved, paused, resumed, moved; b: received, paused; c: received, moved; late: received.
    expect(types.filter((x) => x === "sla.deadline-set")).toHaveLength(10);
    expect(types.filter((x) => x === "sla.acceptance-deadline-set")).toHaveLength(4);
  });

  it("the whole history again in one run changes no row of any table it writes", async () => {
    const before = await dump(env.pool, TABLES);
    await applyRuns(env.pool, handlerFor(env), [deliveries(history)]);
    expect(await dump(env.pool, TABLES)).toEqual(before);
  });

  it("each event again in a run of its own, the newest first, changes nothing either", async () => {
    const before = await dump(env.pool, TABLES);
    const copies = deliveries([...history].reverse());
    await applyRuns(
      env.pool,
      handlerFor(env),
      copies.map((c) => [c]),
    );
    expect(await dump(env.pool, TABLES)).toEqual(before);
  });

  it("copies inside the runs that carry the originals (twice in a row, and older after newer) write what the history alone wrote", async () => {
    const runs = chunks(history, 5).map((run, i, all) => [
      ...run.flatMap((e) => [e, e]),
      ...(all[i - 1] ?? []),
      ...run,
    ]);
    await applyRuns(
      twin.pool,
      handlerFor(twin),
      runs.map((r) => deliveries(r)),
    );
    expect(await dump(twin.pool, TABLES)).toEqual(await dump(env.pool, TABLES));
  });
});
