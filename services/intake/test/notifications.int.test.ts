import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BusProducer, type Delivery, eventRecord } from "@tthc/bus";
import { type CurrentEvent, createEvent } from "@tthc/contracts";
import { ManualClock, type RunningService, withTransaction } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dossierEventsHandler } from "../src/consumers/dossier-status.js";
import { NotificationDispatcher } from "../src/notify/dispatcher.js";
import { gatewaySender } from "../src/notify/senders.js";
import type { Config } from "../src/service.js";
import { claimDueNotifications } from "../src/store/notifications.js";
import { APPLICANT, PROCEDURE, startIntake, UNIT } from "./fixtures.js";

/**
 * Notifications to the applicant, through the whole service: a reception with an e-mail address is
 * sent to an SMTP server run by this test and read back; a copy of the event (the relay publishing
 * again: same id, a new offset) sends nothing more; an applicant without a contact gets nothing and
 * breaks nothing; the SMS gateway contract is tried again after a failure, under one key; a row
 * claimed by an instance that died is sent once its lease ends; a refusal for good is not retried.
 */
let env: TestEnv;
let intake: RunningService<Config>;
let url: string;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];
const clock = new ManualClock("2026-11-10T10:00:00+07:00");
const EMAIL = "nguyen.thi.lan@example.vn";

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, done) {
      if (!address.address.startsWith("refused")) return done();
      const err = Object.assign(new Error(`<${address.address}>: Recipient address rejected`), {
        responseCode: 550,
      });
      done(err);
    },
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (m) => {
          mails.push(m);
          done();
        },
        (err: Error) => done(err),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  env = await createTestEnv("intake-notify");
  ({ service: intake, url } = await startIntake(
    env,
    {
      NOTIFY_CHANNELS: "email,sms",
      NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      NOTIFY_FROM: "Trung tâm Phục vụ hành chính công <no-reply@example.vn>",
      NOTIFY_POLL_MS: "50",
    },
    clock,
  ));
}, 120_000);
afterAll(async () => {
  await intake?.stop();
  await env?.cleanup();
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
});

const mailsTo = (code: string) => mails.filter((m) => m.subject?.includes(code));

async function receive(applicant: Record<string, unknown>) {
  const res = await http(`${url}/v1/dossiers`, {
    headers: tokenFor(UNIT, "reception"),
    body: { channel: "direct", procedureCode: PROCEDURE, receivingUnitCode: UNIT, applicant },
  });
  expect(res.status).toBe(201);
  return res.body as { dossierId: string; code: string; dueAt: string };
}

async function publish(
  records: { topic: string; key: string; value: string; headers?: Record<string, string> }[],
) {
  const producer = new BusProducer(env.bus);
  await producer.connect();
  for (const r of records)
    await producer.send(r.topic, [{ key: r.key, value: r.value, headers: r.headers ?? {} }]);
  await producer.disconnect();
}

async function rows(dossierId: string) {
  const { rows } = await env.pool.query<{ channel: string; kind: string; status: string; recipient: string }>(
    "SELECT channel, kind, status, recipient FROM notifications WHERE dossier_id = $1 ORDER BY id",
    [dossierId],
  );
  return rows;
}

/** An HTTP gateway in this process that answers each call with `status(n)`, n counting from 1. */
async function startGateway(status: (n: number) => number) {
  const seen: { headers: IncomingHttpHeaders; body: Record<string, unknown>; at: number }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => {
      raw += c.toString("utf8");
    });
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown>, at: Date.now() });
      res.statusCode = status(seen.length);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function smsDispatcher(url: string, extra: { batchSize?: number; leaseMs?: number } = {}) {
  return new NotificationDispatcher({
    pool: env.pool,
    logger: intake.ctx.logger,
    senders: [gatewaySender({ channel: "sms", url, token: "t0k3n", timeoutMs: 5_000 })],
    maxAttempts: 3,
    backoffMs: 10,
    timeoutMs: 5_000,
    pollIntervalMs: 20,
    ...extra,
  });
}

function deliveries(events: CurrentEvent[]): Delivery<CurrentEvent>[] {
  return events.map((value, i) => ({
    value,
    id: value.id,
    message: {
      topic: "dossier.events",
      partition: 0,
      offset: String(i),
      key: value.dossierId,
      value: null,
      headers: {},
      timestamp: "0",
    },
  }));
}

describe("notifications to the applicant", () => {
  let dossier: { dossierId: string; code: string; dueAt: string };

  it("e-mails the receipt's facts on reception, in Vietnamese, and records the SMS it cannot send", async () => {
    dossier = await receive({ ...APPLICANT, email: EMAIL });
    const mail = await waitUntil("the reception e-mail", () => mailsTo(dossier.code)[0], 60_000);
    expect(mail.subject).toBe(`Hồ sơ ${dossier.code} đã được tiếp nhận`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(EMAIL);
    expect(mail.from?.text).toContain("no-reply@example.vn");
    expect(mail.text).toContain(`Kính gửi Ông/Bà ${APPLICANT.name},`);
    // Ten working days from Tue 10/11/2026 10:00: the receipt's date, in Vietnam time.
    expect(mail.text).toContain("Ngày hẹn trả kết quả: 10 giờ 00 phút, ngày 24/11/2026.");
    expect(mail.messageId).toMatch(/^<notification-\d+@example\.vn>$/);
    const recorded = await waitUntil("the e-mail marked sent", async () => {
      const r = await rows(dossier.dossierId);
      return r.find((x) => x.channel === "email")?.status === "sent" ? r : undefined;
    });
    // No SMS sender is configured: the SMS is recorded, not sent.
    expect(recorded).toEqual([
      { channel: "email", kind: "received", status: "sent", recipient: EMAIL },
      { channel: "sms", kind: "received", status: "pending", recipient: APPLICANT.phone },
    ]);
  });

  it("sends nothing more for a copy of the event, and the next event once", async () => {
    const { rows: outbox } = await env.pool.query<{
      topic: string;
      key: string;
      value: string;
      headers: Record<string, string>;
    }>("SELECT topic, key, value, headers FROM bus_outbox WHERE key = $1", [dossier.dossierId]);
    expect(outbox).toHaveLength(1);
    const extended = eventRecord(
      createEvent("dossier.extended", {
        dossierId: dossier.dossierId,
        unitCode: UNIT,
        correlationId: "notify-extended",
        occurredAt: "2026-11-23T09:00:00+07:00",
        payload: {
          dossierCode: dossier.code,
          previousDueAt: dossier.dueAt,
          newDueAt: "2026-11-27T10:00:00+07:00",
          reason: "Cần xác minh thêm thông tin thửa đất",
          faultUnitCode: UNIT,
          apologyLetterRef: "15/XL-UBND",
        },
      }),
    );
    // The copy, the copy again, then the extension: one partition (the dossier's key), in this order.
    await publish([outbox[0]!, outbox[0]!, extended]);
    const apology = await waitUntil(
      "the apology e-mail",
      () => mailsTo(dossier.code).find((m) => m.subject?.startsWith("Thư xin lỗi")),
      60_000,
    );
    expect(apology.text).toContain("Chúng tôi thành thật xin lỗi Ông/Bà.");
    expect(apology.text).toContain("Ngày hẹn trả kết quả mới: 10 giờ 00 phút, ngày 27/11/2026.");
    expect(apology.text).toContain("Văn bản xin lỗi số 15/XL-UBND.");
    // Let a late duplicate show itself if there were one.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mailsTo(dossier.code).map((m) => m.subject)).toEqual([
      `Hồ sơ ${dossier.code} đã được tiếp nhận`,
      `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${dossier.code}`,
    ]);
    expect((await rows(dossier.dossierId)).map((r) => `${r.channel}:${r.kind}`)).toEqual([
      "email:received",
      "sms:received",
      "email:extended",
      "sms:extended",
    ]);
  });

  it("records one notification per event and channel when a batch carries the event twice", async () => {
    const resolved = createEvent("dossier.resolved", {
      dossierId: dossier.dossierId,
      unitCode: UNIT,
      correlationId: "notify-resolved",
      occurredAt: "2026-11-26T15:00:00+07:00",
      payload: {
        dossierCode: dossier.code,
        outcome: "approved",
        resolvedAt: "2026-11-26T15:00:00+07:00",
        refusalReasons: [],
        decisionRef: null,
        electronicResult: false,
      },
    });
    const handle = dossierEventsHandler(["email", "sms"]);
    await withTransaction(env.pool, (tx) => handle(deliveries([resolved, resolved]), tx));
    await withTransaction(env.pool, (tx) => handle(deliveries([resolved]), tx));
    const ready = (await rows(dossier.dossierId)).filter((r) => r.kind === "result-ready");
    expect(ready.map((r) => r.channel)).toEqual(["email", "sms"]);
    const mail = await waitUntil(
      "the result e-mail",
      () => mailsTo(dossier.code).find((m) => m.subject === `Hồ sơ ${dossier.code} đã có kết quả`),
      60_000,
    );
    expect(mail.text).toContain("Mời Ông/Bà nhận kết quả tại");
  });

  it("refuses an e-mail address that is not one, naming the field", async () => {
    const res = await http(`${url}/v1/dossiers`, {
      headers: tokenFor(UNIT, "reception"),
      body: {
        channel: "direct",
        procedureCode: PROCEDURE,
        receivingUnitCode: UNIT,
        applicant: { ...APPLICANT, email: "lan at example.vn" },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: "body.applicant.email", reason: "expected an e-mail address" }),
    ]);
  });

  it("marks an e-mail the SMTP server refuses for good as failed after one attempt, without logging the address", async () => {
    const { phone: _phone, ...withoutPhone } = APPLICANT;
    const refused = await receive({ ...withoutPhone, email: "refused.lan@example.vn" });
    const row = await waitUntil(
      "the e-mail failed",
      async () => {
        const { rows } = await env.pool.query<{ status: string; attempts: number; last_error: string }>(
          "SELECT status, attempts, last_error FROM notifications WHERE dossier_id = $1 AND channel = 'email'",
          [refused.dossierId],
        );
        return rows[0]?.status === "failed" ? rows[0] : undefined;
      },
      60_000,
    );
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain("550 <<address>>: Recipient address rejected");
    expect(row.last_error).not.toContain("refused.lan");
    expect(mailsTo(refused.code)).toEqual([]);
  });

  it("sends nothing and fails nothing for an applicant without a contact", async () => {
    const { phone: _phone, ...noContact } = APPLICANT;
    const other = await receive(noContact);
    const { rows: outbox } = await env.pool.query<{ value: string }>(
      "SELECT value FROM bus_outbox WHERE key = $1",
      [other.dossierId],
    );
    const received = JSON.parse(outbox[0]!.value) as CurrentEvent;
    const handle = dossierEventsHandler(["email", "sms", "zalo"]);
    await withTransaction(env.pool, (tx) => handle(deliveries([received]), tx));
    expect(await rows(other.dossierId)).toEqual([]);
    expect(mailsTo(other.code)).toEqual([]);
  });

  it("tries the SMS gateway again after a failure, with the same idempotency key, and marks the SMS sent once", async () => {
    // One SMS at a time: the first (the reception's) fails once, then every one is accepted.
    const gateway = await startGateway((n) => (n === 1 ? 503 : 202));
    const dispatcher = smsDispatcher(gateway.url, { batchSize: 1 });
    try {
      dispatcher.start();
      await waitUntil(
        "every SMS sent",
        async () => {
          const r = await rows(dossier.dossierId);
          return r.filter((x) => x.channel === "sms").every((x) => x.status === "sent") ? r : undefined;
        },
        30_000,
      );
    } finally {
      await dispatcher.stop();
      await gateway.close();
    }
    const seen = gateway.seen;
    // Four calls for three SMS: the first one's twice, under the same key.
    const keys = seen.map((s) => s.headers["idempotency-key"]);
    expect(keys).toHaveLength(4);
    expect(keys.filter((k) => k === keys[0])).toHaveLength(2);
    expect(new Set(keys).size).toBe(3);
    expect(seen[0]!.headers.authorization).toBe("Bearer t0k3n");
    expect(seen[0]!.body).toMatchObject({ channel: "sms", kind: "received", to: APPLICANT.phone });
    expect(seen[0]!.body.text).toBe(
      `Hồ sơ ${dossier.code} đã được tiếp nhận. Hẹn trả: 10 giờ 00 phút, ngày 24/11/2026.`,
    );
    const { rows: attempts } = await env.pool.query<{ attempts: number }>(
      "SELECT attempts FROM notifications WHERE dossier_id = $1 AND channel = 'sms' ORDER BY id",
      [dossier.dossierId],
    );
    expect(attempts.map((a) => a.attempts)).toEqual([2, 1, 1]);
  });

  it("sends a notification claimed by an instance that died once its lease is over, and only then", async () => {
    const other = await receive({ ...APPLICANT, phone: "0987654321" });
    await waitUntil(
      "the SMS recorded",
      async () => (await rows(other.dossierId)).length === 1 || undefined,
      60_000,
    );
    // An instance claims it and dies before sending: the claim holds for its lease.
    const claimedAt = Date.now();
    const claimed = await withTransaction(env.pool, (tx) => claimDueNotifications(tx, ["sms"], 10, 1_500));
    expect(claimed.map((c) => c.recipient)).toEqual(["0987654321"]);
    expect(await withTransaction(env.pool, (tx) => claimDueNotifications(tx, ["sms"], 10, 1_500))).toEqual(
      [],
    );
    const gateway = await startGateway(() => 200);
    const dispatcher = smsDispatcher(gateway.url, { leaseMs: 1_500 });
    try {
      dispatcher.start();
      await waitUntil(
        "the SMS sent after the lease",
        async () => ((await rows(other.dossierId))[0]?.status === "sent" ? true : undefined),
        30_000,
      );
    } finally {
      await dispatcher.stop();
      await gateway.close();
    }
    expect(gateway.seen.map((s) => s.body.to)).toEqual(["0987654321"]);
    expect(gateway.seen[0]!.at - claimedAt).toBeGreaterThanOrEqual(1_500);
  });

  it("gives up at once when the gateway refuses the message for good", async () => {
    const extended = createEvent("dossier.extended", {
      dossierId: dossier.dossierId,
      unitCode: UNIT,
      correlationId: "notify-refused",
      occurredAt: "2026-11-23T09:00:00+07:00",
      payload: {
        dossierCode: dossier.code,
        previousDueAt: dossier.dueAt,
        newDueAt: "2026-11-30T10:00:00+07:00",
        reason: "Chờ ý kiến cơ quan liên quan",
        faultUnitCode: UNIT,
        apologyLetterRef: null,
      },
    });
    await withTransaction(env.pool, (tx) => dossierEventsHandler(["zalo"])(deliveries([extended]), tx));
    const gateway = await startGateway(() => 400);
    const dispatcher = new NotificationDispatcher({
      pool: env.pool,
      logger: intake.ctx.logger,
      senders: [gatewaySender({ channel: "zalo", url: gateway.url, timeoutMs: 5_000 })],
      maxAttempts: 5,
      backoffMs: 10,
      timeoutMs: 5_000,
      pollIntervalMs: 20,
    });
    try {
      dispatcher.start();
      await waitUntil(
        "the Zalo message failed",
        async () =>
          (await rows(dossier.dossierId)).some((r) => r.channel === "zalo" && r.status === "failed") ||
          undefined,
        30_000,
      );
    } finally {
      await dispatcher.stop();
      await gateway.close();
    }
    expect(gateway.seen).toHaveLength(1);
    const { rows: zalo } = await env.pool.query<{ attempts: number; last_error: string }>(
      "SELECT attempts, last_error FROM notifications WHERE dossier_id = $1 AND channel = 'zalo'",
      [dossier.dossierId],
    );
    expect(zalo).toEqual([{ attempts: 1, last_error: "gateway answered 400" }]);
  });
});
