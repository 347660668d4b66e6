import { ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/service.js";
import { APPLICANT, startIntake, UNIT } from "./fixtures.js";

/**
 * Two instances of intake on one database and one set of topics: each reads the catalogue from
 * memory, so a change made on one reaches the other through the `catalog` topic, not a table.
 */
let env: TestEnv;
let first: { service: RunningService<Config>; url: string };
let second: { service: RunningService<Config>; url: string };
const clock = new ManualClock("2026-11-10T10:00:00+07:00");
const admin = tokenFor("H44", "admin");
const reception = tokenFor(UNIT, "reception");

beforeAll(async () => {
  env = await createTestEnv("intake-catalog-follow");
  first = await startIntake(env, {}, clock);
  second = await startIntake(env, {}, clock);
});
afterAll(async () => {
  await second?.service.stop();
  await first?.service.stop();
  await env?.cleanup();
});

const receive = (url: string, procedureCode: string) =>
  http(`${url}/v1/dossiers`, {
    headers: reception,
    body: { channel: "direct", procedureCode, receivingUnitCode: UNIT, applicant: APPLICANT },
  });

describe("the catalogue reception reads", () => {
  it("takes a procedure added on another instance once its record is consumed, and its withdrawal likewise", async () => {
    const { body: model } = await http(`${first.url}/v1/procedures/1.004873`, { headers: reception });
    const code = "1.999901";
    const unknown = await receive(first.url, code);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      { path: "body.procedureCode", reason: `unknown procedure ${code}` },
    ]);

    const added = await http(`${second.url}/v1/procedures/${code}`, {
      method: "PUT",
      headers: admin,
      body: { ...model.data, code, name: "Thủ tục thử nghiệm" },
    });
    expect(added.status).toBe(201);
    // The instance that wrote it uses it at once.
    expect((await receive(second.url, code)).status).toBe(201);
    const taken = await waitUntil("the first instance receives the new procedure", async () => {
      const r = await receive(first.url, code);
      return r.status === 201 ? r : undefined;
    });
    expect(taken.body.procedure).toMatchObject({ code, name: "Thủ tục thử nghiệm" });

    const withdrawn = await http(`${second.url}/v1/procedures/${code}`, {
      method: "PUT",
      headers: admin,
      body: { ...model.data, code, name: "Thủ tục thử nghiệm", active: false },
    });
    expect(withdrawn.body).toMatchObject({ revision: 2, changed: true });
    const refused = await waitUntil("the first instance refuses the withdrawn procedure", async () => {
      const r = await receive(first.url, code);
      return r.status === 400 ? r : undefined;
    });
    expect(refused.body.error.details).toEqual([
      { path: "body.procedureCode", reason: `procedure ${code} is inactive` },
    ]);
  });
});
