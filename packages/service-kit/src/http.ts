import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { TokenVerifier } from "@tthc/auth";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { enforceAccess } from "./auth.js";
import { AppError, commonErrors, errorBody, isDependencyUnavailable } from "./errors.js";
import { httpDurationHistogram } from "./metrics.js";
import {
  BEARER_AUTH,
  bearerAuthScheme,
  finishDocument,
  openApiTransform,
  serializerCompiler,
} from "./openapi.js";

const PUBLIC = { who: "public" } as const;

export type Readiness = Record<string, () => Promise<boolean>>;

export interface HttpAppOptions {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  registry: Registry;
  /** Named checks for `/readyz`: each says whether a dependency answers. */
  readiness: Readiness;
  bodyLimitBytes?: number;
  /** Verifies bearer tokens for the routes' access rules (docs/access-policy.md). */
  verifyToken: TokenVerifier;
}

/** The path of a validation issue as the client wrote it: `body.applicant.phone`, `body.items[2].code`. */
export function issuePath(instancePath: string, where: string): string {
  const segments = instancePath.split("/").filter(Boolean);
  return segments.reduce<string>(
    (acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : `${acc}.${seg}`),
    where,
  );
}

/**
 * The fastify app every service builds on: zod validation and OpenAPI at `/docs`, request ids,
 * one error format, `/healthz`, `/readyz` and `/metrics`. Services add their routes to it.
 */
export async function createHttpApp(options: HttpAppOptions) {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    // One line per request is written in onResponse below, with the route and the time taken.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
    // The router refuses some requests before any hook runs (a bad percent-escape, a path
    // parameter past maxParamLength): they get the same error body as everything else.
    frameworkErrors: (error, _req, reply) => {
      const status = error.statusCode ?? 400;
      const body = errorBody(status === 414 ? "HTTP_URI_TOO_LONG" : "HTTP_BAD_REQUEST", error.message, {
        fastifyCode: error.code,
      });
      // The router's reply is typed for no route in particular; any status and body are fine here.
      (reply as unknown as { code(n: number): { send(b: unknown): void } }).code(status).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  enforceAccess(app, options.verifyToken);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  // A response finished during shutdown closes its keep-alive connection, or close() would wait
  // for the client's idle socket to time out; event streams never finish, so they are ended.
  let closing = false;
  const streams = new Set<ServerResponse>();
  app.decorate("eventStreams", streams);
  app.addHook("preClose", async () => {
    closing = true;
    for (const res of streams) res.end();
    streams.clear();
  });
  app.addHook("onSend", async (_req, reply) => {
    if (closing) reply.header("connection", "close");
  });

  const duration = httpDurationHistogram(options.registry);
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    duration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    const level = reply.statusCode >= 500 ? "error" : "info";
    if (route !== "/healthz" && route !== "/readyz" && route !== "/metrics") {
      req.log[level](
        { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        "request",
      );
    }
  });

  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? "body";
      const details = err.validation.map((v) => ({
        path: issuePath(v.instancePath, where),
        reason: v.message ?? "invalid",
      }));
      const e = commonErrors.VALIDATION_FAILED(details);
      return reply.code(400).send(errorBody(e.code, e.message, details));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, "response does not match its schema");
      const e = commonErrors.INTERNAL();
      return reply.code(500).send(errorBody(e.code, e.message));
    }
    if (isDependencyUnavailable(err)) {
      req.log.warn({ err: err.message }, "a dependency is not reachable");
      const e = commonErrors.NOT_READY();
      return reply.code(503).header("retry-after", "1").send(errorBody(e.code, e.message));
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, "unhandled error");
      const e = commonErrors.INTERNAL();
      return reply.code(500).send(errorBody(e.code, e.message));
    }
    // fastify's own 4xx: malformed JSON, body too large, wrong content type...
    const code =
      status === 413
        ? "HTTP_PAYLOAD_TOO_LARGE"
        : status === 415
          ? "HTTP_UNSUPPORTED_MEDIA_TYPE"
          : status === 404
            ? "HTTP_NOT_FOUND"
            : "HTTP_BAD_REQUEST";
    return reply.code(status).send(errorBody(code, err.message, { fastifyCode: (err as FastifyError).code }));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody("HTTP_NOT_FOUND", `No route ${req.method} ${req.url.split("?")[0]}`));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: options.service,
        version: options.version ?? "0.1.0",
        description: options.description ?? "",
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      components: { securitySchemes: { [BEARER_AUTH]: bearerAuthScheme } },
    },
    transform: openApiTransform as never,
    transformObject: finishDocument as never,
  });
  // Try-it-out keeps the token given under "Authorize" across reloads of the page.
  await app.register(fastifySwaggerUi, { routePrefix: "/docs", uiConfig: { persistAuthorization: true } });

  app.get("/healthz", { schema: { hide: true }, config: { access: PUBLIC } }, async () => ({
    status: "ok",
    service: options.service,
  }));

  app.get("/readyz", { schema: { hide: true }, config: { access: PUBLIC } }, async (_req, reply) => {
    const names = Object.keys(options.readiness);
    const results = await Promise.all(
      names.map((n) =>
        options.readiness[n]!()
          .then((ok) => ok)
          .catch(() => false),
      ),
    );
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i] ? "up" : "down"]));
    const ready = results.every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
  });

  app.get("/metrics", { schema: { hide: true }, config: { access: PUBLIC } }, async (_req, reply) => {
    reply.header("content-type", options.registry.contentType);
    return options.registry.metrics();
  });

  return app;
}

export type HttpApp = Awaited<ReturnType<typeof createHttpApp>>;

declare module "fastify" {
  interface FastifyInstance {
    /** Open server-sent event streams, ended when the app closes. */
    eventStreams: Set<ServerResponse>;
  }
}

/**
 * Turns a request into a server-sent event stream: headers, a comment, a keep-alive ping every
 * 15 s, and an end at shutdown. Returns `send(event, data, id?)` and `onClose(fn)`.
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write(": stream open\n\n");
  const streams = req.server.eventStreams;
  streams.add(res);
  const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
  ping.unref();
  const closers: (() => void)[] = [];
  req.raw.on("close", () => {
    clearInterval(ping);
    streams.delete(res);
    for (const fn of closers) fn();
  });
  return {
    send(event: string, data: unknown, id?: string | number) {
      if (res.writableEnded) return;
      res.write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(fn: () => void) {
      closers.push(fn);
    },
  };
}
export type { FastifyInstance } from "fastify";
