/**
 * The authorization matrix: every operation of the four OpenAPI documents, called by every kind of
 * caller, answers what docs/access-policy.md says. An operation without a row there, or a row
 * without an operation, fails the test.
 */
import { DEV_SIGNING_KEY, signToken } from "@tthc/auth";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeClient, send } from "../fuzz/client.js";
import { encode, type Operation, operationsOf } from "../fuzz/requests.js";
import { type FourServices, SERVICE_NAMES, startFourServices } from "../support/four-services.js";
import {
  type Caller,
  type Expected,
  expectedAnswer,
  type PolicyRow,
  readPolicyTable,
} from "./policy-table.js";

type Name = (typeof SERVICE_NAMES)[number];
/** The names the table uses for the services. */
const TABLE_NAME: Record<Name, string> = {
  intake: "intake",
  processing: "processing",
  monitor: "deadline-monitor",
  statistics: "statistics",
};

/** The resources' unit (a ward), another commune, and the province above both. */
const OWN = "H44.100";
const OTHER = "H44.108";
const PARENT = "H44";

const CALLERS: Caller[] = [
  { name: "no token", token: "none" },
  { name: "expired token", token: "expired", unit: OWN, roles: ["leader"] },
  { name: "foreign-secret token", token: "foreign-secret", unit: OWN, roles: ["leader"] },
  ...["reception", "specialist", "leader"].map((r) => ({
    name: `${r} of the own unit`,
    token: "valid" as const,
    unit: OWN,
    roles: [r],
  })),
  ...["reception", "specialist", "leader"].map((r) => ({
    name: `${r} of another unit`,
    token: "valid" as const,
    unit: OTHER,
    roles: [r],
  })),
  { name: "leader of the parent unit", token: "valid", unit: PARENT, roles: ["leader"] },
  { name: "admin", token: "valid", unit: "H44.90", roles: ["admin"] },
];

function authorization(c: Caller): Record<string, string> {
  if (c.token === "none") return {};
  const staff = { sub: `${c.name}@${c.unit}`, unit: c.unit!, roles: c.roles as never };
  const key = process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY;
  const token =
    c.token === "expired"
      ? signToken(staff, key, 600, Date.now() - 3_600_000)
      : c.token === "foreign-secret"
        ? signToken(staff, "another-signing-key-that-no-service-holds")
        : signToken(staff, key, 3600);
  return { authorization: `Bearer ${token}` };
}

let env: TestEnv;
let services: FourServices;
const operations = {} as Record<Name, Operation[]>;
/** Values for the path parameters: resources of the own unit. */
const fixtures: Record<string, string> = {};

const own = (roles: string) => tokenFor(OWN, roles as never);

async function newWebhook(): Promise<string> {
  const res = await http(`${services.urls.monitor}/v1/webhooks`, {
    headers: own("leader"),
    body: { url: "http://93.184.215.14/hook", kinds: ["overdue"] },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  env = await createTestEnv("access-matrix");
  services = await startFourServices(env);
  const { urls } = services;
  for (const name of SERVICE_NAMES)
    operations[name] = operationsOf((await http(`${urls[name]}/docs/json`)).body);

  await waitUntil(
    "the catalogue in intake",
    async () => (await http(`${urls.intake}/v1/units/${OWN}`, { headers: own("reception") })).status === 200,
    60_000,
  );
  const received = await http(`${urls.intake}/v1/dossiers`, {
    headers: own("reception"),
    body: {
      channel: "direct",
      procedureCode: "1.004873",
      receivingUnitCode: OWN,
      applicant: { name: "Nguyễn Văn An", identityNumber: "025190001234", address: "Phường Việt Trì" },
    },
  });
  expect(received.status).toBe(201);
  const submission = await http(`${urls.intake}/v1/submissions`, {
    headers: own("reception"),
    body: {
      portalRef: "MATRIX-1",
      procedureCode: "1.004873",
      receivingUnitCode: OWN,
      applicant: { name: "Trần Thị Bình", identityNumber: "025190004321", address: "Phường Việt Trì" },
      submittedAt: new Date(Date.now() - 3_600_000).toISOString(),
    },
  });
  expect(submission.status).toBe(201);
  const dossierId = received.body.dossierId as string;
  await waitUntil(
    "the dossier in processing, the monitor and statistics",
    async () =>
      (await http(`${urls.processing}/v1/dossiers/${dossierId}`, { headers: own("reception") })).status ===
        200 &&
      (await http(`${urls.monitor}/v1/sla/${dossierId}`, { headers: own("reception") })).status === 200,
    60_000,
  );
  Object.assign(fixtures, {
    "intake code": received.body.code,
    "intake id": submission.body.id,
    "intake year": "2026",
    "processing id": dossierId,
    "monitor dossierId": dossierId,
    "monitor id": await newWebhook(),
    "monitor code": OWN,
    "statistics code": OWN,
  });
}, 180_000);

afterAll(async () => {
  closeClient();
  await services?.stop();
  await env?.cleanup();
});

const key = (method: string, path: string) => `${method} ${path}`;

/** The request for `op` on a resource of the own unit, as `caller`. */
async function requestFor(name: Name, op: Operation, caller: Caller) {
  let target = op.path;
  for (const [, param] of op.path.matchAll(/\{(\w+)\}/g)) {
    let value = fixtures[`${name} ${param}`];
    if (name === "intake" && param === "code" && op.path.startsWith("/v1/procedures")) value = "1.004873";
    if (name === "intake" && param === "code" && op.path.startsWith("/v1/units")) value = OWN;
    if (name === "monitor" && op.method === "DELETE") value = await newWebhook();
    if (value === undefined) throw new Error(`no fixture for {${param}} of ${name} ${op.path}`);
    target = target.replace(`{${param}}`, encode(value));
  }
  if (op.parameters.some((p) => p.in === "query" && p.name === "unit")) target += `?unit=${OWN}`;
  let body: Buffer | undefined;
  if (op.body) {
    const props = Object.keys((op.body as { properties?: Record<string, unknown> }).properties ?? {});
    const fields = Object.fromEntries(
      ["receivingUnitCode", "unitCode"].filter((f) => props.includes(f)).map((f) => [f, OWN]),
    );
    body = Buffer.from(JSON.stringify(fields));
  }
  return {
    kind: "matrix",
    method: op.method,
    target,
    headers: { ...authorization(caller), ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body } : {}),
  };
}

function agrees(expected: Expected, row: PolicyRow, status: number): boolean {
  if (status >= 500) return false;
  if (expected !== "allowed") return status === expected;
  return status !== 401 && status !== 403 && !(row.outside === 404 && status === 404);
}

describe("the authorization matrix", () => {
  const table = readPolicyTable();

  it("has one row per operation of the four OpenAPI documents, and no row without one", () => {
    const inDocs = SERVICE_NAMES.flatMap((n) =>
      operations[n].map((o) => `${TABLE_NAME[n]} ${key(o.method, o.path)}`),
    );
    const inTable = table.map((r) => `${r.service} ${key(r.method, r.path)}`);
    expect(
      inDocs.filter((o) => !inTable.includes(o)),
      "operations without a row in docs/access-policy.md",
    ).toEqual([]);
    expect(
      inTable.filter((r) => !inDocs.includes(r)),
      "rows without an operation",
    ).toEqual([]);
    expect(new Set(inTable).size).toBe(inTable.length);
  });

  for (const name of SERVICE_NAMES) {
    it(`${name}: every operation × every caller answers as the table says`, async () => {
      const wrong: string[] = [];
      const undocumented = new Set<string>();
      let calls = 0;
      for (const op of operations[name]) {
        const row = table.find(
          (r) => r.service === TABLE_NAME[name] && r.method === op.method && r.path === op.path,
        );
        if (!row) continue; // reported by the first test
        for (const caller of CALLERS) {
          const expected = expectedAnswer(row, caller, OWN);
          const res = await send(services.urls[name], await requestFor(name, op, caller));
          calls++;
          if (!op.statuses.includes(String(res.status)))
            undocumented.add(
              `${op.method} ${op.path} answers ${res.status}; its document lists ${op.statuses}`,
            );
          if (!agrees(expected, row, res.status)) {
            const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code ?? "";
            wrong.push(
              `${op.method} ${op.path} as ${caller.name}: expected ${expected}, got ${res.status} ${code}`,
            );
          }
        }
      }
      expect(wrong, `${wrong.length} of ${calls} answers differ from docs/access-policy.md`).toEqual([]);
      expect([...undocumented], "answers whose status the OpenAPI document does not list").toEqual([]);
      expect(calls).toBe(operations[name].length * CALLERS.length);
    }, 300_000);
  }
});
