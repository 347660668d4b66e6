import { outboxPending } from "@tthc/bus";
import { formatInstant } from "@tthc/contracts";
import { caughtUp, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay } from "../src/replay.js";
import { deadlineSet, monitorRun, publishSla, received, slaVerdict, threeUnitSteps } from "./fixtures.js";
import { leader100, type Processing, reception100, spec100, startProcessing } from "./harness.js";

const MINUTE = 60_000;
const DAY = 86_400_000;

let p: Processing;
beforeAll(async () => {
  p = await startProcessing("processing-lifecycle", "2026-04-16T07:29:00+07:00");
});
afterAll(async () => {
  await p?.stop();
});

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
const plus = (iso: string, ms: number) => formatInstant(new Date(Date.parse(iso) + ms));

/**
 * The instants the whole lifecycle runs at (issue 12: any hour of any day): the last minute before
 * the counter opens, the end of the morning session, the last minute of the day and its close, on a
 * weekday, a Saturday and a public holiday. `inTime` is the earliest due instant an apology letter
 * sent then still comes a working day (450 minutes of the default sessions) ahead of.
 */
const rounds = [
  ["weekday", "Thu 16/04/2026 07:29", "2026-04-16T07:29:00+07:00", "2026-04-16T17:00:00+07:00"],
  ["weekday", "Thu 16/04/2026 11:30", "2026-04-16T11:30:00+07:00", "2026-04-17T11:30:00+07:00"],
  ["weekday", "Thu 16/04/2026 16:59", "2026-04-16T16:59:00+07:00", "2026-04-17T16:59:00+07:00"],
  ["weekday", "Thu 16/04/2026 17:00", "2026-04-16T17:00:00+07:00", "2026-04-17T17:00:00+07:00"],
  ["Saturday", "Sat 18/04/2026 07:29", "2026-04-18T07:29:00+07:00", "2026-04-20T17:00:00+07:00"],
  ["Saturday", "Sat 18/04/2026 11:30", "2026-04-18T11:30:00+07:00", "2026-04-20T17:00:00+07:00"],
  ["Saturday", "Sat 18/04/2026 16:59", "2026-04-18T16:59:00+07:00", "2026-04-20T17:00:00+07:00"],
  ["Saturday", "Sat 18/04/2026 17:00", "2026-04-18T17:00:00+07:00", "2026-04-20T17:00:00+07:00"],
  // 30/04 and 01/05 are public holidays, 02–03/05 a weekend: the next working day is Mon 04/05.
  ["holiday", "Thu 30/04/2026 07:29", "2026-04-30T07:29:00+07:00", "2026-05-04T17:00:00+07:00"],
  ["holiday", "Thu 30/04/2026 11:30", "2026-04-30T11:30:00+07:00", "2026-05-04T17:00:00+07:00"],
  ["holiday", "Thu 30/04/2026 16:59", "2026-04-30T16:59:00+07:00", "2026-05-04T17:00:00+07:00"],
  ["holiday", "Thu 30/04/2026 17:00", "2026-04-30T17:00:00+07:00", "2026-05-04T17:00:00+07:00"],
] as const;

describe.each(rounds)("the lifecycle on a %s, at %s", (_kind, _label, start, inTime) => {
  it(`received, deadlines from the monitor, a letter for a due instant ${inTime} in time and a minute earlier too late, assigned to returned`, async () => {
    p.clock.set(start);
    const now = p.clock.now();
    const event = received(now, { dueInDays: 10 });
    const id = await p.receive(event);

    // Before the monitor's first word: the receipt's due instant, nothing else.
    const first = (await p.get(id)).body;
    expect(first).toMatchObject({
      state: "received",
      nationalStatusCode: 2,
      version: 1,
      dueAt: new Date(event.payload.dueAt).toISOString(),
      slaSequence: null,
      stepRuns: [],
      overdue: false,
      dueSoon: false,
      receivingUnitCode: "H44.100",
      competentUnitCode: "H44.100",
      currentUnitCode: "H44.100",
      verdict: null,
    });

    // The monitor sets a due instant a minute short of a working day ahead: the letter is too late.
    const short = plus(inTime, -MINUTE);
    await publishSla(p.env, [
      deadlineSet(event, now, {
        sequence: 1,
        dueAt: short,
        dueSoonAt: formatInstant(now),
        steps: [monitorRun({ startedAt: event.payload.receivedAt, dueAt: short })],
      }),
    ]);
    const shown = await p.slaShown(id, 1);
    expect(shown).toMatchObject({
      dueAt: new Date(short).toISOString(),
      dueSoon: true,
      overdue: false,
      stepRuns: [
        { runNo: 1, stepId: "receive", unitCode: "H44.100", endedAt: null, late: false, overdue: false },
      ],
    });
    const letter = { newDueAt: plus(inTime, 5 * DAY), reason: "Chờ kết quả xác minh" };
    const refused = await p.act(id, "extend", leader100, { expectedVersion: 1, ...letter });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "PROCESSING_EXTENSION_TOO_LATE",
      details: { overdue: false },
    });
    expect((await p.get(id)).body).toMatchObject({ version: 1, extension: null });

    // A working day ahead exactly: in time.
    await publishSla(p.env, [deadlineSet(event, now, { sequence: 2, dueAt: inTime, reason: "corrected" })]);
    await p.slaShown(id, 2);
    const extended = await p.step(id, "extend", leader100, letter);
    expect(extended.extension).toMatchObject({
      previousDueAt: new Date(inTime).toISOString(),
      newDueAt: new Date(letter.newDueAt).toISOString(),
    });

    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "transfer", spec100, {});
    await p.step(id, "transfer", spec100, {});
    const resolved = await p.step(id, "resolve", leader100, { outcome: "approved", electronicResult: true });
    expect(resolved).toMatchObject({
      state: "resolved",
      nationalStatusCode: 9,
      overdue: false,
      dueSoon: false,
    });
    const done = await p.step(id, "return", reception100, { returnChannel: "counter" });
    expect(done).toMatchObject({ state: "returned", nationalStatusCode: 10, version: 7, allowedActions: [] });
    const { body } = await p.get(id);
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual([
      "dossier.received",
      "dossier.extended",
      "dossier.assigned",
      "dossier.transferred",
      "dossier.transferred",
      "dossier.resolved",
      "dossier.returned",
    ]);
    // Every event processing wrote carries the service clock's instant.
    for (const e of body.timeline.slice(1)) expect(Date.parse(e.occurredAt)).toBe(now.getTime());

    await publishSla(p.env, [
      slaVerdict(event, now, {
        sequence: 3,
        verdict: "early",
        reason: "Resolved before the due day",
        dueAt: inTime,
        steps: [
          monitorRun({ startedAt: event.payload.receivedAt, endedAt: formatInstant(now), dueAt: inTime }),
        ],
      }),
    ]);
    expect(await p.slaShown(id, 3)).toMatchObject({
      verdict: { verdict: "early", reason: "Resolved before the due day", unitAtFaultCode: null },
      overdue: false,
    });
  });

  it("an open dossier due at this very instant is within time, and overdue a second later", async () => {
    const now = p.clock.now();
    const event = received(now);
    const id = await p.receive(event);
    const due = formatInstant(now);
    await publishSla(p.env, [
      deadlineSet(event, now, {
        sequence: 1,
        dueAt: due,
        dueSoonAt: due,
        steps: [monitorRun({ startedAt: event.payload.receivedAt, dueAt: due })],
      }),
    ]);
    expect(await p.slaShown(id, 1)).toMatchObject({
      overdue: false,
      dueSoon: true,
      stepRuns: [{ overdue: false }],
    });
    expect(ids((await p.queue("?overdue=true&limit=200")).body)).not.toContain(id);
    expect(ids((await p.queue("?overdue=false&limit=200")).body)).toContain(id);

    p.clock.advance(1000);
    expect((await p.get(id)).body).toMatchObject({
      overdue: true,
      dueSoon: false,
      stepRuns: [{ overdue: true }],
    });
    const overdue = (await p.queue("?overdue=true&limit=200")).body;
    expect(ids(overdue)).toContain(id);
    expect(overdue.items.find((i: { id: string }) => i.id === id)).toMatchObject({ overdue: true });
    expect(ids((await p.queue("?overdue=false&limit=200")).body)).not.toContain(id);
  });
});

describe("every path through the workflow", () => {
  it("transfer over three units: each receiving unit sees it in its queue at once", async () => {
    const id = await p.receive(received(p.clock.now(), { steps: threeUnitSteps }));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "transfer", spec100, { note: "Chuyển Sở Công Thương" });
    const q07 = await p.queue("?status=processing", ["H44.07", "specialist"]);
    expect(ids(q07.body)).toContain(id);
    // the ward no longer holds it
    expect((await p.act(id, "assign", leader100, { expectedVersion: 3, assigneeStaffId: "x" })).status).toBe(
      403,
    );
    await p.step(id, "assign", ["H44.07", "leader"], { assigneeStaffId: "cv@H44.07" });
    // verify is a coordinating step: the handling unit may name another department
    const moved = await p.step(id, "transfer", ["H44.07", "specialist", "cv@H44.07"], {
      toUnitCode: "H44.06",
    });
    expect(moved).toMatchObject({
      currentUnitCode: "H44.06",
      currentStep: { id: "verify", unitCode: "H44.06" },
    });
    expect(ids((await p.queue("", ["H44.06", "leader"])).body)).toEqual([id]);
    await p.step(id, "transfer", ["H44.06", "specialist"], {});
    const last = await p.get(id, ["H44.05", "leader"]);
    expect(last.body).toMatchObject({ currentUnitCode: "H44.05", currentStep: { id: "approve" } });
    const noNext = await p.act(id, "transfer", ["H44.05", "specialist"], {
      expectedVersion: last.body.version,
    });
    expect(noNext.status).toBe(409);
    expect(noNext.body.error.code).toBe("PROCESSING_NO_NEXT_STEP");
    await p.step(id, "resolve", ["H44.05", "leader"], { outcome: "approved" });
    await p.step(id, "return", reception100, { returnChannel: "postal" });
    // a unit that held the dossier still sees it
    expect((await p.get(id, ["H44.06", "specialist"])).status).toBe(200);
  });

  for (const rule of ["pause", "reset"] as const) {
    it(`supplement under the ${rule} rule: requested, waits, received, resumes`, async () => {
      const id = await p.receive(received(p.clock.now(), { supplementRule: rule, maxSupplementRequests: 1 }));
      await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
      const waiting = await p.step(id, "request-supplement", spec100, {
        missingItems: ["Bản sao giấy chứng nhận"],
        reason: "Thiếu giấy tờ",
      });
      expect(waiting).toMatchObject({
        state: "awaiting_supplement",
        nationalStatusCode: 5,
        supplementRequests: 1,
      });
      p.clock.advance(MINUTE);
      const back = await p.step(id, "receive-supplement", reception100, {});
      expect(back).toMatchObject({ state: "processing", pausedAt: null });
      const again = await p.act(id, "request-supplement", spec100, {
        expectedVersion: back.version,
        missingItems: ["x"],
        reason: "y",
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("PROCESSING_SUPPLEMENT_LIMIT");
      const { body } = await p.get(id);
      expect(body.timeline[3].details).toMatchObject({
        supplementRule: rule,
        requestNumber: 1,
        suppliedAt: formatInstant(p.clock.now()),
      });
    });
  }

  it("awaiting payment, paid, then refused with reasons", async () => {
    const id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const pay = await p.step(id, "request-payment", spec100, {
      obligations: [{ kind: "charge", description: "Lệ phí", amountVnd: 100000 }],
    });
    expect(pay).toMatchObject({ state: "awaiting_payment", nationalStatusCode: 6 });
    await p.step(id, "receive-payment", reception100, { amountVnd: 100000, method: "online" });
    const refused = await p.step(id, "resolve", leader100, {
      outcome: "refused",
      refusalReasons: ["Không đủ điều kiện"],
    });
    expect(refused).toMatchObject({ state: "resolved", outcome: "refused" });
    const noReasons = await p.act(id, "resolve", leader100, { expectedVersion: 1, outcome: "refused" });
    expect(noReasons.status).toBe(400);
  });

  it("the apology letter as JSON and HTML, with the date it moved", async () => {
    const id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const due = (await p.get(id)).body.dueAt;
    const newDueAt = new Date(Date.parse(due) + 5 * DAY).toISOString();
    const ext = await p.step(id, "extend", leader100, {
      newDueAt,
      reason: "Chờ kết quả xác minh",
      apologyLetterRef: "12/XL",
    });
    expect(ext.extension).toMatchObject({ previousDueAt: due, newDueAt, reason: "Chờ kết quả xác minh" });
    const second = await p.act(id, "extend", leader100, {
      expectedVersion: ext.version,
      newDueAt,
      reason: "lại",
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: "PROCESSING_ALREADY_EXTENDED",
      details: { reason: "Chờ kết quả xác minh" },
    });
    const letter = await fetch(`${p.url}/v1/dossiers/${id}/apology-letter`, {
      headers: tokenFor(...leader100),
    });
    expect(await letter.json()).toMatchObject({
      form: "04",
      previousDueAt: due,
      newDueAt,
      apologyLetterRef: "12/XL",
    });
    const html = await fetch(`${p.url}/v1/dossiers/${id}/apology-letter?format=html`, {
      headers: tokenFor(...leader100),
    });
    expect(html.headers.get("content-type")).toMatch(/text\/html/);
    const page = await html.text();
    expect(page).toContain("Phiếu xin lỗi và hẹn lại ngày trả kết quả");
    // the official heading: the issuing unit from the catalogue, the national name and motto
    expect(page).toContain("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>");
    expect(page).toContain("<b>Độc lập - Tự do - Hạnh phúc</b>");
    expect(page).toMatch(/<b>ỦY BAN NHÂN DÂN ĐƠN VỊ H44\.100<\/b>/);
  });

  it("withdrawn: withdrawal requested at the counter, then stopped", async () => {
    const id = await p.receive(received(p.clock.now()));
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const w = await p.step(id, "withdraw", reception100, { reason: "Công dân rút hồ sơ" });
    expect(w).toMatchObject({
      state: "withdrawal_requested",
      nationalStatusCode: 7,
      allowedActions: ["stop"],
    });
    const wrong = await p.act(id, "stop", leader100, {
      expectedVersion: w.version,
      reason: "stop-notice",
      explanation: "x",
    });
    expect(wrong.body.error.code).toBe("PROCESSING_STOP_REASON_MISMATCH");
    const s = await p.step(id, "stop", leader100, { reason: "withdrawn", explanation: "Rút theo đơn" });
    expect(s).toMatchObject({ state: "stopped", nationalStatusCode: 8, stopReason: "withdrawn" });
  });

  it("stopped: a stop notice during processing, and a lapsed supplement", async () => {
    const a = await p.receive(received(p.clock.now()));
    await p.step(a, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    const s = await p.step(a, "stop", leader100, {
      reason: "stop-notice",
      explanation: "Thông báo dừng",
      stopNoticeRef: "05/TB",
    });
    expect(s).toMatchObject({ state: "stopped", stopReason: "stop-notice" });
    const b = await p.receive(received(p.clock.now()));
    await p.step(b, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(b, "request-supplement", spec100, { missingItems: ["x"], reason: "y" });
    const lapsed = await p.step(b, "stop", leader100, {
      reason: "supplement-lapsed",
      explanation: "Quá hạn bổ sung",
    });
    expect(lapsed).toMatchObject({ state: "stopped", stopReason: "supplement-lapsed" });
  });
});

describe("replay", () => {
  it("a replay from the topics rebuilds the same state, row by row", async () => {
    await waitUntil("the outbox to drain", async () => (await outboxPending(p.env.pool)) === 0);
    // The live state is compared once the live consumer has applied both topics to their ends.
    for (const topic of ["dossier.events", "sla.events"])
      await waitUntil(`the live consumer at the end of ${topic}`, () =>
        caughtUp(p.env.pool, p.env.admin, p.env.schema, topic),
      );
    const schema = await p.env.createSchema("replay");
    const result = await replay({ env: p.env.serviceEnv(), schema, clock: p.clock });
    const dump = async (s: string, table: string, order: string) =>
      (await p.env.pool.query(`SELECT * FROM "${s}".${table} ORDER BY ${order}`)).rows;
    for (const [table, order] of [
      ["dossiers", "id"],
      ["timeline", "dossier_id, seq"],
      ["step_visits", "dossier_id, run_no"],
      ["sla_latest", "dossier_id"],
      ["sla_step_runs", "dossier_id, run_no"],
    ] as const) {
      const live = await dump(p.env.schema, table, order);
      const rebuilt = await dump(schema, table, order);
      expect(rebuilt.length, table).toBeGreaterThan(0);
      expect(rebuilt, table).toEqual(live);
    }
    expect(result.dossiers).toBe((await dump(p.env.schema, "dossiers", "id")).length);
  });
});
