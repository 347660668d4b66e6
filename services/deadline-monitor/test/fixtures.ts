import { randomUUID } from "node:crypto";
import { BusProducer, catalogRecord } from "@tthc/bus";
import { formatIsoLocal } from "@tthc/calendar";
import { type AnyEvent, createEvent } from "@tthc/contracts";
import type { TestEnv } from "@tthc/testkit";

export const UNIT = "H44.100";
/** 0.05 working hours: three minutes on a calendar made of whole days. */
export const STATUTORY_MS = 3 * 60_000;

const iso = (ms: number) => formatIsoLocal(ms);

/** A unit working every day, all day, and a calendar of this year with no day off: the test's own time. */
export async function publishTestCatalog(producer: BusProducer): Promise<void> {
  const year = Number(iso(Date.now()).slice(0, 4));
  const records = [
    catalogRecord({
      type: "calendar",
      version: 1,
      key: `calendar:${year}`,
      revision: 1,
      updatedAt: iso(Date.now()),
      data: {
        year,
        version: 99,
        effectiveFrom: `${year}-01-01T00:00:00+07:00`,
        source: "Test calendar: no day off",
        daysOff: [],
        workingDays: [],
      },
    }),
    catalogRecord({
      type: "unit",
      version: 1,
      key: `unit:${UNIT}`,
      revision: 1,
      updatedAt: iso(Date.now()),
      data: {
        code: UNIT,
        name: "Phường Việt Trì (test hours)",
        level: "ward",
        parentCode: "H44",
        electronicId: "000.00.01.H44",
        workingSessions: {
          sessions: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], from: "00:00", to: "23:59" }],
          makeUpDaysAreWorking: true,
        },
        active: true,
      },
    }),
  ];
  await producer.send(
    "catalog",
    records.map((r) => ({ key: r.key, value: r.value })),
  );
}

let seq = 0;

/** A dossier received so that its three minutes end `dueInMs` from now. */
export function received(dueInMs: number, id = randomUUID()): AnyEvent {
  const receivedAt = Math.floor((Date.now() + dueInMs - STATUTORY_MS) / 1000) * 1000;
  seq++;
  return createEvent("dossier.received", {
    dossierId: id,
    unitCode: UNIT,
    correlationId: `test-${id}`,
    occurredAt: iso(receivedAt),
    payload: {
      dossierCode: `000.00.01.H44-260101-${String(seq).padStart(4, "0")}`,
      procedureCode: "1.001234",
      procedureName: "Test procedure of three minutes",
      field: "Test",
      channel: "direct",
      receivingUnitCode: UNIT,
      submittedAt: iso(receivedAt),
      receivedAt: iso(receivedAt),
      clockStartsAt: iso(receivedAt),
      dueAt: iso(receivedAt + STATUTORY_MS),
      statutoryTime: { amount: 0.05, unit: "hours" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: null,
      steps: [
        {
          id: "reception",
          name: "Tiếp nhận",
          unitRole: "receiving",
          unitCode: UNIT,
          budget: { amount: 0.01, unit: "hours" },
        },
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: UNIT,
          budget: { amount: 0.04, unit: "hours" },
        },
      ],
      onlineServiceLevel: null,
      requestedReturnChannel: null,
      procedureRevision: 1,
    },
  } as never) as AnyEvent;
}

export function later(base: AnyEvent, type: string, at: number, payload: Record<string, unknown>): AnyEvent {
  const code = (base.payload as { dossierCode: string }).dossierCode;
  return createEvent(
    type as "dossier.resolved",
    {
      dossierId: base.dossierId,
      unitCode: UNIT,
      correlationId: base.correlationId,
      occurredAt: iso(at),
      payload: { dossierCode: code, ...payload },
    } as never,
  ) as AnyEvent;
}

export function resolved(base: AnyEvent, at: number): AnyEvent {
  return later(base, "dossier.resolved", at, {
    outcome: "approved",
    resolvedAt: iso(at),
    refusalReasons: [],
    decisionRef: null,
    electronicResult: true,
  });
}

export function supplementRequested(base: AnyEvent, at: number): AnyEvent {
  return later(base, "dossier.supplement-requested", at, {
    requestNumber: 1,
    missingItems: ["Bản sao giấy tờ"],
    reason: "Thiếu giấy tờ",
    supplementRule: "pause",
    stepId: "review",
    supplyBy: null,
  });
}

export function supplementReceived(base: AnyEvent, requestedAt: number, at: number): AnyEvent {
  return later(base, "dossier.supplement-received", at, {
    requestNumber: 1,
    requestedAt: iso(requestedAt),
    suppliedAt: iso(at),
    supplementRule: "pause",
    stepId: "review",
  });
}

export async function publish(producer: BusProducer, events: AnyEvent[]): Promise<void> {
  await producer.send(
    "dossier.events",
    events.map((e) => ({ key: e.dossierId, value: JSON.stringify(e) })),
  );
}

export function producerFor(env: TestEnv): BusProducer {
  return new BusProducer(env.bus);
}

/** sla events in the outbox for a dossier, by type. */
export async function outboxCount(env: TestEnv, dossierId: string, type: string): Promise<number> {
  const { rows } = await env.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM bus_outbox WHERE key = $1 AND value::jsonb->>'type' = $2",
    [dossierId, type],
  );
  return rows[0]?.n ?? 0;
}

export async function alertsOf(env: TestEnv, dossierId: string, kind: string) {
  const { rows } = await env.pool.query<{ id: string; lag_ms: number; due_at: Date; raised_at: Date }>(
    "SELECT id::text, lag_ms, due_at, raised_at FROM alerts WHERE dossier_id = $1 AND kind = $2",
    [dossierId, kind],
  );
  return rows;
}
