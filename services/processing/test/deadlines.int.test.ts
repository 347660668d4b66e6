import { createEvent, formatInstant } from "@tthc/contracts";
import { http, tokenFor } from "@tthc/testkit";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deadlineSet,
  monitorRun,
  publishSla,
  received,
  SHORT_HOURS_UNIT,
  slaVerdict,
  threeUnitSteps,
} from "./fixtures.js";
import { leader100, type Processing, spec100, startProcessing } from "./harness.js";

const DAY = 86_400_000;
const iso = (s: string) => new Date(s).toISOString();

let p: Processing;
beforeAll(async () => {
  // Mon 04/05/2026 10:00, worked example 2 of docs/domain.md
  p = await startProcessing("processing-deadlines", "2026-05-04T10:00:00+07:00");
});
afterAll(async () => {
  await p?.stop();
});

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

describe("finding 3: the step deadlines processing shows are the monitor's", () => {
  it("a sla.deadline-set v2 from the monitor is what the dossier shows: due instant, step runs and units", async () => {
    const now = p.clock.now();
    const event = received(now, { steps: threeUnitSteps, dueAt: "2026-05-18T10:00:00+07:00" });
    const id = await p.receive(event);
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "transfer", spec100, {});
    // The monitor judges the first run in the ward's time and the review in the department's: its
    // deadlines, not any processing would compute, with the unit after the transfer.
    const runs = [
      monitorRun({
        stepId: "receive",
        unitCode: "H44.100",
        staffId: "cv@H44.100",
        startedAt: "2026-05-04T10:00:00+07:00",
        endedAt: "2026-05-04T10:00:00+07:00",
        dueAt: "2026-05-04T13:41:00+07:00",
      }),
      monitorRun({
        runNo: 2,
        stepId: "review",
        unitCode: "H44.07",
        startedAt: "2026-05-04T10:00:00+07:00",
        dueAt: "2026-05-11T14:00:00+07:00",
      }),
    ];
    await publishSla(p.env, [
      deadlineSet(event, now, {
        sequence: 2,
        reason: "transferred",
        dueAt: "2026-05-18T14:00:00+07:00",
        dueSoonAt: "2026-05-15T14:00:00+07:00",
        holdingUnitCode: "H44.07",
        competentUnitCode: "H44.05",
        steps: runs,
      }),
    ]);
    const shown = await p.slaShown(id, 2);
    expect(shown).toMatchObject({
      dueAt: iso("2026-05-18T14:00:00+07:00"),
      dueSoonAt: iso("2026-05-15T14:00:00+07:00"),
      competentUnitCode: "H44.05",
      currentUnitCode: "H44.07",
      paused: false,
      overdue: false,
      dueSoon: false,
    });
    expect(shown.stepRuns).toEqual([
      {
        runNo: 1,
        stepId: "receive",
        unitCode: "H44.100",
        staffId: "cv@H44.100",
        startedAt: iso("2026-05-04T10:00:00+07:00"),
        endedAt: iso("2026-05-04T10:00:00+07:00"),
        dueAt: iso("2026-05-04T13:41:00+07:00"),
        late: false,
        overdue: false,
      },
      {
        runNo: 2,
        stepId: "review",
        unitCode: "H44.07",
        staffId: null,
        startedAt: iso("2026-05-04T10:00:00+07:00"),
        endedAt: null,
        dueAt: iso("2026-05-11T14:00:00+07:00"),
        late: false,
        overdue: false,
      },
    ]);
    // The events processing writes carry no step deadline of its own.
    const transferred = shown.timeline.find((e: { type: string }) => e.type === "dossier.transferred");
    expect(transferred.details.stepDeadlineAt).toBeUndefined();

    // An older sequence delivered after the newer one changes nothing.
    const older = deadlineSet(event, now, { sequence: 1, dueAt: "2026-05-29T10:00:00+07:00", steps: [] });
    await publishSla(p.env, [older]);
    await p.handled(older);
    expect((await p.get(id)).body).toMatchObject({ slaSequence: 2, dueAt: iso("2026-05-18T14:00:00+07:00") });
    expect((await p.get(id)).body.stepRuns).toHaveLength(2);

    // A second event of the same sequence changes nothing either, whatever it says.
    const same = deadlineSet(event, now, { sequence: 2, dueAt: "2026-06-30T10:00:00+07:00", steps: [] });
    await publishSla(p.env, [same]);
    await p.handled(same);
    const after = (await p.get(id)).body;
    expect(after).toMatchObject({ slaSequence: 2, dueAt: iso("2026-05-18T14:00:00+07:00") });
    expect(after.stepRuns).toEqual(shown.stepRuns);
  });

  it("the same event delivered twice changes nothing", async () => {
    const now = p.clock.now();
    const event = received(now);
    const id = await p.receive(event);
    const first = deadlineSet(event, now, { sequence: 1, dueAt: "2026-05-20T10:00:00+07:00" });
    await publishSla(p.env, [first]);
    const before = await p.slaShown(id, 1);
    const newer = deadlineSet(event, now, { sequence: 2, dueAt: "2026-05-21T10:00:00+07:00" });
    await publishSla(p.env, [newer]);
    await p.slaShown(id, 2);
    // the first one again, then an alert for the same dossier (same key, same partition, after it)
    await publishSla(p.env, [first]);
    const marker = createEvent(
      "sla.due-soon",
      {
        dossierId: id,
        unitCode: "H44.100",
        correlationId: "marker",
        payload: {
          dossierCode: event.payload.dossierCode,
          deadline: {
            kind: "dossier",
            stepId: null,
            unitCode: "H44.100",
            dueAt: "2026-05-21T10:00:00+07:00",
          },
          assigneeStaffId: null,
          remainingMinutes: 60,
        },
      },
      { now: () => now },
    );
    await publishSla(p.env, [marker]);
    await p.handled(marker);
    const after = (await p.get(id)).body;
    expect(after).toMatchObject({ slaSequence: 2, dueAt: iso("2026-05-21T10:00:00+07:00") });
    expect(before.dueAt).toBe(iso("2026-05-20T10:00:00+07:00"));
  });

  it("the monitor's data may come before the reception: the dossier shows them, not the receipt's", async () => {
    const now = p.clock.now();
    const event = received(now, { dueAt: "2026-05-18T10:00:00+07:00" });
    const early = deadlineSet(event, now, { sequence: 1, dueAt: "2026-05-18T15:30:00+07:00" });
    await publishSla(p.env, [early]);
    await p.handled(early);
    const id = await p.receive(event);
    expect((await p.get(id)).body).toMatchObject({ slaSequence: 1, dueAt: iso("2026-05-18T15:30:00+07:00") });
    const q = (await p.queue("?limit=500")).body.items.find((i: { id: string }) => i.id === id);
    expect(q).toMatchObject({ dueAt: iso("2026-05-18T15:30:00+07:00") });
  });

  it("the verdict from the monitor, with the unit at fault", async () => {
    const now = p.clock.now();
    const event = received(now);
    const id = await p.receive(event);
    await p.step(id, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(id, "transfer", spec100, {});
    await p.step(id, "transfer", spec100, {});
    await p.step(id, "resolve", leader100, { outcome: "approved" });
    await publishSla(p.env, [
      slaVerdict(event, now, {
        sequence: 4,
        verdict: "late",
        reason: "Resolved after the due instant",
        unitAtFaultCode: "H44.100",
        steps: [monitorRun({ startedAt: event.payload.receivedAt, endedAt: formatInstant(now), late: true })],
      }),
    ]);
    expect(await p.slaShown(id, 4)).toMatchObject({
      state: "resolved",
      verdict: {
        verdict: "late",
        reason: "Resolved after the due instant",
        effectiveEndAt: now.toISOString(),
        unitAtFaultCode: "H44.100",
      },
      overdue: false,
      stepRuns: [{ late: true, overdue: false }],
    });
  });
});

describe("queues judged at the service clock's instant", () => {
  it("filters by status, overdue and dueBefore, and pages with a cursor", async () => {
    for (let i = 0; i < 6; i++) await p.receive(received(p.clock.now(), { dueInDays: 3 + i }));
    const late = await p.receive(received(p.clock.now(), { ageDays: 30, dueInDays: -2 }));
    const overdue = await p.queue("?overdue=true&limit=500");
    expect(ids(overdue.body)).toContain(late);
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const before = await p.queue(`?dueBefore=${encodeURIComponent(p.clock.now().toISOString())}&limit=500`);
    expect(ids(before.body)).toContain(late);
    const all = await p.queue("?limit=500");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await p.queue(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids(all.body));
    expect(seen.length).toBeGreaterThan(5);
    expect((await p.queue("?cursor=nonsense")).status).toBe(400);
    expect((await p.queue("?unit=H44.07")).status).toBe(403);
  });

  it("a pause that hides the due instant is not overdue; a supplement asked after it is, and keeps its place", async () => {
    const now = p.clock.now();
    const hidden = received(now, { ageDays: 20, dueInDays: -1 });
    const hiddenId = await p.receive(hidden);
    await p.step(hiddenId, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(hiddenId, "request-supplement", spec100, { missingItems: ["x"], reason: "y" });
    await publishSla(p.env, [
      deadlineSet(hidden, now, {
        sequence: 3,
        reason: "paused",
        dueAt: null,
        paused: true,
        previousDueAt: hidden.payload.dueAt,
      }),
    ]);
    expect(await p.slaShown(hiddenId, 3)).toMatchObject({ dueAt: null, paused: true, overdue: false });

    const past = received(now, { ageDays: 20, dueInDays: -1 });
    const pastId = await p.receive(past);
    await p.step(pastId, "assign", leader100, { assigneeStaffId: "cv@H44.100" });
    await p.step(pastId, "request-supplement", spec100, { missingItems: ["x"], reason: "y" });
    await publishSla(p.env, [
      deadlineSet(past, now, { sequence: 3, reason: "paused", paused: true, lateSince: past.payload.dueAt }),
    ]);
    expect(await p.slaShown(pastId, 3)).toMatchObject({
      state: "awaiting_supplement",
      overdue: true,
      paused: true,
      lateSince: iso(past.payload.dueAt),
    });

    const overdue = ids((await p.queue("?overdue=true&limit=500")).body);
    expect(overdue).toContain(pastId);
    expect(overdue).not.toContain(hiddenId);
    const notOverdue = ids((await p.queue("?overdue=false&limit=500")).body);
    expect(notOverdue).toContain(hiddenId);
    // in the queue, the hidden one keeps the place of the last due instant known
    const queue = ids((await p.queue("?status=awaiting_supplement&limit=500")).body);
    expect(queue.indexOf(hiddenId)).toBeGreaterThanOrEqual(0);
    const items = (await p.queue("?status=awaiting_supplement&limit=500")).body.items;
    expect(items.find((i: { id: string }) => i.id === hiddenId)).toMatchObject({
      dueAt: null,
      overdue: false,
    });
  });
});

describe("the extension counts in the receiving unit's working time, from the catalogue", () => {
  it("Thu 07/05/2026 16:00 for a due instant of Fri 08/05 09:00: in time at a unit working 07:00–09:00", async () => {
    p.clock.set("2026-05-07T16:00:00+07:00");
    const now = p.clock.now();
    const letter = { newDueAt: "2026-05-15T09:00:00+07:00", reason: "Chờ xác minh" };
    const due = "2026-05-08T09:00:00+07:00";
    // The ward works the default sessions: 60 + 90 = 150 working minutes, less than its day of 450.
    const ward = received(now, { dueAt: due });
    const wardId = await p.receive(ward);
    const refused = await p.act(wardId, "extend", leader100, { expectedVersion: 1, ...letter });
    expect(refused.body.error?.code).toBe("PROCESSING_EXTENSION_TOO_LATE");
    // A unit working 07:00–09:00: Friday's 120 minutes are its whole working day.
    const short = received(now, { dueAt: due, receivingUnitCode: SHORT_HOURS_UNIT });
    const shortId = await p.receive(short);
    const allowed = await p.act(shortId, "extend", [SHORT_HOURS_UNIT, "leader"], {
      expectedVersion: 1,
      ...letter,
    });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
  });

  it("an overdue dossier gets no apology letter", async () => {
    const now = p.clock.now();
    const id = await p.receive(received(now, { ageDays: 10, dueInDays: -1 }));
    const res = await p.act(id, "extend", leader100, {
      expectedVersion: 1,
      newDueAt: formatInstant(new Date(now.getTime() + 5 * DAY)),
      reason: "muộn",
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "PROCESSING_EXTENSION_TOO_LATE",
      details: { overdue: true },
    });
  });
});

describe("per-staff timeliness (NĐ 335/2025) from the monitor's step runs", () => {
  it("runs ended in the month at the unit, late as the monitor judged, agreeing with the unit at fault", async () => {
    p.clock.set("2026-05-20T10:00:00+07:00");
    const now = p.clock.now();
    const event = received(now, { steps: threeUnitSteps, receivingUnitCode: "H44.90" });
    await p.receive(event);
    const runs = [
      monitorRun({
        stepId: "receive",
        unitCode: "H44.90",
        staffId: "a@H44.90",
        startedAt: "2026-05-11T08:00:00+07:00",
        endedAt: "2026-05-11T09:00:00+07:00",
        dueAt: "2026-05-11T11:45:00+07:00",
      }),
      monitorRun({
        runNo: 2,
        stepId: "review",
        unitCode: "H44.07",
        staffId: "b@H44.07",
        startedAt: "2026-05-11T09:00:00+07:00",
        endedAt: "2026-05-19T09:00:00+07:00",
        dueAt: "2026-05-18T09:00:00+07:00",
        late: true,
        overMinutes: 450,
      }),
      monitorRun({
        runNo: 3,
        stepId: "verify",
        unitCode: "H44.90",
        staffId: "a@H44.90",
        startedAt: "2026-05-19T09:00:00+07:00",
        endedAt: "2026-05-20T09:00:00+07:00",
        dueAt: "2026-05-22T09:00:00+07:00",
      }),
      // ended in April: another month
      monitorRun({
        runNo: 4,
        stepId: "approve",
        unitCode: "H44.90",
        staffId: "c@H44.90",
        startedAt: "2026-04-29T09:00:00+07:00",
        endedAt: "2026-04-30T23:59:00+07:00",
        dueAt: "2026-04-29T10:00:00+07:00",
        late: true,
      }),
      // still open: not a product yet
      monitorRun({
        runNo: 5,
        stepId: "approve",
        unitCode: "H44.90",
        staffId: "a@H44.90",
        startedAt: "2026-05-20T09:00:00+07:00",
      }),
    ];
    await publishSla(p.env, [
      slaVerdict(event, now, { sequence: 7, verdict: "late", unitAtFaultCode: "H44.07", steps: runs }),
    ]);
    await p.slaShown(event.dossierId, 7);

    const at = async (unit: string) =>
      (
        await http(`${p.url}/v1/staff-timeliness?month=2026-05&unit=${unit}`, {
          headers: tokenFor("H44.90", "admin"),
        })
      ).body;
    const ward = await at("H44.90");
    expect(ward.staff).toHaveLength(1);
    expect(ward.staff[0]).toMatchObject({ staffId: "a@H44.90", handled: 2, met: 2, late: 0 });
    const department = await at("H44.07");
    expect(department.staff).toEqual([
      expect.objectContaining({ staffId: "b@H44.07", handled: 1, met: 0, late: 1 }),
    ]);
    expect(department.staff[0].steps[0]).toMatchObject({
      dossierCode: event.payload.dossierCode,
      deadlineAt: iso("2026-05-18T09:00:00+07:00"),
      met: false,
    });

    const csv = await fetch(`${p.url}/v1/staff-timeliness.csv?month=2026-05&unit=H44.07`, {
      headers: tokenFor("H44.07", "leader"),
    });
    // machine-readable: one header row of the JSON's keys, a line per step, CRLF (the byte-order mark is dropped by text())
    const lines = (await csv.text()).split("\r\n");
    expect(lines).toEqual([
      "staff_id,dossier_code,step_id,unit_code,started_at,ended_at,deadline_at,met",
      `b@H44.07,${event.payload.dossierCode},review,H44.07,${iso("2026-05-11T09:00:00+07:00")},${iso("2026-05-19T09:00:00+07:00")},${iso("2026-05-18T09:00:00+07:00")},false`,
      "",
    ]);
    // for people: the same month per staff member, Vietnamese headers, the unit's heading, A4 landscape
    const xlsx = await fetch(`${p.url}/v1/staff-timeliness.xlsx?month=2026-05&unit=H44.07`, {
      headers: tokenFor("H44.07", "leader"),
    });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.pageSetup).toMatchObject({
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(sheet.pageSetup.printTitlesRow).toBe("9:10");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 10 });
    expect(sheet.getCell("A1").value).toBe("ĐƠN VỊ H44.07");
    expect(sheet.getCell("A5").value).toBe("BẢNG THEO DÕI TIẾN ĐỘ XỬ LÝ HỒ SƠ CỦA CÁN BỘ, CÔNG CHỨC");
    expect(sheet.getCell("A6").value).toBe("Kỳ báo cáo: Tháng 5 năm 2026");
    expect([1, 2, 3, 6].map((c) => sheet.getCell(9, c).value)).toEqual([
      "STT",
      "Cán bộ, công chức",
      "Số bước xử lý đã hoàn thành trong tháng",
      "Tỷ lệ đúng hạn (%)",
    ]);
    expect([3, 4, 5].map((c) => sheet.getCell(10, c).value)).toEqual(["Tổng số", "Đúng hạn", "Quá hạn"]);
    expect([1, 2, 3, 4, 5, 6].map((c) => sheet.getCell(11, c).value)).toEqual([1, "b@H44.07", 1, 0, 1, 0]);
    expect(sheet.getCell("F11").numFmt).toBe("0.00%");
    expect(sheet.getCell("B12").value).toBe("Tổng cộng");
    expect(sheet.getCell("C12").font.bold).toBe(true);
    const page = await fetch(`${p.url}/v1/staff-timeliness.html?month=2026-05&unit=H44.07`, {
      headers: tokenFor("H44.07", "leader"),
    });
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain("@page { size: A4 landscape;");
    expect(html).toContain('<th rowspan="2">Cán bộ, công chức</th>');
    expect(html).not.toContain("staff_id");
    const april = await http(`${p.url}/v1/staff-timeliness?month=2026-04&unit=H44.90`, {
      headers: tokenFor("H44.90", "leader"),
    });
    expect(april.body.staff).toEqual([expect.objectContaining({ staffId: "c@H44.90", handled: 1, late: 1 })]);
    const spec = await fetch(`${p.url}/v1/staff-timeliness?month=2026-05`, { headers: tokenFor(...spec100) });
    expect(spec.status).toBe(403);
    for (const ext of ["csv", "xlsx", "html"]) {
      const res = await fetch(`${p.url}/v1/staff-timeliness.${ext}?month=2026-05`, {
        headers: tokenFor(...spec100),
      });
      expect(res.status).toBe(403);
    }
  });
});
