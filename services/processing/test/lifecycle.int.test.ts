import { outboxPending } from "@tthc/bus";
import { createCalendarSet, stepDeadline, unitSessionsFromCatalog } from "@tthc/calendar";
import type { AnyEvent, StaffRole as Role } from "@tthc/contracts";
import { buildService, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay } from "../src/replay.js";
import { type Config, service } from "../src/service.js";
import {
  publish,
  publishCatalog,
  received,
  SHORT_HOURS,
  SHORT_HOURS_UNIT,
  threeUnitSteps,
} from "./fixtures.js";

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;

beforeAll(async () => {
  env = await createTestEnv("processing");
  svc = await buildService(service, { env: env.serviceEnv() });
  url = await svc.start();
  await publishCatalog(env);
});
afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

type Who = [unit: string, role: Role | Role[], sub?: string];
const leader100: Who = ["H44.100", "leader", "ld@H44.100"];
const spec100: Who = ["H44.100", "specialist", "cv@H44.100"];
const reception100: Who = ["H44.100", "reception", "tn@H44.100"];

async function act(id: string, action: string, who: Who, body: Record<string, unknown>) {
  return http(`${url}/v1/dossiers/${id}/${action}`, { body, headers: tokenFor(who[0], who[1], who[2]) });
}
async function get(id: string, who: Who = leader100) {
  return http(`${url}/v1/dossiers/${id}`, { headers: tokenFor(who[0], who[1], who[2]) });
}
/** Acts with the current version and expects success; returns the new view. */
async function step(id: string, action: string, who: Who, body: Record<string, unknown> = {}) {
  const current = await get(id, who[0] === "H44.100" ? leader100 : [who[0], "leader"]);
  const res = await act(id, action, who, { expectedVersion: current.body.version, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
async function receive(event: AnyEvent): Promise<string> {
  await publish(env, [event]);
  await waitUntil(
    `dossier ${event.dossierId} received`,
    async () => (await get(event.dossierId)).status === 200,
  );
  return event.dossierId;
}

describe("a dossier goes through every path of the lifecycle", () => {
  it("straight: assign, step change, approve, return at the counter", async () => {
    const id = await receive(received());
    const start = await get(id);
    expect(start.body).toMatchObject({ state: "received", nationalStatusCode: 2, version: 1 });
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await step(id, "transfer", spec100, {});
    await step(id, "transfer", spec100, {});
    const resolved = await step(id, "resolve", leader100, { outcome: "approved", electronicResult: true });
    expect(resolved).toMatchObject({ state: "resolved", nationalStatusCode: 9, outcome: "approved" });
    const done = await step(id, "return", reception100, { returnChannel: "counter" });
    expect(done).toMatchObject({ state: "returned", nationalStatusCode: 10, version: 6, allowedActions: [] });
    const { body } = await get(id);
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual([
      "dossier.received",
      "dossier.assigned",
      "dossier.transferred",
      "dossier.transferred",
      "dossier.resolved",
      "dossier.returned",
    ]);
    expect(body.timeline[1]).toMatchObject({
      staffId: "ld@H44.100",
      unitCode: "H44.100",
      stateAfter: "processing",
    });
    expect(body.stepRuns.map((r: { stepId: string }) => r.stepId)).toEqual(["receive", "review", "approve"]);
  });

  it("transfer over three units: each receiving unit sees it in its queue at once", async () => {
    const id = await receive(received({ steps: threeUnitSteps }));
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await step(id, "transfer", spec100, { note: "Chuyển Sở Công Thương" });
    const q07 = await http(`${url}/v1/dossiers?status=processing`, {
      headers: tokenFor("H44.07", "specialist"),
    });
    expect(q07.body.items.map((i: { id: string }) => i.id)).toContain(id);
    // the ward no longer holds it
    expect((await act(id, "assign", leader100, { expectedVersion: 3, assigneeStaffId: "x" })).status).toBe(
      403,
    );
    await step(id, "assign", ["H44.07", "leader"], { assigneeStaffId: "cv@H44.07" });
    // verify is a coordinating step: the handling unit may name another department
    const moved = await step(id, "transfer", ["H44.07", "specialist", "cv@H44.07"], { toUnitCode: "H44.06" });
    expect(moved).toMatchObject({
      currentUnitCode: "H44.06",
      currentStep: { id: "verify", unitCode: "H44.06" },
    });
    const q06 = await http(`${url}/v1/dossiers`, { headers: tokenFor("H44.06", "leader") });
    expect(q06.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    await step(id, "transfer", ["H44.06", "specialist"], {});
    const last = await get(id, ["H44.05", "leader"]);
    expect(last.body).toMatchObject({ currentUnitCode: "H44.05", currentStep: { id: "approve" } });
    const noNext = await act(id, "transfer", ["H44.05", "specialist"], {
      expectedVersion: last.body.version,
    });
    expect(noNext.status).toBe(409);
    expect(noNext.body.error.code).toBe("PROCESSING_NO_NEXT_STEP");
    await step(id, "resolve", ["H44.05", "leader"], { outcome: "approved" });
    const returned = await step(id, "return", reception100, { returnChannel: "postal" });
    expect(returned.stepRuns.map((r: { unitCode: string }) => r.unitCode)).toEqual([
      "H44.100",
      "H44.07",
      "H44.06",
      "H44.05",
    ]);
  });

  it("a step's deadline is computed in its unit's own working time, and travels in the event", async () => {
    const id = await receive(received({ steps: threeUnitSteps }));
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await step(id, "transfer", spec100, {});
    await step(id, "assign", ["H44.07", "leader"], { assigneeStaffId: "cv@H44.07" });
    const moved = await step(id, "transfer", ["H44.07", "specialist", "cv@H44.07"], {
      toUnitCode: SHORT_HOURS_UNIT,
    });
    const run = moved.stepRuns.at(-1);
    expect(run).toMatchObject({ stepId: "verify", unitCode: SHORT_HOURS_UNIT });
    const set = createCalendarSet({
      units: [unitSessionsFromCatalog({ code: SHORT_HOURS_UNIT, name: "", workingSessions: SHORT_HOURS })],
    });
    const budget = { amount: 3, unit: "days" } as const;
    const started = Date.parse(run.startedAt);
    const own = stepDeadline(set.asOf(started, SHORT_HOURS_UNIT), started, budget);
    const byDefault = stepDeadline(set.asOf(started), started, budget);
    expect(own).not.toBe(byDefault);
    expect(Date.parse(run.deadlineAt)).toBe(own);
    const { body } = await get(id, [SHORT_HOURS_UNIT, "leader"]);
    const transferred = body.timeline.at(-1);
    expect(transferred.type).toBe("dossier.transferred");
    expect(Date.parse(transferred.details.stepDeadlineAt)).toBe(own);
  });

  for (const rule of ["pause", "reset"] as const) {
    it(`supplement under the ${rule} rule: requested, waits, received, resumes`, async () => {
      const id = await receive(received({ supplementRule: rule, maxSupplementRequests: 1 }));
      await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
      const waiting = await step(id, "request-supplement", spec100, {
        missingItems: ["Bản sao giấy chứng nhận"],
        reason: "Thiếu giấy tờ",
      });
      expect(waiting).toMatchObject({
        state: "awaiting_supplement",
        nationalStatusCode: 5,
        supplementRequests: 1,
      });
      const back = await step(id, "receive-supplement", reception100, {});
      expect(back).toMatchObject({ state: "processing", pausedAt: null });
      const again = await act(id, "request-supplement", spec100, {
        expectedVersion: back.version,
        missingItems: ["x"],
        reason: "y",
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("PROCESSING_SUPPLEMENT_LIMIT");
      const { body } = await get(id);
      expect(body.timeline[3].details).toMatchObject({ supplementRule: rule, requestNumber: 1 });
    });
  }

  it("awaiting payment, paid, then refused with reasons", async () => {
    const id = await receive(received());
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const pay = await step(id, "request-payment", spec100, {
      obligations: [{ kind: "charge", description: "Lệ phí", amountVnd: 100000 }],
    });
    expect(pay).toMatchObject({ state: "awaiting_payment", nationalStatusCode: 6 });
    await step(id, "receive-payment", reception100, { amountVnd: 100000, method: "online" });
    const refused = await step(id, "resolve", leader100, {
      outcome: "refused",
      refusalReasons: ["Không đủ điều kiện"],
    });
    expect(refused).toMatchObject({ state: "resolved", outcome: "refused" });
    const noReasons = await act(id, "resolve", leader100, { expectedVersion: 1, outcome: "refused" });
    expect(noReasons.status).toBe(400);
  });

  it("extension with apology: once, with the letter as JSON and HTML", async () => {
    const id = await receive(received());
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const due = (await get(id)).body.dueAt;
    const newDueAt = new Date(Date.parse(due) + 5 * 86_400_000).toISOString();
    const ext = await step(id, "extend", leader100, {
      newDueAt,
      reason: "Chờ kết quả xác minh",
      apologyLetterRef: "12/XL",
    });
    expect(ext.extension).toMatchObject({ previousDueAt: due, newDueAt, reason: "Chờ kết quả xác minh" });
    const second = await act(id, "extend", leader100, {
      expectedVersion: ext.version,
      newDueAt,
      reason: "lại",
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: "PROCESSING_ALREADY_EXTENDED",
      details: { reason: "Chờ kết quả xác minh" },
    });
    const letter = await http(`${url}/v1/dossiers/${id}/apology-letter`, { headers: tokenFor(...leader100) });
    expect(letter.body).toMatchObject({
      form: "04",
      previousDueAt: due,
      newDueAt,
      apologyLetterRef: "12/XL",
    });
    const html = await fetch(`${url}/v1/dossiers/${id}/apology-letter?format=html`, {
      headers: tokenFor(...leader100),
    });
    expect(html.headers.get("content-type")).toMatch(/text\/html/);
    expect(await html.text()).toContain("Phiếu xin lỗi và hẹn lại ngày trả kết quả");
  });

  it("an extension less than one working day before the due instant is refused", async () => {
    const id = await receive(received({ dueInDays: 0.01 }));
    const res = await act(id, "extend", leader100, {
      expectedVersion: 1,
      newDueAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      reason: "muộn",
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("PROCESSING_EXTENSION_TOO_LATE");
  });

  it("withdrawn: withdrawal requested at the counter, then stopped", async () => {
    const id = await receive(received());
    await step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const w = await step(id, "withdraw", reception100, { reason: "Công dân rút hồ sơ" });
    expect(w).toMatchObject({
      state: "withdrawal_requested",
      nationalStatusCode: 7,
      allowedActions: ["stop"],
    });
    const wrong = await act(id, "stop", leader100, {
      expectedVersion: w.version,
      reason: "stop-notice",
      explanation: "x",
    });
    expect(wrong.body.error.code).toBe("PROCESSING_STOP_REASON_MISMATCH");
    const s = await step(id, "stop", leader100, { reason: "withdrawn", explanation: "Rút theo đơn" });
    expect(s).toMatchObject({ state: "stopped", nationalStatusCode: 8, stopReason: "withdrawn" });
  });

  it("stopped: a stop notice during processing, and a lapsed supplement", async () => {
    const a = await receive(received());
    await step(a, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const s = await step(a, "stop", leader100, {
      reason: "stop-notice",
      explanation: "Thông báo dừng",
      stopNoticeRef: "05/TB",
    });
    expect(s).toMatchObject({ state: "stopped", stopReason: "stop-notice" });
    const b = await receive(received());
    await step(b, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await step(b, "request-supplement", spec100, { missingItems: ["x"], reason: "y" });
    const lapsed = await step(b, "stop", leader100, {
      reason: "supplement-lapsed",
      explanation: "Quá hạn bổ sung",
    });
    expect(lapsed).toMatchObject({ state: "stopped", stopReason: "supplement-lapsed" });
  });
});

describe("what is refused changes nothing", () => {
  let id: string;
  beforeAll(async () => {
    id = await receive(received());
  });
  async function unchanged() {
    const { body } = await get(id);
    expect(body).toMatchObject({ state: "received", version: 1 });
    expect(body.timeline).toHaveLength(1);
  }

  it("every forbidden transition from state 2 answers 409 with the allowed actions", async () => {
    const bodies: Record<string, Record<string, unknown>> = {
      transfer: {},
      "request-supplement": { missingItems: ["x"], reason: "y" },
      "receive-supplement": {},
      "request-payment": { obligations: [{ kind: "fee", description: "Phí", amountVnd: 1 }] },
      "receive-payment": { amountVnd: 1, method: "counter" },
      resolve: { outcome: "approved" },
      return: { returnChannel: "counter" },
      stop: { reason: "stop-notice", explanation: "x" },
    };
    const who: Record<string, Who> = {
      "receive-supplement": leader100,
      "receive-payment": leader100,
      return: leader100,
    };
    for (const [action, body] of Object.entries(bodies)) {
      const res = await act(id, action, who[action] ?? leader100, { expectedVersion: 1, ...body });
      expect(res.status, action).toBe(409);
      expect(res.body.error, action).toMatchObject({
        code: "PROCESSING_TRANSITION_FORBIDDEN",
        details: { state: "received", allowed: ["assign", "extend", "withdraw"] },
      });
    }
    await unchanged();
  });

  it("another unit's staff get 403, a wrong role 403, a stale version 409, bad input 400", async () => {
    const other = await act(id, "assign", ["H44.07", "leader"], { expectedVersion: 1, assigneeStaffId: "x" });
    expect(other).toMatchObject({ status: 403, body: { error: { code: "PROCESSING_OTHER_UNIT" } } });
    const role = await act(id, "extend", spec100, {
      expectedVersion: 1,
      newDueAt: "2099-01-01T00:00:00Z",
      reason: "x",
    });
    expect(role).toMatchObject({ status: 403, body: { error: { code: "PROCESSING_ROLE_FORBIDDEN" } } });
    const stale = await act(id, "assign", leader100, { expectedVersion: 7, assigneeStaffId: "x" });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: "PROCESSING_STALE_VERSION" } } });
    const bad = await act(id, "assign", leader100, { expectedVersion: "one" });
    expect(bad.status).toBe(400);
    const unknown = await act("00000000-0000-4000-8000-000000000000", "assign", leader100, {
      expectedVersion: 1,
      assigneeStaffId: "x",
    });
    expect(unknown.status).toBe(404);
    await unchanged();
  });

  it("two concurrent actions on one dossier: exactly one is applied", async () => {
    const results = await Promise.all(
      ["cv1@H44.100", "cv2@H44.100", "cv3@H44.100"].map((s) =>
        act(id, "assign", leader100, { expectedVersion: 1, assigneeStaffId: s }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const { body } = await get(id);
    expect(body.version).toBe(2);
    expect(body.timeline).toHaveLength(2);
  });
});

describe("queues, timeliness and replay", () => {
  it("filters by status, overdue and dueBefore, and pages with a cursor", async () => {
    const late = await receive(received({ ageDays: 30, dueInDays: -2 }));
    const overdue = await http(`${url}/v1/dossiers?overdue=true`, { headers: tokenFor(...leader100) });
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([late]);
    const before = await http(
      `${url}/v1/dossiers?dueBefore=${encodeURIComponent(new Date().toISOString())}`,
      {
        headers: tokenFor(...leader100),
      },
    );
    expect(before.body.items.map((i: { id: string }) => i.id)).toEqual([late]);
    const all = await http(`${url}/v1/dossiers?limit=500`, { headers: tokenFor(...leader100) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const page = await http(`${url}/v1/dossiers?limit=3${q}`, { headers: tokenFor(...leader100) });
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    expect(seen.length).toBeGreaterThan(5);
    const badCursor = await http(`${url}/v1/dossiers?cursor=nonsense`, { headers: tokenFor(...leader100) });
    expect(badCursor.status).toBe(400);
    const otherUnit = await http(`${url}/v1/dossiers?unit=H44.07`, { headers: tokenFor(...leader100) });
    expect(otherUnit.status).toBe(403);
  });

  it("per-staff timeliness of the month, as JSON and CSV", async () => {
    const month = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
    const res = await http(`${url}/v1/staff-timeliness?month=${month}`, { headers: tokenFor(...leader100) });
    expect(res.status).toBe(200);
    const cv = res.body.staff.find((s: { staffId: string }) => s.staffId === "cv@H44.100");
    expect(cv.handled).toBeGreaterThan(3);
    expect(cv.handled).toBe(cv.met + cv.late);
    const csv = await fetch(`${url}/v1/staff-timeliness.csv?month=${month}`, {
      headers: tokenFor(...leader100),
    });
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("staff_id,dossier_code,step_id,unit_code,started_at,ended_at,deadline_at,met");
    const total = res.body.staff.reduce((n: number, s: { handled: number }) => n + s.handled, 0);
    expect(lines).toHaveLength(total + 1);
    const spec = await http(`${url}/v1/staff-timeliness?month=${month}`, { headers: tokenFor(...spec100) });
    expect(spec.status).toBe(403);
  });

  it("a replay from the topic rebuilds the same state, row by row", async () => {
    await waitUntil("the outbox to drain", async () => (await outboxPending(env.pool)) === 0);
    const schema = await env.createSchema("replay");
    const result = await replay({ env: env.serviceEnv(), schema });
    const dump = async (s: string, table: string, order: string) =>
      (await env.pool.query(`SELECT * FROM "${s}".${table} ORDER BY ${order}`)).rows;
    for (const [table, order] of [
      ["dossiers", "id"],
      ["timeline", "dossier_id, seq"],
      ["step_runs", "dossier_id, run_no"],
    ] as const) {
      const live = await dump(env.schema, table, order);
      const rebuilt = await dump(schema, table, order);
      expect(rebuilt.length, table).toBeGreaterThan(0);
      expect(rebuilt, table).toEqual(live);
    }
    expect(result.dossiers).toBe((await dump(env.schema, "dossiers", "id")).length);
  });
});
