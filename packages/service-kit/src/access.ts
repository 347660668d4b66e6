import type { Role, Staff } from "@tthc/auth";
import type { FastifyRequest } from "fastify";
import { type AppError, commonErrors } from "./errors.js";
import { isUnitBelow } from "./units.js";

/** The units a resource belongs to (its holding, receiving or owning unit...). */
export type Units = readonly string[];

/**
 * Finds the units of the resource a request names, from the request as it came (before
 * validation: check what you read). `null`: no such resource. `undefined`: the request does not
 * name one well enough to tell, and validation will answer it.
 */
export type UnitsResolver = (
  req: FastifyRequest,
  staff: Staff,
) => Promise<Units | null | undefined> | Units | null | undefined;

/**
 * Who may call a route: one row of docs/access-policy.md. Declared on the route as
 * `config: { access }` and enforced for every route by the hooks of `createHttpApp`, the token
 * before the body is read and everything before validation.
 */
export type AccessRule =
  /** Anyone; an Authorization header is not even read. */
  | { readonly who: "public" }
  /** Any staff member with one of `roles` (all roles when absent), of whatever unit. */
  | { readonly who: "staff"; readonly roles?: readonly Role[] }
  /** An admin, of whatever unit. */
  | { readonly who: "admin" }
  | UnitRule;

/** Staff of the resource's own unit; and, where said, a leader of a unit above it, or an admin. */
export interface UnitRule {
  readonly who: "unit";
  /** Roles of the own unit that may call; all roles when absent. */
  readonly roles?: readonly Role[];
  /** A leader of a unit above the resource's may call too (reading, or a webhook of its units). */
  readonly parentLeader?: boolean;
  /** An admin of any unit may call too. */
  readonly admin?: boolean;
  readonly units: UnitsResolver;
  /** What a caller of another unit gets: 403, or 404 where existence itself must not leak. */
  readonly outsider?: 403 | 404;
  /** The answer for a resource that does not exist, and for an outsider when `outsider` is 404. */
  readonly notFound?: (req: FastifyRequest) => AppError;
  /** The answer for an outsider when `outsider` is 403. */
  readonly otherUnit?: (staff: Staff, units: Units) => AppError;
  /** The answer for a caller whose roles cannot call this route whatever the unit. */
  readonly wrongRole?: (staff: Staff) => AppError;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route (required on every route the OpenAPI document shows). */
    access?: AccessRule;
  }
}

const has = (staff: Staff, role: Role) => staff.roles.includes(role);
const hasAny = (staff: Staff, roles: readonly Role[] | undefined) =>
  roles === undefined || staff.roles.some((r) => roles.includes(r));

const forbiddenRole = (required: readonly string[]) => (staff: Staff) =>
  commonErrors.FORBIDDEN({ reason: "role", required, have: staff.roles });

function requiredRoles(rule: AccessRule): string[] {
  if (rule.who === "admin") return ["admin"];
  if (rule.who === "public") return [];
  const roles: string[] = [...(rule.roles ?? ["reception", "specialist", "leader", "admin"])];
  if (rule.who === "unit" && rule.parentLeader) roles.push("leader (of a unit above)");
  if (rule.who === "unit" && rule.admin) roles.push("admin");
  return [...new Set(roles)];
}

/**
 * Whether the caller's roles could pass the rule for some resource (checked before the resource
 * is looked up, so that a wrong role is refused whatever it names). Throws 403 otherwise.
 */
export function checkRoles(rule: AccessRule, staff: Staff): void {
  const ok =
    rule.who === "public" ||
    (rule.who === "staff" && hasAny(staff, rule.roles)) ||
    (rule.who === "admin" && has(staff, "admin")) ||
    (rule.who === "unit" &&
      (hasAny(staff, rule.roles) ||
        (rule.parentLeader && has(staff, "leader")) ||
        (rule.admin && has(staff, "admin"))));
  if (!ok) {
    const wrong = rule.who === "unit" && rule.wrongRole ? rule.wrongRole : forbiddenRole(requiredRoles(rule));
    throw wrong(staff);
  }
}

/** Whether the caller may act on a resource of `units` under a unit rule. */
export function unitDecision(
  rule: UnitRule,
  staff: Staff,
  units: Units,
): "allowed" | "wrong-role" | "outsider" {
  if (rule.admin && has(staff, "admin")) return "allowed";
  const own = units.includes(staff.unit);
  if (own && hasAny(staff, rule.roles)) return "allowed";
  if (rule.parentLeader && has(staff, "leader") && units.some((u) => isUnitBelow(u, staff.unit)))
    return "allowed";
  return own ? "wrong-role" : "outsider";
}

/**
 * The unit check of a rule for a resource already loaded: throws the rule's answer when the
 * caller may not act on it. The hooks call it before validation; a handler may call it again
 * inside its transaction, where the resource may have moved since.
 */
export function checkUnits(rule: UnitRule, staff: Staff, units: Units | null, req: FastifyRequest): void {
  const notFound = () => (rule.notFound ? rule.notFound(req) : commonErrors.NOT_FOUND());
  if (units === null) throw notFound();
  const decision = unitDecision(rule, staff, units);
  if (decision === "allowed") return;
  if (decision === "wrong-role") throw (rule.wrongRole ?? forbiddenRole(requiredRoles(rule)))(staff);
  if (rule.outsider === 404) throw notFound();
  throw rule.otherUnit
    ? rule.otherUnit(staff, units)
    : commonErrors.FORBIDDEN({ reason: "unit", yourUnit: staff.unit });
}
