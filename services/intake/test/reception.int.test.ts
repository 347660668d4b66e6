import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { BusProducer, eventRecord } from "@tthc/bus";
import { computeDueAt, createCalendarSet, formatIsoLocal, toEpochMs } from "@tthc/calendar";
import { createEvent, formatInstant } from "@tthc/contracts";
import { ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/service.js";
import { APPLICANT, collect, type Json, jsonOf, PROCEDURE, startIntake, UNIT, UNIT_ID } from "./fixtures.js";

const ROOT = resolve(import.meta.dirname, "../../..");
let env: TestEnv;
let intake: RunningService<Config>;
let url: string;
let events: Awaited<ReturnType<typeof collect>>;

const reception = (unit = UNIT) => tokenFor(unit, "reception");
/** The counter of this file works on Tue 10/11/2026, from 10:00. */
const clock = new ManualClock("2026-11-10T10:00:00+07:00");
const today = () => "261110";

async function count(sql: string): Promise<number> {
  return (await env.pool.query<{ n: number }>(sql)).rows[0]!.n;
}
const dossierCount = () => count("SELECT count(*)::int AS n FROM dossiers");
const receivedEvents = () =>
  count("SELECT count(*)::int AS n FROM bus_outbox WHERE topic = 'dossier.events'");

beforeAll(async () => {
  env = await createTestEnv("intake-reception");
  ({ service: intake, url } = await startIntake(env, { LOOKUP_RATE_LIMIT: "1000" }, clock));
  events = await collect(env, "reception-test", ["dossier.events"]);
});
afterAll(async () => {
  await events?.stop();
  await intake?.stop();
  await env?.cleanup();
});

describe("POST /v1/dossiers", () => {
  it("publishes dossier.received with the due instant the calendar gives from the acceptance, and returns the receipt", async () => {
    const submittedAt = "2026-11-10T09:00:00+07:00";
    const acceptedAt = clock.now().toISOString();
    const res = await http(`${url}/v1/dossiers`, {
      headers: reception(),
      body: {
        channel: "online",
        procedureCode: PROCEDURE,
        receivingUnitCode: UNIT,
        applicant: APPLICANT,
        submittedAt,
        portalRef: "DVCQG-G22.99-261110-0001",
        documents: [{ name: "Đơn đăng ký biến động", copies: 1, original: true }],
      },
    });
    expect(res.status).toBe(201);
    const calendar = createCalendarSet().asOf(acceptedAt);
    const expectedDue = formatIsoLocal(
      computeDueAt(calendar, toEpochMs(acceptedAt), { amount: 10, unit: "days" }),
    );
    // Ten working days from the acceptance, Tue 10/11/2026 10:00, no holiday in between; the online
    // submission an hour before is kept but starts nothing.
    expect(expectedDue).toBe("2026-11-24T10:00:00+07:00");
    expect(res.body.code).toMatch(new RegExp(`^${UNIT_ID.replaceAll(".", "\\.")}-${today()}-\\d{4}$`));
    expect(Date.parse(res.body.dueAt)).toBe(Date.parse(expectedDue));
    expect(res.body.procedure.name).toMatch(/^Đăng ký biến động/);
    expect(res.body.applicantName).toBe(APPLICANT.name);

    const event = await waitUntil("dossier.received on dossier.events", () => {
      const m = events.messages.find((x) => jsonOf(x).dossierId === res.body.dossierId);
      return m ? jsonOf(m) : undefined;
    });
    const payload = event.payload as Json;
    expect(event.type).toBe("dossier.received");
    expect(event.unitCode).toBe(UNIT);
    expect(Date.parse(payload.dueAt as string)).toBe(Date.parse(expectedDue));
    expect(Date.parse(payload.clockStartsAt as string)).toBe(Date.parse(acceptedAt));
    expect(payload.clockBasis).toBe("acceptance");
    expect(Date.parse(payload.submittedAt as string)).toBe(Date.parse(submittedAt));
    expect(payload.dossierCode).toBe(res.body.code);
    expect((payload.steps as { unitCode: string }[]).map((s) => s.unitCode)).toEqual([
      UNIT,
      "H44.04",
      "H44.04",
      UNIT,
    ]);
    expect(JSON.stringify(event)).not.toContain(APPLICANT.identityNumber);
    expect(JSON.stringify(event)).not.toContain(APPLICANT.name);
  });

  it("gives 200 concurrent receptions at one unit 200 distinct consecutive codes", async () => {
    const unit = "H44.130";
    // A loaded machine may shed some of them with 503 (no connection free in time), which changes
    // nothing: the counter retries them as a client does, under the same key, until each is in.
    // A 503 that had taken a code would show as a gap, or as a retry answered 200.
    const receive = async (i: number) => {
      for (let attempt = 1; ; attempt++) {
        const res = await http(`${url}/v1/dossiers`, {
          headers: { ...reception(unit), "idempotency-key": `concurrent-${i}` },
          body: {
            channel: "direct",
            procedureCode: "1.004873",
            receivingUnitCode: unit,
            applicant: { ...APPLICANT, identityNumber: String(25190000000 + i).padStart(12, "0") },
          },
        });
        if (res.status !== 503 || attempt === 20) return res;
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    };
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => receive(i)));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(201));
    const sequences = results.map((r) => Number(String(r.body.code).split("-").pop())).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.code)).size).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM dossiers WHERE receiving_unit_code = '${unit}'`)).toBe(
      200,
    );
  }, 180_000);

  it("returns the first receipt for a retried Idempotency-Key, and for the same portal reference", async () => {
    const body = {
      channel: "direct",
      procedureCode: "1.004873",
      receivingUnitCode: UNIT,
      applicant: APPLICANT,
    };
    const headers = { ...reception(), "idempotency-key": "counter-3-20261123-0042" };
    const before = await dossierCount();
    const attempts = await Promise.all([1, 2, 3, 4].map(() => http(`${url}/v1/dossiers`, { headers, body })));
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(attempts.map((a) => a.body.code)).size).toBe(1);
    const again = await http(`${url}/v1/dossiers`, { headers, body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(attempts.find((a) => a.status === 201)!.body);
    expect(await dossierCount()).toBe(before + 1);

    const other = await http(`${url}/v1/dossiers`, { headers, body: { ...body, procedureCode: "1.001022" } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("INTAKE_IDEMPOTENCY_KEY_REUSED");

    const online = {
      ...body,
      channel: "online",
      submittedAt: formatInstant(new Date(clock.nowMs() - 3_600_000)),
      portalRef: "DVCQG-RETRY-1",
    };
    const first = await http(`${url}/v1/dossiers`, { headers: reception(), body: online });
    const second = await http(`${url}/v1/dossiers`, { headers: reception(), body: online });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.code).toBe(first.body.code);
    expect(await dossierCount()).toBe(before + 2);
  });

  it("prints the receipt as a Vietnamese HTML page", async () => {
    const res = await fetch(`${url}/v1/dossiers?format=html`, {
      method: "POST",
      headers: { ...reception(), "content-type": "application/json" },
      body: JSON.stringify({
        channel: "postal",
        procedureCode: "1.004873",
        receivingUnitCode: UNIT,
        applicant: APPLICANT,
      }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
    expect(html).toContain("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>");
    expect(html).toContain("<b>Độc lập - Tự do - Hạnh phúc</b>");
    expect(html).toContain("Bưu chính công ích");
    expect(html).toMatch(
      new RegExp(`Mã hồ sơ: <strong>${UNIT_ID.replaceAll(".", "\\.")}-${today()}-\\d{4}</strong>`),
    );
  });
});

describe("GET /v1/dossiers/:code, the public lookup", () => {
  it("shows status, dates and units, and no personal data", async () => {
    const received = await http(`${url}/v1/dossiers`, {
      headers: reception(),
      body: { channel: "direct", procedureCode: PROCEDURE, receivingUnitCode: UNIT, applicant: APPLICANT },
    });
    const res = await http(`${url}/v1/dossiers/${received.body.code}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: received.body.code,
      status: "received",
      statusCode: 2,
      receivingUnit: { code: UNIT },
      handlingUnit: { code: UNIT },
      procedure: { code: PROCEDURE },
    });
    expect(Date.parse(res.body.dueAt)).toBe(Date.parse(received.body.dueAt));
    const text = JSON.stringify(res.body);
    for (const value of Object.values(APPLICANT)) expect(text).not.toContain(value);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "code",
        "dueAt",
        "handlingUnit",
        "procedure",
        "receivedAt",
        "receivingUnit",
        "status",
        "statusCode",
        "statusLabel",
        "statusSince",
      ].sort(),
    );
    expect((await http(`${url}/v1/dossiers/${UNIT_ID}-261123-9999`)).status).toBe(404);
    expect((await http(`${url}/v1/dossiers/not-a-code`)).status).toBe(400);
  });

  it("follows the dossier's later events: state and the unit now handling it", async () => {
    const received = await http(`${url}/v1/dossiers`, {
      headers: reception(),
      body: { channel: "direct", procedureCode: PROCEDURE, receivingUnitCode: UNIT, applicant: APPLICANT },
    });
    const transferred = createEvent("dossier.transferred", {
      dossierId: received.body.dossierId,
      unitCode: UNIT,
      correlationId: "test-transfer",
      payload: {
        dossierCode: received.body.code,
        fromStepId: "receive",
        toStepId: "registry-review",
        fromUnitCode: UNIT,
        toUnitCode: "H44.04",
        assigneeStaffId: null,
        note: null,
      },
    });
    const producer = new BusProducer(env.bus);
    await producer.connect();
    const record = eventRecord(transferred);
    await producer.send(record.topic, [
      { key: record.key, value: record.value, headers: record.headers ?? {} },
    ]);
    await producer.disconnect();
    const now = await waitUntil("the lookup shows the transfer", async () => {
      const r = await http(`${url}/v1/dossiers/${received.body.code}`);
      return r.body.handlingUnit?.code === "H44.04" ? r.body : undefined;
    });
    expect(now).toMatchObject({
      status: "processing",
      statusCode: 4,
      handlingUnit: { code: "H44.04", name: "Sở Nông nghiệp và Môi trường" },
    });
  });

  it("shows the due instant the deadline monitor last set, never an older one delivered late", async () => {
    const received = await http(`${url}/v1/dossiers`, {
      headers: reception(),
      body: { channel: "direct", procedureCode: PROCEDURE, receivingUnitCode: UNIT, applicant: APPLICANT },
    });
    const deadline = (sequence: number, dueAt: string) =>
      eventRecord(
        createEvent("sla.deadline-set", {
          dossierId: received.body.dossierId,
          unitCode: UNIT,
          correlationId: `test-deadline-${sequence}`,
          occurredAt: "2026-11-12T10:00:00+07:00",
          payload: {
            dossierCode: received.body.code,
            sequence,
            reason: "resumed",
            explanation: null,
            receivingUnitCode: UNIT,
            competentUnitCode: "H44.04",
            holdingUnitCode: UNIT,
            clockBasis: "acceptance",
            clockStartsAt: received.body.clockStartsAt,
            dueAt,
            dueSoonAt: null,
            previousDueAt: received.body.dueAt,
            paused: false,
            lateSince: null,
            promisedAt: null,
            statutoryMinutes: 4500,
            pausedMinutes: 900,
            steps: [],
            calendarVersions: [{ year: 2026, version: 2 }],
          },
        }),
      );
    const producer = new BusProducer(env.bus);
    await producer.connect();
    for (const record of [
      deadline(3, "2026-11-26T10:00:00+07:00"),
      deadline(2, "2026-11-25T10:00:00+07:00"),
    ]) {
      await producer.send(record.topic, [
        { key: record.key, value: record.value, headers: record.headers ?? {} },
      ]);
    }
    await producer.disconnect();
    await waitUntil("the lookup shows the monitor's due instant", async () => {
      const r = await http(`${url}/v1/dossiers/${received.body.code}`);
      return Date.parse(r.body.dueAt) === Date.parse("2026-11-26T10:00:00+07:00") ? r.body : undefined;
    });
    // The older deadline (sequence 2) came after the newer one on the same partition: it changed nothing.
    const after = await http(`${url}/v1/dossiers/${received.body.code}`);
    expect(Date.parse(after.body.dueAt)).toBe(Date.parse("2026-11-26T10:00:00+07:00"));
  });

  it("answers 429 with the error body past the limit per client", async () => {
    const limited = await startIntake(env, {
      LOOKUP_RATE_LIMIT: "3",
      REDIS_KEY_PREFIX: `${env.keyPrefix}rl:`,
    });
    try {
      const statuses: number[] = [];
      let last: Json = {};
      for (let i = 0; i < 5; i++) {
        const r = await http(`${limited.url}/v1/dossiers/${UNIT_ID}-261123-9999`);
        statuses.push(r.status);
        last = r.body;
      }
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect(last).toMatchObject({ error: { code: "HTTP_RATE_LIMITED" } });
    } finally {
      await limited.service.stop();
    }
  });
});

describe("bad input is answered 4xx with the field and stores and publishes nothing", () => {
  const good = {
    channel: "direct",
    procedureCode: "1.004873",
    receivingUnitCode: UNIT,
    applicant: APPLICANT,
  };
  const cases: [string, unknown, number, string, string?][] = [
    ["missing applicant", { ...good, applicant: undefined }, 400, "HTTP_VALIDATION_FAILED", "body.applicant"],
    [
      "bad identity number",
      { ...good, applicant: { ...APPLICANT, identityNumber: "12" } },
      400,
      "HTTP_VALIDATION_FAILED",
      "body.applicant.identityNumber",
    ],
    ["unknown channel", { ...good, channel: "fax" }, 400, "HTTP_VALIDATION_FAILED", "body.channel"],
    [
      "malformed procedure code",
      { ...good, procedureCode: "abc" },
      400,
      "HTTP_VALIDATION_FAILED",
      "body.procedureCode",
    ],
    [
      "unknown procedure",
      { ...good, procedureCode: "1.999999" },
      400,
      "INTAKE_UNKNOWN_PROCEDURE",
      "body.procedureCode",
    ],
    ["unknown unit", { ...good, receivingUnitCode: "H44.999" }, 403, "INTAKE_OTHER_UNIT"],
    [
      "online without submission instant",
      { ...good, channel: "online" },
      400,
      "HTTP_VALIDATION_FAILED",
      "body.submittedAt",
    ],
    [
      "submission instant in the future",
      { ...good, submittedAt: formatInstant(new Date(clock.nowMs() + 3_600_000)) },
      400,
      "INTAKE_SUBMITTED_IN_FUTURE",
      "body.submittedAt",
    ],
    [
      "submission instant without offset",
      { ...good, submittedAt: "2026-11-10T09:00:00" },
      400,
      "HTTP_VALIDATION_FAILED",
      "body.submittedAt",
    ],
    [
      "oversized payload",
      { ...good, documents: [{ name: "x".repeat(300 * 1024) }] },
      413,
      "HTTP_PAYLOAD_TOO_LARGE",
    ],
  ];

  it.each(cases)("%s", async (_name, body, status, code, path) => {
    const dossiers = await dossierCount();
    const published = await receivedEvents();
    const res = await http(`${url}/v1/dossiers`, { headers: reception(), body });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await dossierCount()).toBe(dossiers);
    expect(await receivedEvents()).toBe(published);
  });

  it("an unknown unit at the staff member's own unit, malformed JSON, a missing token", async () => {
    const dossiers = await dossierCount();
    const unknownUnit = await http(`${url}/v1/dossiers`, {
      headers: reception("H44.999"),
      body: { ...good, receivingUnitCode: "H44.999" },
    });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.error).toMatchObject({
      code: "INTAKE_UNKNOWN_UNIT",
      details: [{ path: "body.receivingUnitCode" }],
    });
    const department = await http(`${url}/v1/dossiers`, {
      headers: reception("H44.07"),
      body: { ...good, receivingUnitCode: "H44.07" },
    });
    expect(department.body.error.code).toBe("INTAKE_NOT_A_RECEIVING_UNIT");
    const malformed = await http(`${url}/v1/dossiers`, { headers: reception(), raw: "{not json" });
    expect(malformed.status).toBe(400);
    const anonymous = await http(`${url}/v1/dossiers`, { body: good });
    expect(anonymous.status).toBe(401);
    const specialist = await http(`${url}/v1/dossiers`, {
      headers: tokenFor(UNIT, "specialist"),
      body: good,
    });
    expect(specialist.status).toBe(403);
    expect(await dossierCount()).toBe(dossiers);
  });
});

it("accepts a token printed by `pnpm token`", () => {
  const token = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/auth/src/cli.ts",
      "--unit",
      UNIT,
      "--role",
      "reception",
      "--sub",
      "le.van.b",
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, AUTH_SIGNING_KEY: "" } },
  ).trim();
  expect(token.split(".")).toHaveLength(3);
  return http(`${url}/v1/dossiers`, {
    headers: { authorization: `Bearer ${token}` },
    body: { channel: "direct", procedureCode: "1.004873", receivingUnitCode: UNIT, applicant: APPLICANT },
  }).then((res) => {
    expect(res.status).toBe(201);
    expect(res.body.receivedBy).toBe("le.van.b");
  });
});
