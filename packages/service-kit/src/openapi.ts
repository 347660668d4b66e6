import { ErrorBody, examples } from "@tthc/contracts";
import type { FastifySerializerCompiler } from "fastify";
import { jsonSchemaTransform, ResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AccessRule } from "./access.js";

/**
 * Each service's OpenAPI document (`/docs`), from its routes: the zod schemas of each request and
 * success answer, which the route declares; the security and the error answers, which follow from
 * the route's access rule and what it reads; one error schema and one response per error status,
 * defined here for every service.
 */

/** The security scheme of staff bearer tokens in every document. */
export const BEARER_AUTH = "bearerAuth";

export const bearerAuthScheme = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description:
    "A staff token naming the unit and roles: HS256 from `pnpm token --unit H44.100 --role reception` " +
    "on a local stack, or RS256/ES256 from the provincial identity provider. Who may call what: " +
    "docs/access-policy.md.",
} as const;

const RETRY_AFTER = {
  "Retry-After": {
    description: "Seconds to wait before asking again",
    schema: { type: "integer", minimum: 0 },
  },
};

/** The error answers, one response component each; every one carries an `ErrorBody`. */
const errorAnswers = {
  400: {
    name: "BadRequest",
    description:
      "The request is not valid and nothing was changed: `details` names each refused field and why " +
      "(HTTP_VALIDATION_FAILED and the service's own 400s); a body that is not JSON is HTTP_BAD_REQUEST.",
    example: {
      error: {
        code: "HTTP_VALIDATION_FAILED",
        message: "The request is not valid",
        details: [
          {
            path: "body.applicant.identityNumber",
            reason: "expected the 12-digit personal identification number (số định danh cá nhân)",
          },
        ],
      },
    },
  },
  401: {
    name: "Unauthorized",
    description:
      "No bearer token, or one that is malformed, expired, not yet valid, too long-lived or wrongly " +
      "signed: `details.reason` says which.",
    example: {
      error: {
        code: "HTTP_UNAUTHENTICATED",
        message: "A valid bearer token is required",
        details: { reason: "missing bearer token" },
      },
    },
  },
  403: {
    name: "Forbidden",
    description: "The token's roles or unit may not do this (docs/access-policy.md).",
    example: {
      error: {
        code: "HTTP_FORBIDDEN",
        message: "This action is not allowed for your unit or role",
        details: { reason: "role", required: ["leader"], have: ["reception"] },
      },
    },
  },
  404: {
    name: "NotFound",
    description:
      "No such resource; for a resource of another unit whose existence must not leak, the very same answer.",
    example: {
      error: {
        code: "INTAKE_DOSSIER_NOT_FOUND",
        message: "No dossier with this code",
        details: { code: examples.dossier.code },
      },
    },
  },
  409: {
    name: "Conflict",
    description:
      "The resource's state or version does not allow it (`details` says what it is now); read it again.",
    example: {
      error: {
        code: "PROCESSING_STALE_VERSION",
        message: "The dossier changed since you read it",
        details: { expectedVersion: 3, currentVersion: 4 },
      },
    },
  },
  413: {
    name: "PayloadTooLarge",
    description: "The body is larger than the service takes (256 KiB).",
    example: {
      error: {
        code: "HTTP_PAYLOAD_TOO_LARGE",
        message: "Request body is too large",
        details: { fastifyCode: "FST_ERR_CTP_BODY_TOO_LARGE" },
      },
    },
  },
  415: {
    name: "UnsupportedMediaType",
    description: "The body is not `application/json`.",
    example: {
      error: {
        code: "HTTP_UNSUPPORTED_MEDIA_TYPE",
        message: "Unsupported Media Type",
        details: { fastifyCode: "FST_ERR_CTP_INVALID_MEDIA_TYPE" },
      },
    },
  },
  429: {
    name: "TooManyRequests",
    description: "Too many requests from this client; `Retry-After` says when to ask again.",
    headers: RETRY_AFTER,
    example: {
      error: { code: "HTTP_RATE_LIMITED", message: "Too many requests", details: { retryAfterSeconds: 42 } },
    },
  },
  503: {
    name: "ServiceUnavailable",
    description:
      "A dependency (PostgreSQL, Redis, the identity provider) cannot be reached right now; the request " +
      "may be retried after `Retry-After`.",
    headers: RETRY_AFTER,
    example: { error: { code: "HTTP_NOT_READY", message: "A dependency is not reachable" } },
  },
} satisfies Record<number, { name: string; description: string; example: ErrorBody; headers?: object }>;

export type ErrorStatus = keyof typeof errorAnswers;

const isErrorStatus = (status: string | number | undefined): boolean => /^[45]/.test(String(status));

/**
 * A route's own error answers for `schema.response`, beside its success answers:
 * `{ 200: Dossier, ...errorResponses(404, 409) }`. Those that follow from the access rule (401,
 * 403, the rule's 404) and from the request (400, 413, 415, 503) are added for every route.
 */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>;
}

/** The media types of the files the services answer: a report to file, to print, or rows for a machine. */
const FILE_TYPES = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html",
} as const;

/**
 * A success answer that is a file, for `schema.response`: `{ 200: fileAnswer("xlsx", "...") }`.
 * A workbook is binary; CSV and the page to print are text.
 */
export function fileAnswer(kind: keyof typeof FILE_TYPES, description: string) {
  const text = kind === "xlsx" ? z.string().meta({ format: "binary" }) : z.string();
  // A file goes out as a string or a Buffer, which Fastify sends as it is, never through the
  // serializer; the document says string (binary for a workbook), the type lets a Buffer through.
  const schema = text as unknown as z.ZodType<string | Buffer>;
  return { description, content: { [FILE_TYPES[kind]]: { schema } } };
}

/** The error answers every request to a route with this access rule may get (docs/access-policy.md). */
function accessAnswers(rule: AccessRule | undefined): ErrorStatus[] {
  if (!rule || rule.who === "public") return [];
  if (rule.who === "staff") return rule.roles ? [401, 403] : [401];
  if (rule.who === "admin") return [401, 403];
  const statuses: ErrorStatus[] = [401];
  if (rule.roles !== undefined || rule.outsider !== 404) statuses.push(403);
  // Another unit's resource answered as if it did not exist; a route whose own lookup can miss
  // declares its 404 itself.
  if (rule.outsider === 404) statuses.push(404);
  return statuses;
}

const list = (items: readonly string[]) =>
  items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

/** The route's access rule in words, for its description. */
export function accessInWords(rule: AccessRule | undefined): string {
  if (!rule || rule.who === "public") return "Public: no token is read.";
  if (rule.who === "staff")
    return rule.roles ? `Any staff member with the role ${list(rule.roles)}.` : "Any staff member.";
  if (rule.who === "admin") return "An admin.";
  const who = [`staff of the resource's own unit${rule.roles ? ` with the role ${list(rule.roles)}` : ""}`];
  if (rule.parentLeader) who.push("a leader of a unit above it");
  if (rule.admin) who.push("an admin");
  const outside = rule.outsider === 404 ? "404, as if it did not exist" : "403";
  return `${list(who).replace(/^s/, "S")}; anyone else gets ${outside}.`;
}

interface TransformInput {
  schema: Record<string, unknown> | undefined;
  url: string;
  route: { method: string | string[]; config?: unknown };
  openapiObject: Record<string, unknown>;
}

/**
 * The per-route step of the document: the zod schemas as JSON Schema (fastify-type-provider-zod),
 * then the security and the error answers the route can give. Error answers are placeholders here,
 * replaced by references to the shared responses in `finishDocument`.
 */
export function openApiTransform(input: TransformInput) {
  const schema = input.schema ?? {};
  const access = (input.route.config as { access?: AccessRule } | undefined)?.access;
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const success = Object.fromEntries(Object.entries(declared).filter(([s]) => !isErrorStatus(s)));
  const result = jsonSchemaTransform({
    ...input,
    schema: { ...schema, response: success },
  } as Parameters<typeof jsonSchemaTransform>[0]);
  const out = { ...(result.schema ?? {}) } as Record<string, unknown>;
  if (out.hide) return result;

  const methods = [input.route.method].flat().map((m) => m.toUpperCase());
  const hasBody = methods.some((m) => m === "POST" || m === "PUT" || m === "PATCH");
  const reads = ["params", "querystring", "body", "headers"].some((k) => schema[k] !== undefined);
  const statuses = new Set<number>(Object.keys(declared).filter(isErrorStatus).map(Number));
  if (reads || hasBody) statuses.add(400);
  for (const s of accessAnswers(access)) statuses.add(s);
  if (hasBody) for (const s of [413, 415]) statuses.add(s);
  statuses.add(503);

  out.security = !access || access.who === "public" ? [] : [{ [BEARER_AUTH]: [] }];
  out.description = [out.description, accessInWords(access)].filter(Boolean).join("\n\n");
  out.response = {
    ...(out.response as object),
    ...Object.fromEntries(
      [...statuses]
        .sort((a, b) => a - b)
        .map((s) => [
          s,
          { type: "null", description: errorAnswers[s as ErrorStatus]?.description ?? "Error" },
        ]),
    ),
  };
  return { ...result, schema: out };
}

type Json = Record<string, unknown>;

/** JSON Schema positions that hold schemas, where an object's openness is decided. */
function openObjects(schema: unknown): void {
  if (Array.isArray(schema)) {
    for (const s of schema) openObjects(s);
    return;
  }
  if (!schema || typeof schema !== "object") return;
  const s = schema as Json;
  if (s.additionalProperties === false) delete s.additionalProperties;
  for (const key of ["properties", "patternProperties", "$defs"])
    if (s[key] && typeof s[key] === "object") for (const v of Object.values(s[key] as Json)) openObjects(v);
  for (const key of ["items", "additionalProperties", "not", "anyOf", "oneOf", "allOf", "prefixItems"])
    openObjects(s[key]);
}

function errorBodySchema(): Json {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(ErrorBody, {
    target: "draft-2020-12",
    io: "output",
  }) as Json;
  return schema;
}

/**
 * The last step of the document: every error answer becomes a reference to its shared response,
 * which carries the one `ErrorBody` schema; the servers are this very server; a success answer's
 * objects are open (fields are added to an answer, never renamed: a client ignores what it does
 * not know, and the serializer checks an answer against its schema without trimming it).
 */
export function finishDocument({ openapiObject }: { openapiObject: Partial<Json> }) {
  const doc = openapiObject as Json & {
    paths?: Record<string, Record<string, { responses?: Record<string, Json> }>>;
    components?: Json;
  };
  const used = new Set<ErrorStatus>();
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (isErrorStatus(status)) {
          const answer = errorAnswers[Number(status) as ErrorStatus];
          if (!answer) continue;
          op.responses![status] = { $ref: `#/components/responses/${answer.name}` };
          used.add(Number(status) as ErrorStatus);
        } else {
          for (const media of Object.values((response.content ?? {}) as Record<string, Json>))
            openObjects(media.schema);
        }
      }
    }
  }
  const responses: Record<string, Json> = {};
  for (const status of [...used].sort((a, b) => a - b)) {
    const { name, description, example, ...rest } = errorAnswers[status];
    responses[name] = {
      description,
      ...("headers" in rest ? { headers: rest.headers } : {}),
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" }, example } },
    };
  }
  doc.servers = [{ url: "/", description: "This service, at the address this document was read from" }];
  doc.components = {
    ...doc.components,
    schemas: { ...(doc.components?.schemas as Json | undefined), ErrorBody: errorBodySchema() },
    responses,
  };
  return doc;
}

/**
 * Checks each success answer against the route's schema for it and sends it as the handler made
 * it: a documented field of the wrong shape is a 500 logged "response does not match its schema",
 * a field the schema does not name goes out all the same. Error answers are built by the one
 * error handler (`errorBody`) and sent as they are.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({
  schema,
  method,
  url,
  httpStatus,
}) => {
  if (isErrorStatus(httpStatus)) return (data) => JSON.stringify(data);
  return (data) => {
    const checked = schema.safeParse(data);
    if (!checked.success) throw new ResponseSerializationError(method, url, { cause: checked.error });
    return JSON.stringify(data);
  };
};
