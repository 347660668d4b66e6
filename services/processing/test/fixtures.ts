import { randomUUID } from "node:crypto";
import { BusProducer, catalogRecord, eventRecord } from "@tthc/bus";
import { type AnyEvent, createEvent, type DossierStep, formatInstant } from "@tthc/contracts";
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

/** A `dossier.received` as intake would publish it, received `ageDays` ago and due `dueInDays` from now. */
export function received(
  options: {
    steps?: DossierStep[];
    supplementRule?: "pause" | "reset";
    maxSupplementRequests?: number | null;
    ageDays?: number;
    dueInDays?: number;
  } = {},
): AnyEvent {
  const now = Date.now();
  const receivedAt = formatInstant(new Date(now - (options.ageDays ?? 0.1) * DAY));
  seq += 1;
  return createEvent("dossier.received", {
    dossierId: randomUUID(),
    unitCode: "H44.100",
    correlationId: `fixture-${seq}`,
    occurredAt: receivedAt,
    actor: { staffId: "reception@H44.100", unitCode: "H44.100" },
    payload: {
      dossierCode: `000.00.01.H44-260504-${String(seq).padStart(4, "0")}`,
      procedureCode: "2.000815",
      procedureName: "Cấp giấy phép kinh doanh",
      field: "Công Thương",
      channel: "online",
      receivingUnitCode: "H44.100",
      submittedAt: receivedAt,
      receivedAt,
      clockStartsAt: receivedAt,
      dueAt: formatInstant(new Date(now + (options.dueInDays ?? 20) * DAY)),
      statutoryTime: { amount: 10, unit: "days" },
      cutOff: null,
      supplementRule: options.supplementRule ?? "pause",
      maxSupplementRequests:
        options.maxSupplementRequests === undefined ? null : options.maxSupplementRequests,
      steps: options.steps ?? oneUnitSteps,
      onlineServiceLevel: "full",
      requestedReturnChannel: "counter",
      procedureRevision: 1,
    },
  });
}

export async function publish(env: TestEnv, events: AnyEvent[]): Promise<void> {
  const producer = new BusProducer(env.bus);
  try {
    await producer.send(
      "dossier.events",
      events.map((e) => {
        const r = eventRecord(e);
        return { key: r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}) };
      }),
    );
  } finally {
    await producer.disconnect();
  }
}

/** A unit that works two hours a weekday: its step deadlines differ from the default sessions' at once. */
export const SHORT_HOURS_UNIT = "H44.08";
export const SHORT_HOURS = {
  sessions: [{ weekdays: [1, 2, 3, 4, 5], from: "07:00", to: "09:00" }],
  makeUpDaysAreWorking: true,
};

/** The catalogue: the units the tests use, and the procedure with its verify step's unit left open. */
export async function publishCatalog(env: TestEnv): Promise<void> {
  const producer = new BusProducer(env.bus);
  const updatedAt = formatInstant(new Date());
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
