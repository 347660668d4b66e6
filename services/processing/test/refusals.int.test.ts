import { formatInstant } from "@tthc/contracts";
import { http, tokenFor } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { received } from "./fixtures.js";
import { leader100, type Processing, reception100, spec100, startProcessing } from "./harness.js";

let p: Processing;
beforeAll(async () => {
  // Tue 12/05/2026 10:00
  p = await startProcessing("processing-refusals", "2026-05-12T10:00:00+07:00");
});
afterAll(async () => {
  await p?.stop();
});

/** What a refused request must leave as it was: the dossier, its timeline and the outbox. */
async function snapshot(id: string) {
  const { body } = await p.get(id);
  const { rows } = await p.env.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM bus_outbox WHERE key = $1",
    [id],
  );
  return { version: body.version, state: body.state, timeline: body.timeline.length, outbox: rows[0]?.n };
}

describe("what is refused changes nothing", () => {
  let id: string;
  beforeAll(async () => {
    id = await p.receive(received(p.clock.now()));
  });

  it("every forbidden transition from state 2 answers 409 with the allowed actions", async () => {
    const before = await snapshot(id);
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
    for (const [action, body] of Object.entries(bodies)) {
      const res = await p.act(id, action, leader100, { expectedVersion: 1, ...body });
      expect(res.status, action).toBe(409);
      expect(res.body.error, action).toMatchObject({
        code: "PROCESSING_TRANSITION_FORBIDDEN",
        details: { state: "received", allowed: ["assign", "extend", "withdraw"] },
      });
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("another unit's staff get 403, a wrong role 403, a stale version 409, bad input 400, no dossier 404", async () => {
    const before = await snapshot(id);
    const other = await p.act(id, "assign", ["H44.07", "leader"], {
      expectedVersion: 1,
      assigneeStaffId: "x",
    });
    expect(other).toMatchObject({ status: 403, body: { error: { code: "PROCESSING_OTHER_UNIT" } } });
    const role = await p.act(id, "extend", spec100, {
      expectedVersion: 1,
      newDueAt: "2099-01-01T00:00:00Z",
      reason: "x",
    });
    expect(role).toMatchObject({ status: 403, body: { error: { code: "PROCESSING_ROLE_FORBIDDEN" } } });
    const stale = await p.act(id, "assign", leader100, { expectedVersion: 7, assigneeStaffId: "x" });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: "PROCESSING_STALE_VERSION" } } });
    const bad = await p.act(id, "assign", leader100, { expectedVersion: "one" });
    expect(bad.status).toBe(400);
    const unknown = await p.act("00000000-0000-4000-8000-000000000000", "assign", leader100, {
      expectedVersion: 1,
      assigneeStaffId: "x",
    });
    expect(unknown.status).toBe(404);
    expect(await snapshot(id)).toEqual(before);
  });

  it("two concurrent actions on one dossier: exactly one is applied", async () => {
    const results = await Promise.all(
      ["cv1@H44.100", "cv2@H44.100", "cv3@H44.100"].map((s) =>
        p.act(id, "assign", leader100, { expectedVersion: 1, assigneeStaffId: s }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const { body } = await p.get(id);
    expect(body.version).toBe(2);
    expect(body.timeline).toHaveLength(2);
  });
});

describe("finding 9: the applicant's instants are checked, never a 500", () => {
  /** A dossier whose supplement was requested at Tue 12/05/2026 10:00 (the clock's instant). */
  async function waitingForSupplement() {
    const id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "request-supplement", spec100, { missingItems: ["Tờ khai"], reason: "Thiếu" });
    return id;
  }
  async function waitingForPayment() {
    const id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "request-payment", spec100, {
      obligations: [{ kind: "fee", description: "Phí", amountVnd: 1 }],
    });
    return id;
  }
  const refusedAt = (field: string, reason: RegExp) => ({
    status: 400,
    body: {
      error: {
        code: "PROCESSING_INVALID_INSTANT",
        details: [expect.objectContaining({ path: field, reason: expect.stringMatching(reason) })],
      },
    },
  });

  it("a supplement supplied the day before it was requested answers 400 naming body.suppliedAt, and changes nothing", async () => {
    const id = await waitingForSupplement();
    const before = await snapshot(id);
    const res = await p.act(id, "receive-supplement", reception100, {
      expectedVersion: before.version,
      suppliedAt: "2026-05-11T10:00:00+07:00",
    });
    expect(res).toMatchObject(refusedAt("body.suppliedAt", /before the request/));
    expect(await snapshot(id)).toEqual(before);
  });

  it("a supplement supplied more than 60 s ahead of the clock answers 400; 60 s ahead is taken", async () => {
    const id = await waitingForSupplement();
    const before = await snapshot(id);
    const now = p.clock.nowMs();
    const ahead = await p.act(id, "receive-supplement", reception100, {
      expectedVersion: before.version,
      suppliedAt: formatInstant(new Date(now + 61_000)),
    });
    expect(ahead).toMatchObject(refusedAt("body.suppliedAt", /after now/));
    expect(await snapshot(id)).toEqual(before);
    const taken = await p.act(id, "receive-supplement", reception100, {
      expectedVersion: before.version,
      suppliedAt: formatInstant(new Date(now + 60_000)),
    });
    expect(taken.status).toBe(200);
  });

  it("a payment made before its request, or after now, answers 400 naming body.paidAt", async () => {
    const id = await waitingForPayment();
    const before = await snapshot(id);
    const body = { expectedVersion: before.version, amountVnd: 1, method: "counter" };
    const early = await p.act(id, "receive-payment", reception100, {
      ...body,
      paidAt: "2026-05-12T09:59:59+07:00",
    });
    expect(early).toMatchObject(refusedAt("body.paidAt", /before the request/));
    const late = await p.act(id, "receive-payment", reception100, {
      ...body,
      paidAt: "2026-05-13T10:00:00+07:00",
    });
    expect(late).toMatchObject(refusedAt("body.paidAt", /after now/));
    expect(await snapshot(id)).toEqual(before);
  });
});

describe("no input answers 5xx", () => {
  let id: string;
  beforeAll(async () => {
    id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
  });

  it("a NUL character in any text answers 400 naming the field", async () => {
    const before = await snapshot(id);
    const cases: [string, Record<string, unknown>, string][] = [
      ["assign", { assigneeStaffId: "cv\u0000@H44.100" }, "body.assigneeStaffId"],
      ["assign", { assigneeStaffId: "cv@H44.100", assigneeName: "A\u0000" }, "body.assigneeName"],
      ["transfer", { note: "n\u0000" }, "body.note"],
      ["request-supplement", { missingItems: ["x\u0000"], reason: "y" }, "body.missingItems[0]"],
      [
        "request-payment",
        { obligations: [{ kind: "fee", description: "P\u0000", amountVnd: 1 }] },
        "body.obligations[0].description",
      ],
      ["extend", { newDueAt: "2026-06-30T10:00:00+07:00", reason: "r\u0000" }, "body.reason"],
      ["resolve", { outcome: "refused", refusalReasons: ["r\u0000"] }, "body.refusalReasons[0]"],
      ["withdraw", { reason: "\u0000" }, "body.reason"],
      ["stop", { reason: "stop-notice", explanation: "e", stopNoticeRef: "\u0000" }, "body.stopNoticeRef"],
    ];
    for (const [action, body, path] of cases) {
      const who = action === "withdraw" ? reception100 : leader100;
      const res = await p.act(id, action, who, { expectedVersion: before.version, ...body });
      expect(res.status, action).toBe(400);
      expect(res.body.error.details, action).toEqual(
        expect.arrayContaining([expect.objectContaining({ path })]),
      );
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("instants at the edges of what ISO 8601 allows", async () => {
    const before = await snapshot(id);
    for (const newDueAt of [
      "9999-12-31T23:59:59-23:59",
      "0000-01-01T00:00:00+23:59",
      "2026-06-30T10:00:00+15:59",
    ]) {
      const res = await p.act(id, "extend", leader100, {
        expectedVersion: before.version,
        newDueAt,
        reason: "r",
      });
      expect(res.status, newDueAt).toBeLessThan(500);
      if (res.status === 200) break;
    }
    const queries = [
      "?dueBefore=0000-01-01T00:00:00%2B23:59",
      "?dueBefore=9999-12-31T23:59:59-23:59",
      `?cursor=${Buffer.from(JSON.stringify(["0000-01-01T00:00:00Z", id])).toString("base64url")}`,
      `?cursor=${Buffer.from(JSON.stringify(["+275760-09-13T00:00:00Z", id])).toString("base64url")}`,
      `?cursor=${Buffer.from(JSON.stringify([1, 2])).toString("base64url")}`,
      "?limit=100000",
      "?status=nonsense",
    ];
    for (const q of queries) {
      const res = await p.queue(q);
      expect(res.status, q).toBeLessThan(500);
    }
    for (const month of ["1000-01", "9999-12", "2026-13", "0999-01"]) {
      const res = await http(`${p.url}/v1/staff-timeliness?month=${month}`, {
        headers: tokenFor(...leader100),
      });
      expect(res.status, month).toBeLessThan(500);
    }
  });
});

describe("the API's description", () => {
  it("/docs describes every action with its checks", async () => {
    const res = await http(`${p.url}/docs/json`);
    expect(res.status).toBe(200);
    const receive = res.body.paths["/v1/dossiers/{id}/receive-supplement"].post;
    expect(JSON.stringify(receive)).toContain("Not before the request");
  });
});
