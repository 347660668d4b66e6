import { ErrorBody } from "@tthc/contracts";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp, type HttpApp } from "../src/http.js";
import { createMetricsRegistry } from "../src/metrics.js";
import { accessInWords, errorResponses } from "../src/openapi.js";

type Json = Record<string, unknown>;
type Operation = { security?: unknown[]; responses: Record<string, Json>; description?: string };

const Note = z.object({ id: z.int(), text: z.string() });

let app: HttpApp;
let doc: { paths: Record<string, Record<string, Operation>>; components: Json; servers: Json[] };
const sent: { current: unknown } = { current: undefined };

beforeAll(async () => {
  app = await createHttpApp({
    service: "demo",
    logger: pino({ level: "silent" }),
    registry: createMetricsRegistry("demo"),
    readiness: {},
    // Every token is refused: the routes below are called without one or are public.
    verifyToken: async () => ({ ok: false, error: "bad_signature" }),
  });
  app.get(
    "/v1/notes/:id",
    {
      config: { access: { who: "public" } },
      schema: {
        operationId: "getNote",
        summary: "A note",
        params: z.object({ id: z.coerce.number().int() }),
        response: { 200: Note, ...errorResponses(404) },
      },
    },
    async () => sent.current as z.infer<typeof Note>,
  );
  app.post(
    "/v1/notes",
    {
      config: { access: { who: "staff", roles: ["reception"] } },
      schema: { operationId: "addNote", summary: "Add a note", body: Note, response: { 201: Note } },
    },
    async (req, reply) => reply.code(201).send(req.body),
  );
  app.get(
    "/v1/units/:code/notes",
    {
      config: { access: { who: "unit", admin: true, units: () => [], outsider: 404 } },
      schema: { operationId: "listUnitNotes", summary: "A unit's notes", response: { 200: z.array(Note) } },
    },
    async () => [],
  );
  await app.ready();
  doc = app.swagger() as unknown as typeof doc;
});

afterAll(async () => {
  await app?.close();
});

describe("the OpenAPI document follows each route's access rule", () => {
  it("asks for the bearer token where the rule reads one, and for none on a public route", () => {
    expect(doc.paths["/v1/notes/{id}"]?.get?.security).toEqual([]);
    expect(doc.paths["/v1/notes"]?.post?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { type: "http", scheme: "bearer" } });
  });

  it("lists the error answers the rule and the request can give, each a shared response", () => {
    const refs = (op: Operation | undefined) =>
      Object.fromEntries(Object.entries(op?.responses ?? {}).filter(([s]) => Number(s) >= 400));
    expect(refs(doc.paths["/v1/notes/{id}"]?.get)).toEqual({
      400: { $ref: "#/components/responses/BadRequest" },
      404: { $ref: "#/components/responses/NotFound" },
      503: { $ref: "#/components/responses/ServiceUnavailable" },
    });
    expect(Object.keys(refs(doc.paths["/v1/notes"]?.post))).toEqual([
      "400",
      "401",
      "403",
      "413",
      "415",
      "503",
    ]);
    // Another unit's caller is told nothing exists, and any role may ask: 404, never 403.
    expect(Object.keys(refs(doc.paths["/v1/units/{code}/notes"]?.get))).toEqual(["401", "404", "503"]);
    const responses = doc.components.responses as Record<string, { content: Record<string, Json> }>;
    for (const r of Object.values(responses)) {
      const media = r.content["application/json"] as { schema: Json; example: unknown };
      expect(media.schema).toEqual({ $ref: "#/components/schemas/ErrorBody" });
      expect(ErrorBody.safeParse(media.example).success, JSON.stringify(media.example)).toBe(true);
    }
  });

  it("documents the success status the route answers: 201 for a creation", () => {
    expect(Object.keys(doc.paths["/v1/notes"]?.post?.responses ?? {})).toContain("201");
    expect(Object.keys(doc.paths["/v1/notes"]?.post?.responses ?? {})).not.toContain("200");
  });

  it("says who may call in the operation's description", () => {
    expect(doc.paths["/v1/units/{code}/notes"]?.get?.description).toBe(
      "Staff of the resource's own unit or an admin; anyone else gets 404, as if it did not exist.",
    );
    expect(accessInWords({ who: "staff", roles: ["leader", "admin"] })).toBe(
      "Any staff member with the role leader or admin.",
    );
  });

  it("is served from the address it was read from", () => {
    expect(doc.servers).toEqual([{ url: "/", description: expect.any(String) }]);
  });
});

describe("an answer is checked against its schema, not trimmed to it", () => {
  it("sends a field the schema does not name", async () => {
    sent.current = { id: 1, text: "Hồ sơ đã tiếp nhận", extra: "kept" };
    const res = await app.inject({ method: "GET", url: "/v1/notes/1" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 1, text: "Hồ sơ đã tiếp nhận", extra: "kept" });
  });

  it("answers 500 rather than send a documented field of the wrong shape", async () => {
    sent.current = { id: "one", text: "x" };
    const res = await app.inject({ method: "GET", url: "/v1/notes/1" });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe("HTTP_INTERNAL");
  });

  it("sends an error answer as the error handler made it", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/notes/x" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: "params.id", reason: expect.any(String) }]);
  });
});
