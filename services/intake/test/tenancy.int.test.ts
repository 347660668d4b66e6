/**
 * Each unit sees and acts on its own (docs/access-policy.md): a portal reference, an idempotency key
 * or a submission of another unit answers nothing of that unit; free text carries no identity or
 * phone number; a caller without a token hears 401 before anything about its body.
 */
import { formatInstant } from "@tthc/contracts";
import type { RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/service.js";
import { APPLICANT, startIntake, UNIT } from "./fixtures.js";

const OTHER = "H44.102";
let env: TestEnv;
let intake: RunningService<Config>;
let url: string;

const reception = tokenFor(UNIT, "reception");
const otherReception = tokenFor(OTHER, "reception");
const submittedAt = () => formatInstant(new Date(Date.now() - 3_600_000));

async function count(table: string): Promise<number> {
  return (await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}
const online = (unit: string, portalRef: string) => ({
  channel: "online",
  procedureCode: "1.004873",
  receivingUnitCode: unit,
  applicant: APPLICANT,
  submittedAt: submittedAt(),
  portalRef,
});
const submission = (unit: string, portalRef: string) => ({
  portalRef,
  procedureCode: "1.004873",
  receivingUnitCode: unit,
  applicant: APPLICANT,
  submittedAt: submittedAt(),
});

/** Nothing of the other unit's record anywhere in an answer. */
function expectNothingOf(body: unknown, ...secrets: string[]) {
  const text = JSON.stringify(body);
  for (const s of [APPLICANT.name, APPLICANT.identityNumber, UNIT, ...secrets]) expect(text).not.toContain(s);
}

beforeAll(async () => {
  env = await createTestEnv("intake-tenancy");
  ({ service: intake, url } = await startIntake(env));
});
afterAll(async () => {
  await intake?.stop();
  await env?.cleanup();
});

describe("references belong to the receiving unit", () => {
  it("another unit's portalRef at reception is a 409 that tells nothing of the first dossier", async () => {
    const first = await http(`${url}/v1/dossiers`, { headers: reception, body: online(UNIT, "DVC-T-1") });
    expect(first.status).toBe(201);
    const again = await http(`${url}/v1/dossiers`, { headers: reception, body: online(UNIT, "DVC-T-1") });
    expect(again).toMatchObject({ status: 200, body: { dossierId: first.body.dossierId } });

    const dossiers = await count("dossiers");
    const foreign = await http(`${url}/v1/dossiers`, {
      headers: otherReception,
      body: online(OTHER, "DVC-T-1"),
    });
    expect(foreign).toMatchObject({ status: 409, body: { error: { code: "INTAKE_REFERENCE_TAKEN" } } });
    expect(foreign.body.error.details).toEqual([
      { path: "body.portalRef", reason: "already used by another unit" },
    ]);
    expectNothingOf(foreign.body, first.body.dossierId, first.body.code);
    expect(await count("dossiers")).toBe(dossiers);
  });

  it("another unit's portalRef for a submission is a 409, even from the portal's admin token", async () => {
    const first = await http(`${url}/v1/submissions`, {
      headers: reception,
      body: submission(UNIT, "DVC-T-2"),
    });
    expect(first.status).toBe(201);
    const before = await count("submissions");
    for (const headers of [otherReception, tokenFor("H44", "admin")]) {
      const foreign = await http(`${url}/v1/submissions`, { headers, body: submission(OTHER, "DVC-T-2") });
      expect(foreign).toMatchObject({ status: 409, body: { error: { code: "INTAKE_REFERENCE_TAKEN" } } });
      expectNothingOf(foreign.body, first.body.id);
    }
    expect(await count("submissions")).toBe(before);
    const same = await http(`${url}/v1/submissions`, {
      headers: reception,
      body: submission(UNIT, "DVC-T-2"),
    });
    expect(same).toMatchObject({ status: 200, body: { id: first.body.id } });
  });

  it("a submission whose reference another unit's dossier took cannot be accepted into that dossier", async () => {
    const taken = await http(`${url}/v1/dossiers`, {
      headers: otherReception,
      body: online(OTHER, "DVC-T-3"),
    });
    expect(taken.status).toBe(201);
    const s = await http(`${url}/v1/submissions`, { headers: reception, body: submission(UNIT, "DVC-T-3") });
    expect(s.status).toBe(201);
    const accept = await http(`${url}/v1/submissions/${s.body.id}/accept`, { headers: reception, body: {} });
    expect(accept).toMatchObject({ status: 409, body: { error: { code: "INTAKE_REFERENCE_TAKEN" } } });
    expectNothingOf(accept.body, taken.body.dossierId, taken.body.code, OTHER);
    const read = await http(`${url}/v1/submissions/${s.body.id}`, { headers: reception });
    expect(read.body.state).toBe("submitted");
  });

  it("an idempotency key matches only its own unit's dossier", async () => {
    const direct = (unit: string) => ({
      channel: "direct",
      procedureCode: "1.004873",
      receivingUnitCode: unit,
      applicant: APPLICANT,
    });
    const mine = await http(`${url}/v1/dossiers`, {
      headers: { ...reception, "idempotency-key": "shared-key-1" },
      body: direct(UNIT),
    });
    const theirs = await http(`${url}/v1/dossiers`, {
      headers: { ...otherReception, "idempotency-key": "shared-key-1" },
      body: direct(OTHER),
    });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.dossierId).not.toBe(mine.body.dossierId);
    expect(theirs.body.receivingUnit.code).toBe(OTHER);
  });

  it("another unit's submission does not exist for it; its own unit's leader and the province's see it", async () => {
    const s = await http(`${url}/v1/submissions`, { headers: reception, body: submission(UNIT, "DVC-T-4") });
    const foreign = await http(`${url}/v1/submissions/${s.body.id}`, { headers: otherReception });
    const missing = await http(`${url}/v1/submissions/00000000-0000-4000-8000-000000000000`, {
      headers: otherReception,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    expectNothingOf(foreign.body);
    for (const headers of [tokenFor(UNIT, "leader"), tokenFor("H44", "leader"), tokenFor("H44.07", "admin")])
      expect((await http(`${url}/v1/submissions/${s.body.id}`, { headers })).status).toBe(200);
    expect(
      (await http(`${url}/v1/submissions/${s.body.id}`, { headers: tokenFor("H44", "reception") })).status,
    ).toBe(404);
  });
});

describe("free text carries no personal data", () => {
  it("a refusal reason or a missing item with a phone or identity number is a 400 naming the field", async () => {
    const s = await http(`${url}/v1/submissions`, { headers: reception, body: submission(UNIT, "DVC-T-5") });
    const outbox = await count("bus_outbox");
    const refuse = await http(`${url}/v1/submissions/${s.body.id}/refuse`, {
      headers: reception,
      body: { reasons: ["Không thuộc thẩm quyền", "Liên hệ 0912 345 678"] },
    });
    expect(refuse.status).toBe(400);
    expect(refuse.body.error.details).toEqual([
      { path: "body.reasons[1]", reason: expect.stringMatching(/phone number/) },
    ]);
    const supplement = await http(`${url}/v1/submissions/${s.body.id}/request-supplement`, {
      headers: reception,
      body: { missingItems: ["Tờ khai", "Bản sao CCCD 025190001234"], reason: "Thiếu giấy tờ" },
    });
    expect(supplement.status).toBe(400);
    expect(supplement.body.error.details).toEqual([
      { path: "body.missingItems[1]", reason: expect.stringMatching(/identity number/) },
    ]);
    expect(JSON.stringify([refuse.body, supplement.body])).not.toMatch(/0912 345 678|025190001234/);
    expect(await count("bus_outbox")).toBe(outbox);
    const read = await http(`${url}/v1/submissions/${s.body.id}`, { headers: reception });
    expect(read.body.state).toBe("submitted");
  });
});

describe("the token comes first", () => {
  it("an anonymous request with a bad body is a 401, not a 400 that lists the fields", async () => {
    const anonymous = await http(`${url}/v1/dossiers`, { body: { channel: "smoke signal" } });
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: "HTTP_UNAUTHENTICATED" } } });
    const wrongRole = await http(`${url}/v1/dossiers`, {
      headers: tokenFor(UNIT, "specialist"),
      body: { channel: "smoke signal" },
    });
    expect(wrongRole.status).toBe(403);
    const otherUnit = await http(`${url}/v1/dossiers`, {
      headers: otherReception,
      body: { receivingUnitCode: UNIT, channel: "smoke signal" },
    });
    expect(otherUnit).toMatchObject({ status: 403, body: { error: { code: "INTAKE_OTHER_UNIT" } } });
  });
});
