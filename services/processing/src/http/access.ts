import { DossierId, UnitCode } from "@tthc/contracts";
import type { AccessRule, FastifyRequest, Pool, UnitRule } from "@tthc/service-kit";
import type { Dossier } from "../domain/dossier.js";
import { type Action, actionRules } from "../domain/transitions.js";
import { errors } from "../errors.js";
import { type DossierUnits, dossierUnits } from "../store/dossiers.js";

/**
 * Processing's rows of docs/access-policy.md. Each route names its rule; service-kit enforces it
 * before validation, so what a rule reads from the request is checked here, not trusted.
 */

const param = (req: FastifyRequest, name: string): unknown =>
  (req.params as Record<string, unknown> | undefined)?.[name];

const otherUnit: UnitRule["otherUnit"] = (staff, units) =>
  errors.OTHER_UNIT({ dossierUnit: units[0], yourUnit: staff.unit });
const wrongRole =
  (roles: readonly string[]): UnitRule["wrongRole"] =>
  (staff) =>
    errors.ROLE_FORBIDDEN({ required: roles, have: staff.roles });
const notFound = (req: FastifyRequest) => errors.DOSSIER_NOT_FOUND({ id: param(req, "id") });

/** The units an action may come from: the holding unit, or also the receiving one. */
export function actingUnits(action: Action, d: Pick<Dossier, "currentUnitCode" | "receivingUnitCode">) {
  return actionRules[action].unit === "handling"
    ? [d.currentUnitCode]
    : [d.currentUnitCode, d.receivingUnitCode];
}

export function accessRules(pool: Pool) {
  const load = async (req: FastifyRequest, pick: (u: DossierUnits) => string[]) => {
    const id = DossierId.safeParse(param(req, "id"));
    if (!id.success) return undefined;
    const units = await dossierUnits(pool, id.data);
    return units ? pick(units) : null;
  };
  /** The unit a query names, or the caller's own. */
  const queryUnit: UnitRule["units"] = (req, staff) => {
    const given = (req.query as Record<string, unknown> | undefined)?.unit;
    if (given === undefined) return [staff.unit];
    const parsed = UnitCode.safeParse(given);
    return parsed.success ? [parsed.data] : undefined;
  };
  const read = (pick: (u: DossierUnits) => string[]): UnitRule => ({
    who: "unit",
    parentLeader: true,
    admin: true,
    units: (req) => load(req, pick),
    notFound,
    otherUnit,
  });

  const action = (a: Action): UnitRule => ({
    who: "unit",
    roles: actionRules[a].roles,
    units: (req) =>
      load(req, (u) => actingUnits(a, { currentUnitCode: u.current, receivingUnitCode: u.receiving })),
    notFound,
    otherUnit,
    wrongRole: wrongRole(actionRules[a].roles),
  });

  return {
    /** A unit's work queue: its staff, a leader above it, an admin. */
    queue: { who: "unit", parentLeader: true, admin: true, units: queryUnit, otherUnit },
    /** A dossier with its timeline: every unit it passed through, a leader above one, an admin. */
    dossier: read((u) => [u.current, u.receiving, ...u.steps]),
    /** The apology letter: the holding and the receiving unit, a leader above, an admin. */
    letter: read((u) => [u.current, u.receiving]),
    /** An action: the roles and units of src/domain/transitions.ts, nobody else. */
    action,
    /** Per-staff timeliness: the unit's leader, a leader above it, an admin. */
    timeliness: {
      who: "unit",
      roles: ["leader"],
      parentLeader: true,
      admin: true,
      units: queryUnit,
      otherUnit,
      wrongRole: wrongRole(["leader", "admin"]),
    },
  } satisfies Record<string, AccessRule | ((a: Action) => AccessRule)>;
}
