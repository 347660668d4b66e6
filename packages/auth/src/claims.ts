import { type Role, Staff } from "./token.js";

/**
 * How the claims of a provincial identity provider's token map to a staff member: where the unit
 * code, the roles, the subject and the name sit (dot paths such as `org.unit` or
 * `realm_access.roles`), and which of the provider's role names stand for which of ours. Roles the
 * map does not name are ignored.
 */
export interface ClaimMapping {
  unit: string;
  roles: string;
  sub: string;
  name: string;
  roleMap: Readonly<Record<string, Role>>;
}

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = {
  unit: "unit",
  roles: "roles",
  sub: "sub",
  name: "name",
  roleMap: { reception: "reception", specialist: "specialist", leader: "leader", admin: "admin" },
};

function at(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A roles claim is a list, or one string of names separated by spaces or commas. */
function names(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/** The staff member the claims name, or null when they name no valid unit, role or subject. */
export function staffFromClaims(claims: Record<string, unknown>, mapping: ClaimMapping): Staff | null {
  const roles = [
    ...new Set(
      names(at(claims, mapping.roles))
        .filter((n) => Object.hasOwn(mapping.roleMap, n))
        .map((n) => mapping.roleMap[n] as Role),
    ),
  ];
  const name = at(claims, mapping.name);
  const parsed = Staff.safeParse({
    sub: at(claims, mapping.sub),
    unit: at(claims, mapping.unit),
    roles,
    ...(typeof name === "string" ? { name } : {}),
  });
  return parsed.success ? parsed.data : null;
}

/** Parses `idp-role:our-role,...` (the form of AUTH_ROLE_MAP); throws naming a bad entry. */
export function parseRoleMap(text: string): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const i = entry.lastIndexOf(":");
    const ours = entry.slice(i + 1);
    if (i <= 0 || !["reception", "specialist", "leader", "admin"].includes(ours))
      throw new Error(`"${entry}" is not <provider role>:<reception|specialist|leader|admin>`);
    out[entry.slice(0, i)] = ours as Role;
  }
  return out;
}
