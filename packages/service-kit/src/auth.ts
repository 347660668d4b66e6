import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createTokenVerifier, KeySetUnavailable, type Staff, type TokenVerifier } from "@tthc/auth";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Logger } from "pino";
import { type AccessRule, checkRoles, checkUnits } from "./access.js";
import type { BaseConfig } from "./config.js";
import { commonErrors } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The staff member of the bearer token, on every route that is not public. */
    staff?: Staff;
  }
}

/** The token verifier a service's configuration describes (local HS256, and the provider's JWKS if set). */
export function verifierFromConfig(config: BaseConfig, now: () => number = Date.now): TokenVerifier {
  return createTokenVerifier({
    signingKey: config.AUTH_SIGNING_KEY,
    maxLifetimeSeconds: config.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    leewaySeconds: config.AUTH_CLOCK_LEEWAY_SECONDS,
    now,
    provider:
      config.AUTH_JWKS_URL && config.AUTH_JWT_ISSUER
        ? {
            jwksUrl: config.AUTH_JWKS_URL,
            issuer: config.AUTH_JWT_ISSUER,
            audience: config.AUTH_JWT_AUDIENCE,
            algorithms: config.AUTH_JWT_ALGORITHMS,
            cooldownMs: config.AUTH_JWKS_COOLDOWN_MS,
            claims: {
              unit: config.AUTH_CLAIM_UNIT,
              roles: config.AUTH_CLAIM_ROLES,
              sub: config.AUTH_CLAIM_SUB,
              name: config.AUTH_CLAIM_NAME,
              roleMap: config.AUTH_ROLE_MAP,
            },
          }
        : undefined,
  });
}

async function authenticate(req: FastifyRequest, verify: TokenVerifier): Promise<Staff> {
  const header = req.headers.authorization;
  if (!header?.startsWith("Bearer ")) throw commonErrors.UNAUTHENTICATED({ reason: "missing bearer token" });
  let result: Awaited<ReturnType<TokenVerifier>>;
  try {
    result = await verify(header.slice(7).trim());
  } catch (err) {
    if (err instanceof KeySetUnavailable) {
      req.log.warn({ err: err.cause }, "identity provider key set unavailable");
      throw commonErrors.NOT_READY({ dependency: "identity provider" });
    }
    throw err;
  }
  if (!result.ok) throw commonErrors.UNAUTHENTICATED({ reason: result.error });
  return result.staff;
}

const ruleOf = (req: FastifyRequest): AccessRule | undefined => req.routeOptions.config?.access;

/**
 * Enforces each route's access rule (`config: { access }`, docs/access-policy.md) for the whole app:
 * the token and the roles when the request arrives, before its body is even parsed (401, 403); the
 * unit of the resource before validation (403, or 404 where existence must not leak). A route the
 * OpenAPI document shows must declare a rule, or the service does not start.
 */
export function enforceAccess(
  app: FastifyInstance<Server, IncomingMessage, ServerResponse, Logger, ZodTypeProvider>,
  verify: TokenVerifier,
): void {
  app.addHook("onRoute", (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    const access = (route.config as { access?: AccessRule } | undefined)?.access;
    if (!hidden && !access)
      throw new Error(`${route.method} ${route.url} declares no access rule (config.access)`);
  });
  app.addHook("onRequest", async (req) => {
    const rule = ruleOf(req);
    if (!rule || rule.who === "public") return;
    const staff = await authenticate(req, verify);
    checkRoles(rule, staff);
    req.staff = staff;
  });
  const unitChecked = new WeakSet<FastifyRequest>();
  const checkUnit = async (req: FastifyRequest, last: boolean) => {
    const rule = ruleOf(req);
    if (rule?.who !== "unit" || !req.staff || unitChecked.has(req)) return;
    if (!(rule.admin && req.staff.roles.includes("admin"))) {
      const units = await rule.units(req, req.staff);
      // Not named well enough to tell: validation answers it, or, if it passes, the check fails closed.
      if (units === undefined && !last) return;
      checkUnits(rule, req.staff, units === undefined ? [] : units, req);
    }
    unitChecked.add(req);
  };
  app.addHook("preValidation", (req) => checkUnit(req, false));
  app.addHook("preHandler", (req) => checkUnit(req, true));
}

/** The staff member of a request that passed its access rule. */
export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw commonErrors.UNAUTHENTICATED({ reason: "no staff on this request" });
  return req.staff;
}
