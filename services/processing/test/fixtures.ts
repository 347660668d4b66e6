import { randomUUID } from "node:crypto";
import { BusProducer, catalogRecord, eventRecord } from "@tthc/bus";
import {
  type AnyEvent,
  competentUnitOf,
  createEvent,
  type DossierStep,
  type EventOf,
  formatInstant,
  type SlaDeadlineSetPayload,
  type SlaVerdictPayload,
  type StepRunDeadline,
} from "@tthc/contracts";
import type { TestEnv } from "@tthc/testkit";

const DAY = 86_400_000;

export const threeUnitSteps: DossierStep[] = [
  {
    id: "receive",
    name: "Tiếp nhận",
    unitRole: "receiving",
    unitCode: "H44.100",
    budget: { amount: 0.5, unit: "days" },
  },
  {
    id: "review",
    name: "Thẩm định",
    unitRole: "handling",
    unitCode: "H44.07",
    budget: { amount: 5, unit: "days" },
  },
  {
    id: "verify",
    name: "Xác minh",
    unitRole: "coordinating",
    unitCode: "H44.05",
    budget: { amount: 3, unit: "days" },
  },
  {
    id: "approve",
    name: "Phê duyệt",
    unitRole: "deciding",
    unitCode: "H44.05",
    budget: { amount: 1.5, unit: "days" },
  },
];

export const oneUnitSteps: DossierStep[] = [
  {
    id: "receive",
    name: "Tiếp nhận",
    unitRole: "receiving",
    unitCode: "H44.100",
    budget: { amount: 1, unit: "hours" },
  },
  {
    id: "review",
    name: "Thẩm định",
    unitRole: "handling",
    unitCode: "H44.100",
    budget: { amount: 1, unit: "days" },
  },
  {
    id: "approve",
    name: "Phê duyệt",
    unitRole: "deciding",
    unitCode: "H44.100",
    budget: { amount: 1, unit: "days" },
  },
];

let seq = 0;

/**
 * A `dossier.received` as intake would publish it, received `ageDays` before `now` (the test's
 * clock) and due on the receipt `dueInDays` after it (or at `dueAt`).
 */
export function received(
  now: Date,
  options: {
    steps?: DossierStep[];
    supplementRule?: "pause" | "reset";
    maxSupplementRequests?: number | null;
    ageDays?: number;
    dueInDays?: number;
    dueAt?: string;
    receivingUnitCode?: string;
    dossierId?: string;
  } = {},
): EventOf<"dossier.received"> {
  const at = now.getTime();
  const receivedAt = formatInstant(new Date(at - (options.ageDays ?? 0) * DAY));
  const unit = options.receivingUnitCode ?? "H44.100";
  seq += 1;
  return createEvent(
    "dossier.received",
    {
      dossierId: options.dossierId ?? randomUUID(),
      unitCode: unit,
      correlationId: `fixture-${seq}`,
      occurredAt: receivedAt,
      actor: { staffId: `reception@${unit}`, unitCode: unit },
      payload: {
        dossierCode: `000.00.01.H44-260504-${String(seq).padStart(4, "0")}`,
        procedureCode: "2.000815",
        procedureName: "Cấp giấy phép kinh doanh",
        field: "Công Thương",
        channel: "online",
        receivingUnitCode: unit,
        submittedAt: receivedAt,
        receivedAt,
        clockStartsAt: receivedAt,
        dueAt: options.dueAt ?? formatInstant(new Date(at + (options.dueInDays ?? 20) * DAY)),
        statutoryTime: { amount: 10, unit: "days" },
        cutOff: null,
        supplementRule: options.supplementRule ?? "pause",
        maxSupplementRequests:
          options.maxSupplementRequests === undefined ? null : options.maxSupplementRequests,
        steps: (options.steps ?? oneUnitSteps).map((s, i) => (i === 0 ? { ...s, unitCode: unit } : s)),
        onlineServiceLevel: "full",
        requestedReturnChannel: "counter",
        procedureRevision: 1,
      },
    },
    { now: () => now },
  );
}

async function send(env: TestEnv, topic: string, events: AnyEvent[], key?: string): Promise<void> {
  const producer = new BusProducer(env.bus);
  try {
    await producer.send(
      topic,
      events.map((e) => {
        const r = eventRecord(e);
        return { key: key ?? r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}) };
      }),
    );
  } finally {
    await producer.disconnect();
  }
}

export async function publish(env: TestEnv, events: AnyEvent[]): Promise<void> {
  await send(env, "dossier.events", events);
}

/** Publishes on `topic` under another dossier's key: on that dossier's partition, after what is there. */
export async function publishOnPartitionOf(
  env: TestEnv,
  topic: "dossier.events" | "sla.events",
  dossierId: string,
  events: AnyEvent[],
): Promise<void> {
  await send(env, topic, events, dossierId);
}

/** Publishes on `sla.events` as the deadline monitor would. */
export async function publishSla(env: TestEnv, events: AnyEvent[]): Promise<void> {
  await send(env, "sla.events", events);
}

/** A run of a step as the monitor publishes it. */
export function monitorRun(
  over: Partial<StepRunDeadline> & Pick<StepRunDeadline, "startedAt">,
): StepRunDeadline {
  return {
    runNo: 1,
    stepId: "receive",
    unitCode: "H44.100",
    endedAt: null,
    dueAt: null,
    budgetMinutes: 60,
    staffId: null,
    late: false,
    overMinutes: 0,
    ...over,
  };
}

/** An `sla.deadline-set` v2 for a received dossier, as the monitor would publish it at `now`. */
export function deadlineSet(
  dossier: EventOf<"dossier.received">,
  now: Date,
  fields: Partial<SlaDeadlineSetPayload> & Pick<SlaDeadlineSetPayload, "sequence">,
): AnyEvent {
  const p = dossier.payload;
  return createEvent(
    "sla.deadline-set",
    {
      dossierId: dossier.dossierId,
      unitCode: p.receivingUnitCode,
      correlationId: dossier.correlationId,
      payload: {
        dossierCode: p.dossierCode,
        reason: "received",
        explanation: null,
        receivingUnitCode: p.receivingUnitCode,
        competentUnitCode: competentUnitOf(p.steps, p.receivingUnitCode),
        holdingUnitCode: p.receivingUnitCode,
        clockBasis: "acceptance",
        clockStartsAt: p.clockStartsAt,
        dueAt: p.dueAt,
        dueSoonAt: null,
        previousDueAt: null,
        paused: false,
        lateSince: null,
        promisedAt: null,
        statutoryMinutes: 4500,
        pausedMinutes: 0,
        steps: [monitorRun({ unitCode: p.receivingUnitCode, startedAt: p.receivedAt })],
        calendarVersions: [{ year: 2026, version: 2 }],
        ...fields,
      },
    },
    { now: () => now },
  );
}

/** An `sla.verdict` v2 for a finished dossier, as the monitor would publish it at `now`. */
export function slaVerdict(
  dossier: EventOf<"dossier.received">,
  now: Date,
  fields: Partial<SlaVerdictPayload> & Pick<SlaVerdictPayload, "sequence" | "verdict" | "steps">,
): AnyEvent {
  const p = dossier.payload;
  const end = formatInstant(now);
  return createEvent(
    "sla.verdict",
    {
      dossierId: dossier.dossierId,
      unitCode: p.receivingUnitCode,
      correlationId: dossier.correlationId,
      payload: {
        dossierCode: p.dossierCode,
        receivingUnitCode: p.receivingUnitCode,
        competentUnitCode: competentUnitOf(p.steps, p.receivingUnitCode),
        endKind: "resolved",
        endedAt: end,
        effectiveEndAt: end,
        dueAt: p.dueAt,
        usedMinutes: 100,
        statutoryMinutes: 4500,
        pausedMinutes: 0,
        unitAtFaultCode: null,
        reason: "Resolved",
        secondSupplement: false,
        lateSince: null,
        extendedDueAt: null,
        extensionPromiseKept: null,
        ...fields,
      },
    },
    { now: () => now },
  );
}

/** A unit that works two hours a weekday: its step deadlines differ from the default sessions' at once. */
export const SHORT_HOURS_UNIT = "H44.08";
export const SHORT_HOURS = {
  sessions: [{ weekdays: [1, 2, 3, 4, 5], from: "07:00", to: "09:00" }],
  makeUpDaysAreWorking: true,
};

/** The catalogue: the units the tests use, and the procedure with its verify step's unit left open. */
export async function publishCatalog(env: TestEnv, now: Date): Promise<void> {
  const producer = new BusProducer(env.bus);
  const updatedAt = formatInstant(now);
  const units = ["H44.100", "H44.07", "H44.05", "H44.06", "H44.90", SHORT_HOURS_UNIT].map((code) =>
    catalogRecord({
      type: "unit",
      version: 1,
      key: `unit:${code}`,
      revision: 1,
      updatedAt,
      data: {
        code,
        name: `Đơn vị ${code}`,
        level: code === "H44.100" ? "ward" : "department",
        parentCode: "H44",
        electronicId: "000.00.01.H44",
        workingSessions: code === SHORT_HOURS_UNIT ? SHORT_HOURS : null,
        active: true,
      },
    }),
  );
  const procedure = catalogRecord({
    type: "procedure",
    version: 1,
    key: "procedure:2.000815",
    revision: 1,
    updatedAt,
    data: {
      code: "2.000815",
      name: "Cấp giấy phép kinh doanh",
      field: "Công Thương",
      statutoryTime: { amount: 10, unit: "days" },
      cutOff: null,
      supplementRule: "pause",
      maxSupplementRequests: null,
      steps: threeUnitSteps.map((s) => ({ ...s, unitCode: s.id === "receive" ? null : s.unitCode })),
      onlineServiceLevel: "full",
      active: true,
    },
  });
  try {
    await producer.send(
      "catalog",
      [...units, procedure].map((r) => ({ key: r.key, value: r.value })),
    );
  } finally {
    await producer.disconnect();
  }
}

/** A lifecycle event of a received dossier, as processing's action would publish it at `at`. */
export function lifecycle(
  dossier: EventOf<"dossier.received">,
  type:
    | "dossier.assigned"
    | "dossier.transferred"
    | "dossier.supplement-requested"
    | "dossier.supplement-received"
    | "dossier.resolved"
    | "dossier.returned",
  at: Date,
  payload: Record<string, unknown>,
): AnyEvent {
  const unit = dossier.payload.receivingUnitCode;
  return createEvent(
    type,
    {
      dossierId: dossier.dossierId,
      unitCode: unit,
      correlationId: dossier.correlationId,
      occurredAt: formatInstant(at),
      actor: { staffId: `cv@${unit}`, unitCode: unit },
      payload: { dossierCode: dossier.payload.dossierCode, ...payload },
    } as never,
    { now: () => at },
  ) as AnyEvent;
}

/**
 * A dossier's life in processing's events: received, assigned, moved to review, a supplement asked
 * and supplied, approved and returned, one hour apart from `start`.
 */
export function history(start: Date): { received: EventOf<"dossier.received">; events: AnyEvent[] } {
  const r = received(start, { steps: oneUnitSteps });
  const at = (h: number) => new Date(start.getTime() + h * 3_600_000);
  const unit = r.payload.receivingUnitCode;
  const events = [
    r,
    lifecycle(r, "dossier.assigned", at(1), {
      stepId: "receive",
      assigneeStaffId: `cv@${unit}`,
      assigneeName: null,
      previousAssigneeStaffId: null,
    }),
    lifecycle(r, "dossier.transferred", at(2), {
      fromStepId: "receive",
      toStepId: "review",
      fromUnitCode: unit,
      toUnitCode: unit,
      assigneeStaffId: `cv@${unit}`,
      note: null,
    }),
    lifecycle(r, "dossier.supplement-requested", at(3), {
      requestNumber: 1,
      missingItems: ["Bản sao giấy tờ"],
      reason: "Thiếu giấy tờ",
      supplementRule: "pause",
      stepId: "review",
      supplyBy: null,
    }),
    lifecycle(r, "dossier.supplement-received", at(4), {
      requestNumber: 1,
      requestedAt: formatInstant(at(3)),
      suppliedAt: formatInstant(at(4)),
      supplementRule: "pause",
      stepId: "review",
    }),
    lifecycle(r, "dossier.resolved", at(5), {
      outcome: "approved",
      resolvedAt: formatInstant(at(5)),
      refusalReasons: [],
      decisionRef: null,
      electronicResult: true,
    }),
    lifecycle(r, "dossier.returned", at(6), { returnChannel: "counter", returnedAt: formatInstant(at(6)) }),
  ];
  return { received: r, events };
}
