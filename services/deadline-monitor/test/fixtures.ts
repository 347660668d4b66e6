import { randomUUID } from "node:crypto";
import { BusProducer } from "@tthc/bus";
import { formatIsoLocal, toEpochMs } from "@tthc/calendar";
import { type AnyEvent, createEvent, type StatutoryTime } from "@tthc/contracts";
import type { TestEnv } from "@tthc/testkit";

/** A commune with the default sessions (Mon–Fri 07:30–11:30, 13:30–17:00) and the shipped 2026 calendar. */
export const UNIT = "H44.101";
/** The department a transferred step goes to. */
export const DEPARTMENT = "H44.04";

const iso = (at: number | string) => formatIsoLocal(typeof at === "number" ? at : toEpochMs(at));

let seq = 0;

export interface ReceivedOptions {
  id?: string;
  statutory?: StatutoryTime;
  supplementRule?: "pause" | "reset";
  channel?: "direct" | "online";
  submittedAt?: string;
}

/**
 * A dossier received at `at` (an instant with its offset): two steps of the commune, then a
 * department's review, by default one working hour in all.
 */
export function received(at: string, o: ReceivedOptions = {}): AnyEvent {
  const id = o.id ?? randomUUID();
  seq++;
  const statutory = o.statutory ?? { amount: 1, unit: "hours" };
  const hours = statutory.unit === "hours" ? statutory.amount : statutory.amount * 7.5;
  return createEvent("dossier.received", {
    dossierId: id,
    unitCode: UNIT,
    correlationId: `test-${id}`,
    occurredAt: iso(at),
    payload: {
      dossierCode: `000.00.101.H44-261116-${String(seq).padStart(4, "0")}`,
      procedureCode: "1.001234",
      procedureName: "Test procedure",
      field: "Test",
      channel: o.channel ?? "direct",
      receivingUnitCode: UNIT,
      submittedAt: iso(o.submittedAt ?? at),
      receivedAt: iso(at),
      clockStartsAt: iso(at),
      dueAt: iso(toEpochMs(at) + hours * 3_600_000),
      statutoryTime: statutory,
      cutOff: null,
      supplementRule: o.supplementRule ?? "pause",
      maxSupplementRequests: null,
      steps: [
        {
          id: "reception",
          name: "Tiếp nhận",
          unitRole: "receiving",
          unitCode: UNIT,
          budget: { amount: hours * 0.25, unit: "hours" },
        },
        {
          id: "review",
          name: "Thẩm định",
          unitRole: "handling",
          unitCode: UNIT,
          budget: { amount: hours * 0.5, unit: "hours" },
        },
        {
          id: "approval",
          name: "Phê duyệt",
          unitRole: "deciding",
          unitCode: UNIT,
          budget: { amount: hours * 0.25, unit: "hours" },
        },
      ],
      onlineServiceLevel: null,
      requestedReturnChannel: null,
      procedureRevision: 1,
    },
  });
}

export function later(base: AnyEvent, type: string, at: string, payload: Record<string, unknown>): AnyEvent {
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

export const resolved = (base: AnyEvent, at: string) =>
  later(base, "dossier.resolved", at, {
    outcome: "approved",
    resolvedAt: iso(at),
    refusalReasons: [],
    decisionRef: null,
    electronicResult: true,
  });

export const supplementRequested = (base: AnyEvent, at: string, rule: "pause" | "reset" = "pause") =>
  later(base, "dossier.supplement-requested", at, {
    requestNumber: 1,
    missingItems: ["Bản sao giấy tờ"],
    reason: "Thiếu giấy tờ",
    supplementRule: rule,
    stepId: "review",
    supplyBy: null,
  });

export const supplementReceived = (
  base: AnyEvent,
  requestedAt: string,
  at: string,
  rule: "pause" | "reset" = "pause",
) =>
  later(base, "dossier.supplement-received", at, {
    requestNumber: 1,
    requestedAt: iso(requestedAt),
    suppliedAt: iso(at),
    supplementRule: rule,
    stepId: "review",
  });

export const transferred = (base: AnyEvent, at: string, from: string, to: string, toUnitCode = UNIT) =>
  later(base, "dossier.transferred", at, {
    fromStepId: from,
    toStepId: to,
    fromUnitCode: UNIT,
    toUnitCode,
    assigneeStaffId: null,
    note: null,
  });

/** An online submission to the commune at `at`, awaiting acceptance. */
export function submitted(at: string, id = randomUUID()): AnyEvent {
  return createEvent("dossier.submitted", {
    dossierId: id,
    unitCode: UNIT,
    correlationId: `test-${id}`,
    occurredAt: iso(at),
    payload: {
      procedureCode: "1.001234",
      submittedAt: iso(at),
      portalRef: null,
      field: "Test",
      channel: "online",
      onlineServiceLevel: "full",
      acceptanceTime: { amount: 8, unit: "hours" },
    },
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

/** The sla events in the outbox for a dossier, in order. */
export async function outboxEvents(env: TestEnv, dossierId: string): Promise<AnyEvent[]> {
  const { rows } = await env.pool.query<{ value: string }>(
    "SELECT value FROM bus_outbox WHERE key = $1 AND topic = 'sla.events' ORDER BY id",
    [dossierId],
  );
  return rows.map((r) => JSON.parse(r.value) as AnyEvent);
}

export async function alertsOf(env: TestEnv, dossierId: string, kind: string) {
  const { rows } = await env.pool.query<{
    id: string;
    lag_ms: number;
    due_at: Date;
    raised_at: Date;
    body: AnyEvent;
  }>("SELECT id::text, lag_ms, due_at, raised_at, body FROM alerts WHERE dossier_id = $1 AND kind = $2", [
    dossierId,
    kind,
  ]);
  return rows;
}

/** Waits for the monitor's clock of a dossier, then moves the test's clock just past its due instant. */
export async function passDueInstant(
  env: TestEnv,
  clock: { nowMs(): number; set(at: number): void },
  dossierId: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await env.pool.query<{ due_at: Date | null }>(
      "SELECT due_at FROM dossiers WHERE id = $1",
      [dossierId],
    );
    const due = rows[0]?.due_at?.getTime();
    if (due !== undefined) {
      if (clock.nowMs() <= due) clock.set(due + 1);
      return;
    }
    if (Date.now() > deadline) throw new Error(`the monitor never kept a clock for ${dossierId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
