import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { catalogRecord, type Delivery, eventRecord, type OutgoingRecord } from "@tthc/bus";
import { type AnyEvent, type CatalogRecord, createEvent, type EventType, eventTypes } from "@tthc/contracts";
import { migrate, withTransaction } from "@tthc/service-kit";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samples } from "../../../packages/contracts/test/fixtures.js";
import { type StatsInput, statsDecoder, statsHandler } from "../src/consumers/stats-consumer.js";
import { patchOf } from "../src/domain/patch.js";
import { recomputeAllDaily } from "../src/store/dossiers.js";
import { createRebuildTables, liveTables, rebuildTables, type Tables } from "../src/store/tables.js";
import { unitRecord } from "./fixtures/events.js";
import { CT, catalog, scriptedEvents, TP, VT } from "./fixtures/script.js";

/**
 * Every event statistics handles, and the catalogue's records, delivered again: in later runs (an
 * older copy after the newer events of its dossier, as the outbox relay may publish after a crash),
 * twice within one run, and the whole history again at once. Through the real handler and real
 * tables, no record of handled ids: each time every statistics table is the same, row for row.
 */

let env: TestEnv;
let offset = 0;

/** The event of `type` from the contract's samples, for another dossier, instant and payload. */
function sample(type: EventType, dossierId: string, occurredAt: string, payload: object = {}): AnyEvent {
  const s = samples[type] as { payload: object };
  return createEvent(type, { ...s, dossierId, occurredAt, payload: { ...s.payload, ...payload } } as never, {
    now: () => new Date(occurredAt),
  }) as AnyEvent;
}

const at = (local: string) => `${local}:00+07:00`;
const lateRuns = [
  {
    runNo: 1,
    stepId: "reception",
    unitCode: "H44.100",
    startedAt: at("2026-05-04T10:00"),
    endedAt: at("2026-05-04T14:00"),
    dueAt: at("2026-05-04T15:15"),
    budgetMinutes: 225,
    staffId: "staff-0042",
    late: false,
    overMinutes: 0,
  },
  {
    runNo: 2,
    stepId: "review",
    unitCode: "H44.07",
    startedAt: at("2026-05-04T14:00"),
    endedAt: at("2026-05-28T09:00"),
    dueAt: at("2026-05-27T15:15"),
    budgetMinutes: 5400,
    staffId: "staff-0107",
    late: true,
    overMinutes: 480,
  },
];

/**
 * A dossier through every lifecycle event, submitted online, sent to a department and back, paused
 * for a supplement, paying, extended, resolved late and returned; submissions refused and stopped;
 * a dossier withdrawn. Each event type statistics reads, in the order its producers publish them.
 */
function lifecycles(): AnyEvent[] {
  const x = randomUUID();
  const y = randomUUID();
  const z = randomUUID();
  const w = randomUUID();
  return [
    sample("dossier.submitted", x, at("2026-05-03T21:14")),
    sample("sla.acceptance-deadline-set", x, at("2026-05-03T21:14")),
    sample("dossier.submission-supplement-requested", x, at("2026-05-04T09:00")),
    sample("dossier.submission-supplement-received", x, at("2026-05-04T09:40")),
    sample("dossier.received", x, at("2026-05-04T10:00"), { channel: "online" }),
    sample("sla.acceptance-verdict", x, at("2026-05-04T10:00")),
    sample("sla.deadline-set", x, at("2026-05-04T10:00"), { sequence: 1, reason: "received" }),
    sample("dossier.assigned", x, at("2026-05-04T14:00")),
    sample("dossier.transferred", x, at("2026-05-05T09:00"), { fromUnitCode: "H44.100", toUnitCode: CT }),
    sample("dossier.supplement-requested", x, at("2026-05-12T10:00")),
    sample("sla.deadline-set", x, at("2026-05-12T10:00"), {
      sequence: 2,
      reason: "paused",
      paused: true,
      dueAt: null,
      dueSoonAt: null,
    }),
    sample("dossier.supplement-received", x, at("2026-05-19T10:00")),
    sample("sla.deadline-set", x, at("2026-05-19T10:00"), { sequence: 3 }),
    sample("dossier.payment-requested", x, at("2026-05-20T08:00")),
    sample("dossier.payment-received", x, at("2026-05-20T09:30")),
    sample("sla.due-soon", x, at("2026-05-26T10:00")),
    sample("dossier.extended", x, at("2026-05-27T09:00")),
    sample("sla.overdue", x, at("2026-05-27T15:15")),
    sample("dossier.transferred", x, at("2026-05-28T09:00"), { fromUnitCode: CT, toUnitCode: "H44.100" }),
    sample("dossier.resolved", x, at("2026-06-03T14:00"), { resolvedAt: at("2026-06-03T14:00") }),
    sample("sla.verdict", x, at("2026-06-03T14:00"), {
      verdict: "late",
      endedAt: at("2026-06-03T14:00"),
      effectiveEndAt: at("2026-06-03T14:00"),
      lateSince: at("2026-06-01T10:00"),
      unitAtFaultCode: CT,
      steps: lateRuns,
    }),
    sample("dossier.returned", x, at("2026-06-03T15:00")),
    sample("dossier.submitted", y, at("2026-05-03T21:14")),
    sample("dossier.submission-refused", y, at("2026-05-04T09:00")),
    sample("dossier.submitted", z, at("2026-05-03T21:14")),
    sample("dossier.submission-stopped", z, at("2026-05-05T09:00")),
    sample("dossier.received", w, at("2026-05-04T10:00")),
    sample("sla.deadline-set", w, at("2026-05-04T10:00"), { sequence: 1, reason: "received" }),
    sample("dossier.withdrawal-requested", w, at("2026-05-13T08:00")),
    sample("dossier.stopped", w, at("2026-05-13T09:00")),
    sample("sla.verdict", w, at("2026-05-13T09:00"), {
      sequence: 2,
      endKind: "stopped",
      endedAt: at("2026-05-13T09:00"),
      effectiveEndAt: at("2026-05-13T09:00"),
    }),
  ];
}

/** The catalogue: each unit, a procedure, a unit renamed in a second revision. */
function catalogue(): CatalogRecord[] {
  const renamed = unitRecord(TP, "Sở Tư pháp tỉnh Phú Thọ", "department", "H44");
  return [
    ...catalog(),
    {
      type: "procedure",
      version: 1,
      key: "procedure:2.000815",
      revision: 1,
      updatedAt: at("2026-07-01T08:00"),
      data: {
        code: "2.000815",
        name: "Cấp giấy phép kinh doanh",
        field: "Công Thương",
        statutoryTime: { amount: 10, unit: "days" },
        cutOff: null,
        supplementRule: "pause",
        maxSupplementRequests: null,
        steps: samples["dossier.received"].payload.steps,
        onlineServiceLevel: "full",
        active: true,
      },
    } as CatalogRecord,
    { ...renamed, revision: 2 },
  ];
}

/** A record as the bus hands it to the handler: decoded, with its id and a new offset each time. */
function deliver(r: OutgoingRecord): Delivery<StatsInput> {
  const value = Buffer.from(r.value);
  const decoded = statsDecoder.decode(value, r.key);
  if (!decoded.ok) throw new Error(decoded.error.message);
  offset += 1;
  return {
    value: decoded.value,
    id: statsDecoder.idOf(decoded.value),
    message: {
      topic: r.topic,
      partition: 0,
      offset: String(offset),
      key: r.key,
      value,
      headers: {},
      timestamp: "0",
    },
  };
}

const records = (): OutgoingRecord[] => [
  ...catalogue().map(catalogRecord),
  ...[...scriptedEvents(), ...lifecycles()].map((e) => eventRecord(e)),
];

/** Applies deliveries in runs of `size`, each run in its own transaction, as the bus does. */
async function applyRuns(
  records: OutgoingRecord[],
  size: number,
  tables: Tables,
  isLive = true,
): Promise<void> {
  const handle = statsHandler({ tables: () => tables, isLive: () => isLive });
  const deliveries = records.map(deliver);
  for (let i = 0; i < deliveries.length; i += size) {
    await withTransaction(env.pool, (tx) => handle(deliveries.slice(i, i + size), tx));
  }
}

async function dump(t: Tables) {
  const sql = (text: string) => env.pool.query(text).then((r) => r.rows);
  return {
    dossiers: await sql(`SELECT * FROM ${t.dossiers} ORDER BY dossier_id`),
    runs: await sql(`SELECT * FROM ${t.runs} ORDER BY dossier_id, run_no`),
    submissions: await sql(`SELECT * FROM ${t.submissions} ORDER BY dossier_id`),
    daily: await sql(
      `SELECT * FROM ${t.daily} ORDER BY attribution, unit_code, day, procedure_code, field, channel`,
    ),
    unitDaily: await sql(`SELECT * FROM ${t.unitDaily} ORDER BY attribution, unit_code, day`),
    units: await sql(`SELECT * FROM ${t.units} ORDER BY code`),
    procedures: await sql(`SELECT * FROM ${t.procedures} ORDER BY code`),
  };
}

let history: OutgoingRecord[];
let applied: Awaited<ReturnType<typeof dump>>;

beforeAll(async () => {
  env = await createTestEnv("statistics-idempotence");
  await migrate(env.pool, env.schema, fileURLToPath(new URL("../migrations", import.meta.url)));
  history = records();
  await applyRuns(history, 7, liveTables);
  applied = await dump(liveTables);
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
});

describe("the same event delivered again changes no statistics table", () => {
  it("the history holds every event type statistics reads, and the catalogue's kinds", () => {
    const types = new Set(history.filter((r) => r.topic !== "catalog").map((r) => JSON.parse(r.value).type));
    expect([...types].sort()).toEqual([...eventTypes].sort());
    const read = history
      .filter((r) => r.topic !== "catalog")
      .flatMap((r) => {
        const d = deliver(r).value;
        return d.kind === "event" && patchOf(d.event) ? [d.event.type] : [];
      });
    expect(new Set(read).size).toBeGreaterThanOrEqual(15);
    expect(
      new Set(history.filter((r) => r.topic === "catalog").map((r) => JSON.parse(r.value).type)),
    ).toEqual(new Set(["unit", "procedure"]));
  });

  it("the history counts what it should: transfers, late steps, submissions, the latest revision", async () => {
    const transfers = applied.dossiers.map((d) => d.transfers).sort();
    expect(transfers.filter((n) => n === 2)).toHaveLength(2); // c (script) and the lifecycle dossier
    expect(applied.daily.some((d) => d.late_steps > 0 && d.unit_code === CT)).toBe(true);
    expect(applied.submissions.map((s) => s.outcome).sort()).toEqual(
      expect.arrayContaining(["accepted", "refused", "stopped"]),
    );
    expect(applied.units.find((u) => u.code === TP)).toMatchObject({
      name: "Sở Tư pháp tỉnh Phú Thọ",
      revision: 2,
    });
    expect(applied.units.find((u) => u.code === VT)).toMatchObject({ revision: 1 });
  });

  it("every record again, oldest last, one at a time and in later runs", async () => {
    await applyRuns([...history].reverse(), 1, liveTables);
    expect(await dump(liveTables)).toEqual(applied);
    await applyRuns(history, 5, liveTables);
    expect(await dump(liveTables)).toEqual(applied);
  });

  it("the whole history again in one run, each record twice in it", async () => {
    await applyRuns(
      history.flatMap((r) => [r, r]),
      history.length * 2,
      liveTables,
    );
    expect(await dump(liveTables)).toEqual(applied);
  });

  it("into fresh tables, each record twice in its run, gives the same tables", async () => {
    await withTransaction(env.pool, (tx) => createRebuildTables(tx));
    await applyRuns(
      history.flatMap((r) => [r, r]),
      9,
      rebuildTables,
    );
    expect(await dump(rebuildTables)).toEqual(applied);
  });

  it("a rebuild (no daily sums while it reads, summed once at the end) gives the live figures", async () => {
    await withTransaction(env.pool, (tx) => createRebuildTables(tx));
    await applyRuns([...history, ...history.slice(0, 40)], 11, rebuildTables, false);
    expect((await dump(rebuildTables)).daily).toEqual([]);
    await withTransaction(env.pool, (tx) => recomputeAllDaily(tx, rebuildTables));
    expect(await dump(rebuildTables)).toEqual(applied);
    // and the live sums, kept by delta, are what a recomputation from the live rows gives
    await withTransaction(env.pool, (tx) => recomputeAllDaily(tx, liveTables));
    expect(await dump(liveTables)).toEqual(applied);
  });
});
