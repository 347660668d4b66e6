import { type Role, type Staff, verifyToken } from "@tthc/auth";
import type { FastifyRequest } from "fastify";
import { commonErrors } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The staff member of the bearer token, once `requireStaff` has run. */
    staff?: Staff;
  }
}

/**
 * A preHandler for staff endpoints: a valid bearer token (401 otherwise) carrying one of `roles`
 * when given (403 otherwise). The staff member lands on `request.staff`.
 */
export function requireStaff(signingKey: string, roles: readonly Role[] = []) {
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    if (!header?.startsWith("Bearer ")) {
      throw commonErrors.UNAUTHENTICATED({ reason: "missing bearer token" });
    }
    const result = verifyToken(header.slice(7).trim(), signingKey);
    if (!result.ok) throw commonErrors.UNAUTHENTICATED({ reason: result.error });
    if (roles.length > 0 && !result.staff.roles.some((r) => roles.includes(r))) {
      throw commonErrors.FORBIDDEN({ required: roles, have: result.staff.roles });
    }
    req.staff = result.staff;
  };
}

/** The staff member of a request that passed `requireStaff`. */
export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw commonErrors.UNAUTHENTICATED({ reason: "no staff on this request" });
  return req.staff;
}
