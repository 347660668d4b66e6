import { DEV_SIGNING_KEY, type Role, signToken } from "@tthc/auth";

/**
 * An `Authorization` header for a staff member of `unit` with `roles`, signed with the key that
 * services under test use (the development key, unless AUTH_SIGNING_KEY says otherwise).
 */
export function tokenFor(unit: string, roles: Role[] | Role, sub?: string): { authorization: string } {
  const list = Array.isArray(roles) ? roles : [roles];
  const token = signToken(
    { sub: sub ?? `${list[0]}@${unit}`, unit, roles: list },
    process.env.AUTH_SIGNING_KEY || DEV_SIGNING_KEY,
  );
  return { authorization: `Bearer ${token}` };
}
