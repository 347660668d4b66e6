import { fileURLToPath } from "node:url";
import type { Delivery } from "@tthc/bus";
import { type CurrentEvent, createEvent } from "@tthc/contracts";
import { migrate, withTransaction } from "@tthc/service-kit";
import { createTestEnv, type TestEnv } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDossierEvents } from "../src/consumers/dossier-status.js";
import { at, codeOf, history } from "./dossier-history.js";
import { UNIT } from "./fixtures.js";

/**
 * The status consumer against intake's real tables: a history applied, then copies of its events
 * (the outbox relay publishing again after a crash: same id, a later offset) in the same call and in
 * later calls, in any order. The copies change no row.
 */
let env: TestEnv;
let offset = 0;

const A = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a01";
const B = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a02";
const C = "0f8a4b7e-1d2c-4e5f-8a9b-0c1d2e3f4a03";

beforeAll(async () => {
  env = await createTestEnv("intake-status");
  await migrate(env.pool, env.schema, fileURLToPath(new URL("../migrations", import.meta.url)));
  for (const id of [A, B, C]) {
    await env.pool.query(
      `INSERT INTO dossiers (id, code, channel, procedure_code, receiving_unit_code, handling_unit_code,
         submitted_at, received_at, clock_starts_at, due_at, applicant, receipt, received_by, state_changed_at)
       VALUES ($1, $2, 'direct', '9.000002', $3, $3, $4, $4, $4, $5, '{}', '{}', 'staff-1', $4)`,
      [id, codeOf(id), UNIT, "2026-11-10T10:00:00+07:00", "2026-11-24T10:00:00+07:00"],
    );
  }
});
afterAll(async () => {
  await env?.cleanup();
});

function deliveries(events: CurrentEvent[]): Delivery<CurrentEvent>[] {
  return events.map((value) => ({
    value,
    id: value.id,
    message: {
      topic: value.type.startsWith("sla.") ? "sla.events" : "dossier.events",
      partition: 0,
      offset: String(offset++),
      key: value.dossierId,
      value: null,
      headers: {},
      timestamp: "0",
    },
  }));
}

const apply = (events: CurrentEvent[]) =>
  withTransaction(env.pool, (tx) => applyDossierEvents(deliveries(events), tx));

async function table(): Promise<Record<string, unknown>[]> {
  const { rows } = await env.pool.query("SELECT * FROM dossiers ORDER BY id");
  return rows;
}

async function row(id: string) {
  const { rows } = await env.pool.query<{
    state: string;
    handling_unit_code: string;
    state_changed_at: Date;
    due_at: Date;
    sla_sequence: number;
  }>("SELECT state, handling_unit_code, state_changed_at, due_at, sla_sequence FROM dossiers WHERE id = $1", [
    id,
  ]);
  return rows[0];
}

describe("the public lookup's state from dossier.events and sla.events", () => {
  const historyA = history(A);
  const historyB = history(B);
  const historyC = history(C);

  it("applies a history: the last event's state, the transfer's unit, the highest deadline", async () => {
    // A one event per call, B in one call, C with every event twice in the same call.
    for (const e of historyA) await apply([e]);
    await apply(historyB);
    await apply([...historyC, ...historyC]);
    const expected = {
      state: "processing",
      handling_unit_code: "H44.04",
      state_changed_at: new Date(at("08:00", "12")),
      due_at: new Date(at("10:00", "26")),
      sla_sequence: 2,
    };
    expect(await row(A)).toEqual(expected);
    expect(await row(B)).toEqual(expected);
    expect(await row(C)).toEqual(expected);
  });

  it("changes nothing when the events come again, in the same call or later, in any order", async () => {
    const before = await table();
    const requested = historyA[3] as CurrentEvent;
    // The copy of the supplement request carries the very instant of the state it would undo.
    await apply([requested]);
    expect(await table()).toEqual(before);
    await apply([...historyA].reverse());
    expect(await table()).toEqual(before);
    await apply([...historyB, ...historyA, requested, requested, ...historyC.slice(0, 2)]);
    expect(await table()).toEqual(before);
    for (const e of [...historyC].reverse()) await apply([e, e]);
    expect(await table()).toEqual(before);
  });

  it("applies a new event behind copies of older ones in the same call", async () => {
    const resolved = createEvent(
      "dossier.resolved",
      {
        dossierId: A,
        unitCode: "H44.04",
        correlationId: "status-resolved",
        occurredAt: at("15:00", "13"),
        payload: {
          dossierCode: codeOf(A),
          outcome: "approved",
          resolvedAt: at("15:00", "13"),
          refusalReasons: [],
          decisionRef: "123/QĐ-UBND",
          electronicResult: true,
        },
      },
      { now: () => new Date(at("15:00", "13")) },
    ) as CurrentEvent;
    const others = (await table()).filter((r) => r.id !== A);
    await apply([historyA[4] as CurrentEvent, resolved, historyA[3] as CurrentEvent, resolved]);
    expect(await row(A)).toMatchObject({ state: "resolved", state_changed_at: new Date(at("15:00", "13")) });
    expect((await table()).filter((r) => r.id !== A)).toEqual(others);
    const after = await table();
    await apply([...historyA, resolved]);
    expect(await table()).toEqual(after);
  });
});
