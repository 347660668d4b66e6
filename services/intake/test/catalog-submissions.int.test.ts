import { ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/service.js";
import { APPLICANT, collect, type Json, jsonOf, startIntake, UNIT } from "./fixtures.js";

let env: TestEnv;
let intake: RunningService<Config>;
let url: string;
let topics: Awaited<ReturnType<typeof collect>>;

/** Friday 20/11/2026 after the submissions of this file; the centre accepts on Monday. */
const clock = new ManualClock("2026-11-20T17:30:00+07:00");
const admin = tokenFor("H44", "admin");
const reception = tokenFor(UNIT, "reception");

async function rows<T>(sql: string): Promise<T[]> {
  return (await env.pool.query(sql)).rows as T[];
}
const outboxCount = async (topic: string) =>
  (await rows<{ n: number }>(`SELECT count(*)::int AS n FROM bus_outbox WHERE topic = '${topic}'`))[0]!.n;
const eventsOf = (dossierId: string) =>
  topics.messages
    .filter((m) => !/^(unit|procedure|calendar):/.test(m.key ?? "") && jsonOf(m).dossierId === dossierId)
    .map(jsonOf);

beforeAll(async () => {
  env = await createTestEnv("intake-catalog");
  ({ service: intake, url } = await startIntake(env, {}, clock));
  topics = await collect(env, "catalog-test", ["catalog", "dossier.events"]);
});
afterAll(async () => {
  await topics?.stop();
  await intake?.stop();
  await env?.cleanup();
});

describe("the catalogue", () => {
  it("is seeded at first start and published on the catalog topic, once", async () => {
    const counts = await rows<{ type: string; n: number }>(
      "SELECT type, count(*)::int AS n FROM catalog_records GROUP BY type ORDER BY type",
    );
    expect(counts).toEqual([
      { type: "calendar", n: 2 },
      { type: "procedure", n: 56 },
      { type: "unit", n: 161 },
    ]);
    await waitUntil(
      "219 catalog records on the topic",
      () => topics.messages.filter((m) => /^(unit|procedure|calendar):/.test(m.key ?? "")).length >= 219,
    );
    const unit = topics.messages.find((m) => m.key === "unit:H44.108");
    expect(jsonOf(unit!)).toMatchObject({ type: "unit", revision: 1, data: { name: "Xã Bản Nguyên" } });
    const calendar = jsonOf(topics.messages.find((m) => m.key === "calendar:2026")!);
    expect(calendar).toMatchObject({ revision: 1, data: { year: 2026, version: 2 } });
    expect((calendar.data as Json).previousVersions).toHaveLength(1);

    const before = await outboxCount("catalog");
    const again = await startIntake(env);
    await again.service.stop();
    expect(await outboxCount("catalog")).toBe(before);
    expect(await rows("SELECT key FROM catalog_records WHERE revision <> 1")).toEqual([]);
  });

  it("is changed by an admin only, with a new revision published; the same content changes nothing", async () => {
    const { body: current } = await http(`${url}/v1/procedures/1.004873`, { headers: reception });
    expect(current).toMatchObject({
      key: "procedure:1.004873",
      revision: 1,
      data: { statutoryTime: { amount: 3, unit: "days" } },
    });
    const changed = {
      ...current.data,
      statutoryTime: { amount: 5, unit: "days" },
      steps: current.data.steps,
    };
    changed.steps = changed.steps.map((s: Json, i: number) =>
      i === 0
        ? { ...s, budget: { ...(s.budget as Json), amount: Number((s.budget as Json).amount) + 2 } }
        : s,
    );
    const forbidden = await http(`${url}/v1/procedures/1.004873`, {
      method: "PUT",
      headers: reception,
      body: changed,
    });
    expect(forbidden.status).toBe(403);

    const put = await http(`${url}/v1/procedures/1.004873`, { method: "PUT", headers: admin, body: changed });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ revision: 2, changed: true });
    const same = await http(`${url}/v1/procedures/1.004873`, {
      method: "PUT",
      headers: admin,
      body: changed,
    });
    expect(same.body).toMatchObject({ revision: 2, changed: false });
    const published = await waitUntil("revision 2 on catalog", () =>
      topics.messages.find((m) => m.key === "procedure:1.004873" && jsonOf(m).revision === 2),
    );
    expect(jsonOf(published)).toMatchObject({
      actor: { staffId: "admin@H44", unitCode: "H44" },
      data: { statutoryTime: { amount: 5 } },
    });
    expect(topics.messages.filter((m) => m.key === "procedure:1.004873")).toHaveLength(2);

    const mismatch = await http(`${url}/v1/procedures/1.004873`, {
      method: "PUT",
      headers: admin,
      body: { ...changed, code: "1.004874" },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details).toEqual([{ path: "body.code", reason: "must be 1.004873" }]);
    const invalid = await http(`${url}/v1/units/H44.101`, {
      method: "PUT",
      headers: admin,
      body: { code: "H44.101" },
    });
    expect(invalid.status).toBe(400);
  });

  it("keeps the earlier calendar versions when an admin publishes a new one", async () => {
    const { body } = await http(`${url}/v1/calendars/2026`, { headers: reception });
    const next = {
      ...body.data,
      version: 3,
      effectiveFrom: "2026-11-20T00:00:00+07:00",
      daysOff: [...body.data.daysOff, "2026-11-24"],
    };
    delete next.previousVersions;
    const stale = await http(`${url}/v1/calendars/2026`, {
      method: "PUT",
      headers: admin,
      body: { ...next, version: 2 },
    });
    expect(stale.status).toBe(409);
    const put = await http(`${url}/v1/calendars/2026`, { method: "PUT", headers: admin, body: next });
    expect(put.status).toBe(200);
    expect(put.body.data.previousVersions.map((v: Json) => v.version)).toEqual([1, 2]);
  });
});

describe("online submissions before acceptance", () => {
  const submission = (ref: string) => ({
    portalRef: ref,
    procedureCode: "1.004873",
    receivingUnitCode: UNIT,
    applicant: APPLICANT,
    submittedAt: "2026-11-20T16:30:00+07:00",
  });

  it("submitted, supplement requested and supplied, then accepted: received with the same id", async () => {
    const created = await http(`${url}/v1/submissions`, { headers: reception, body: submission("DVC-1") });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe("submitted");
    const again = await http(`${url}/v1/submissions`, { headers: reception, body: submission("DVC-1") });
    expect([again.status, again.body.id]).toEqual([200, created.body.id]);
    const id = created.body.id as string;

    const ask = await http(`${url}/v1/submissions/${id}/request-supplement`, {
      headers: reception,
      body: { missingItems: ["Bản sao CCCD"], reason: "Thiếu giấy tờ" },
    });
    expect(ask.body.state).toBe("awaiting_supplement");
    const early = await http(`${url}/v1/submissions/${id}/accept`, { headers: reception, body: {} });
    expect(early.status).toBe(409);
    const supplied = await http(`${url}/v1/submissions/${id}/supplement`, { headers: reception, body: {} });
    expect(supplied.body.state).toBe("submitted");

    // The centre accepts on Monday morning: the clock starts then, not at Friday's submission.
    clock.set("2026-11-23T09:00:00+07:00");
    const accepted = await http(`${url}/v1/submissions/${id}/accept`, { headers: reception, body: {} });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ dossierId: id, channel: "online", status: "received" });
    // Mon 23/11 09:00 + 5 working days (the admin's change above), Tue 24/11 off in calendar v3 above.
    expect(Date.parse(accepted.body.clockStartsAt)).toBe(Date.parse("2026-11-23T09:00:00+07:00"));
    expect(Date.parse(accepted.body.dueAt)).toBe(Date.parse("2026-12-01T09:00:00+07:00"));
    const retried = await http(`${url}/v1/submissions/${id}/accept`, { headers: reception, body: {} });
    expect([retried.status, retried.body.code]).toEqual([200, accepted.body.code]);

    const types = await waitUntil("five events", () => {
      const list = eventsOf(id);
      return list.length >= 4 ? list.map((e) => e.type) : undefined;
    });
    expect(types).toEqual([
      "dossier.submitted",
      "dossier.submission-supplement-requested",
      "dossier.submission-supplement-received",
      "dossier.received",
    ]);
  });

  it("refused with reasons (form 03): published, never received; a refused one cannot be accepted", async () => {
    const { body } = await http(`${url}/v1/submissions`, { headers: reception, body: submission("DVC-2") });
    const refused = await http(`${url}/v1/submissions/${body.id}/refuse`, {
      headers: reception,
      body: { reasons: ["Thủ tục không thuộc thẩm quyền"] },
    });
    expect(refused.body).toMatchObject({ state: "refused", form: "03" });
    const accept = await http(`${url}/v1/submissions/${body.id}/accept`, { headers: reception, body: {} });
    expect(accept.status).toBe(409);
    expect(accept.body.error.code).toBe("INTAKE_SUBMISSION_STATE_FORBIDS");
    const other = await http(`${url}/v1/submissions/${body.id}/refuse`, {
      headers: tokenFor("H44.102", "reception"),
      body: { reasons: ["x"] },
    });
    // Another unit's submission does not exist for it (docs/access-policy.md).
    expect(other).toMatchObject({ status: 404, body: { error: { code: "INTAKE_SUBMISSION_NOT_FOUND" } } });
    const events = await waitUntil("refusal", () =>
      eventsOf(body.id).length >= 2 ? eventsOf(body.id) : undefined,
    );
    expect(events.map((e) => e.type)).toEqual(["dossier.submitted", "dossier.submission-refused"]);
    expect((events[1]!.payload as Json).reasons).toEqual(["Thủ tục không thuộc thẩm quyền"]);
    expect(await rows(`SELECT id FROM dossiers WHERE id = '${body.id}'`)).toEqual([]);
  });
});
