/**
 * Bad requests for one operation of an OpenAPI document: path parameters, query strings, bodies,
 * content types and bearer tokens, each one valid-looking or not.
 */
import { tokenFor } from "@tthc/testkit";
import fc from "fast-check";
import {
  breakingMutation,
  hugeString,
  type Json,
  type JsonSchema,
  mutation,
  nastyString,
  validValue,
} from "./json-schema.js";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** OpenAPI form: `/v1/dossiers/{id}/assign`. */
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** The statuses the document says the operation answers with. */
  statuses: string[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        responses?: Record<string, unknown>;
      }
    >
  >;
}

/** Every path and method of a service's `/docs/json`. */
export function operationsOf(doc: unknown): Operation[] {
  const { paths } = doc as OpenApiDocument;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.["application/json"]?.schema,
      statuses: Object.keys(op.responses ?? {}),
    })),
  );
}

export interface FuzzRequest {
  /** How the body was made, for the report: `json`, `broken`, `mutated`, `raw`, `content-type`, `none`, `large`. */
  kind: string;
  method: string;
  /** Encoded path and query, as on the request line. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

type Role = Extract<Parameters<typeof tokenFor>[1], string>;
const ROLES: Role[] = ["reception", "specialist", "leader", "admin"];

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD, as in any client). */
export function encode(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Already-encoded pieces a client may send as they are: bad escapes, dot segments, overlong UTF-8. */
const rawSegment = fc.constantFrom(
  "%",
  "%zz",
  "%E0%A4%A",
  "%C0%AE%C0%AE",
  "..",
  ".",
  "%2e%2e",
  "%2F",
  "%00",
  "a%20b",
);

function paramValue(p: Parameter): fc.Arbitrary<string> {
  return fc.oneof(
    {
      arbitrary: validValue(p.schema).map((v) => encode(typeof v === "string" ? v : JSON.stringify(v))),
      weight: 3,
    },
    { arbitrary: nastyString.map(encode), weight: 3 },
    { arbitrary: fc.string({ maxLength: 2_000, unit: "grapheme" }).map(encode), weight: 1 },
    { arbitrary: rawSegment, weight: 1 },
  );
}

function pathOf(op: Operation): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = names.map((n) =>
    paramValue(
      op.parameters.find((p) => p.in === "path" && p.name === n) ?? { name: n, in: "path", schema: {} },
    ),
  );
  return fc.tuple(...params).map((values) => {
    let i = 0;
    return op.path.replace(/\{\w+\}/g, () => values[i++] ?? "");
  });
}

function queryOf(op: Operation): fc.Arbitrary<string> {
  const declared = op.parameters.filter((p) => p.in === "query");
  const pair = fc.oneof(
    ...(declared.length
      ? [fc.constantFrom(...declared).chain((p) => paramValue(p).map((v) => `${encode(p.name)}=${v}`))]
      : []),
    fc.tuple(nastyString, nastyString).map(([k, v]) => `${encode(k)}=${encode(v)}`),
    fc.constantFrom(
      "limit=-1",
      "limit=0",
      "limit=1e9",
      "limit=abc",
      "cursor=",
      "from=2026-13-45",
      "unit[]=x",
      "a=1&a=2",
    ),
  );
  return fc.array(pair, { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.join("&")}` : ""));
}

function authOf(units: string[], roles: Role[]): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(...units), fc.stringMatching(/^[A-Z]\d{2}(\.[0-9A-Z]{1,6}){0,2}$/)),
          fc.subarray(roles, { minLength: 1 }),
        )
        .map(([unit, roles]) => tokenFor(unit, roles)),
      weight: 5,
    },
    {
      arbitrary: fc
        .constantFrom(
          "Bearer",
          "Bearer ",
          "Bearer x.y.z",
          "Basic YTpi",
          "bearer abc",
          `Bearer ${"a".repeat(4000)}`,
          // alg none, and an algorithm no identity provider is configured for
          "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidW5pdCI6Ikg0NCIsInJvbGVzIjpbImFkbWluIl19.",
          "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.e30.c2ln",
        )
        .map((authorization) => ({ authorization })),
      weight: 1,
    },
  );
}

const jsonType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
);

const wrongType = fc.constantFrom(
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/jsonx",
  "application/json-patch+json",
  "application/octet-stream",
  "*/*",
  ";",
);

/** Bytes that are not JSON, or are JSON a parser chokes on, sent as JSON. */
const malformed: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc
    .constantFrom(
      "",
      "{",
      "}",
      '{"a":1,}',
      "[1,2",
      "nul",
      "\ufeff{}",
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      "1e999999",
      "-",
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      "[".repeat(10_000),
      `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
      "\u0000",
    )
    .map((s) => Buffer.from(s)),
  fc.constantFrom(
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
    Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
  ),
);

function json(v: Json | unknown): Buffer {
  return Buffer.from(JSON.stringify(v) ?? "null");
}

interface BodyCase {
  kind: string;
  contentType?: string;
  body?: Buffer;
}

/**
 * The bodies of one operation. A request that may pass validation (`mutated`) goes only where its
 * path names a resource the fuzz run never creates, so that it can be answered 404 and nothing else.
 */
function bodyOf(op: Operation): fc.Arbitrary<BodyCase> {
  const schema = op.body;
  const cases: fc.WeightedArbitrary<BodyCase>[] = [
    { arbitrary: fc.constant({ kind: "none" }), weight: schema ? 3 : 18 },
    {
      arbitrary: fc
        .tuple(fc.jsonValue(), jsonType)
        .map(([v, t]) => ({ kind: "json", contentType: t, body: json(v) })),
      weight: 9,
    },
    {
      arbitrary: fc.tuple(malformed, jsonType).map(([b, t]) => ({ kind: "raw", contentType: t, body: b })),
      weight: 6,
    },
    {
      arbitrary: fc
        .tuple(wrongType, fc.oneof(malformed, fc.jsonValue().map(json)))
        .map(([t, b]) => ({ kind: "content-type", contentType: t, body: b })),
      weight: 3,
    },
    {
      // Up to the 256 KiB body limit and past it.
      arbitrary: hugeString.map((s) => ({
        kind: "large",
        contentType: "application/json",
        body: json({ s }),
      })),
      weight: 1,
    },
  ];
  if (schema) {
    const mutated = validValue(schema).chain((v) =>
      fc
        .array(fc.constant(null), { maxLength: 3 })
        .chain((n) =>
          n.reduce<fc.Arbitrary<Json>>((acc) => acc.chain((x) => mutation(x, schema)), fc.constant(v)),
        ),
    );
    cases.push({
      arbitrary: mutated
        .chain((v) => breakingMutation(v, schema))
        .map((v) => ({ kind: "broken", contentType: "application/json", body: json(v) })),
      weight: 18,
    });
    if (op.method === "POST" && op.path.includes("{"))
      cases.push({
        arbitrary: mutated.map((v) => ({ kind: "mutated", contentType: "application/json", body: json(v) })),
        weight: 9,
      });
  }
  return fc.oneof(...cases);
}

/**
 * Bad requests to `op`, with staff tokens of `units` (and of made-up units) or none. `withoutRoles`
 * keeps tokens away from an operation that any input may start, such as a rebuild.
 */
export function requestsTo(
  op: Operation,
  units: string[],
  withoutRoles: Role[] = [],
): fc.Arbitrary<FuzzRequest> {
  const roles = ROLES.filter((r) => !withoutRoles.includes(r));
  return fc
    .record({ path: pathOf(op), query: queryOf(op), auth: authOf(units, roles), body: bodyOf(op) })
    .map(({ path, query, auth, body }) => ({
      kind: body.kind,
      method: op.method,
      target: path + query,
      headers: { ...auth, ...(body.contentType === undefined ? {} : { "content-type": body.contentType }) },
      ...(body.body === undefined ? {} : { body: body.body }),
    }));
}

/** A request as a failure message shows it: the body cut to its first 300 characters. */
export function describeRequest(r: FuzzRequest): string {
  const body = r.body ? r.body.toString("utf8") : "";
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${r.body!.length} bytes)` : body;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}…` : v}`)
    .join("; ");
  return `${r.method} ${r.target.length > 300 ? `${r.target.slice(0, 300)}…` : r.target} [${r.kind}] {${headers}} ${JSON.stringify(shown)}`;
}
