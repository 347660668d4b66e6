import { DossierId, UnitCode } from "@tthc/contracts";
import type { AccessRule, FastifyRequest, Pool, UnitRule } from "@tthc/service-kit";
import { z } from "zod";
import { errors } from "../errors.js";
import { clockUnits } from "../store/access.js";
import { webhookUnit } from "../store/webhooks.js";

/**
 * The monitor's rows of docs/access-policy.md. Each route names its rule; service-kit enforces it
 * before validation, so what a rule reads from the request is checked here, not trusted.
 */

const at = (req: FastifyRequest, where: "params" | "query" | "body", name: string): unknown =>
  (req[where] as Record<string, unknown> | undefined)?.[name];

const otherUnit: UnitRule["otherUnit"] = (staff) => errors.OTHER_UNIT({ yourUnit: staff.unit });

/** The unit named at `where.name`, or the caller's own when absent. */
const namedUnit =
  (where: "params" | "query" | "body", name: string): UnitRule["units"] =>
  (req, staff) => {
    const given = at(req, where, name);
    if (given === undefined) return [staff.unit];
    const parsed = UnitCode.safeParse(given);
    return parsed.success ? [parsed.data] : undefined;
  };

export function accessRules(pool: Pool) {
  const unitView = (units: UnitRule["units"]): UnitRule => ({
    who: "unit",
    parentLeader: true,
    admin: true,
    units,
    otherUnit,
  });
  const webhook = (units: UnitRule["units"], outsider: 403 | 404): UnitRule => ({
    who: "unit",
    roles: ["leader"],
    parentLeader: true,
    admin: true,
    units,
    outsider,
    otherUnit,
    notFound: (req) => errors.UNKNOWN_WEBHOOK({ id: at(req, "params", "id") }),
  });
  return {
    /** A dossier's clock: the staff of its units, a leader above one, an admin. */
    sla: unitView(async (req) => {
      const id = DossierId.safeParse(at(req, "params", "dossierId"));
      if (!id.success) return undefined;
      return (await clockUnits(pool, id.data)) ?? null;
    }),
    /** Alerts (list and stream) of a unit and the units under it: its staff, a leader above, an admin. */
    alerts: unitView(namedUnit("query", "unit")),
    /** A unit's live figures. */
    live: unitView(namedUnit("params", "code")),
    /** Registering a webhook for a unit (and the units under it): its leader, a leader above, an admin. */
    registerWebhook: webhook(namedUnit("body", "unitCode"), 403),
    /** Listing webhooks: a leader sees those of its unit and the units under it; an admin all. */
    listWebhooks: { who: "staff", roles: ["leader", "admin"] },
    /** One webhook: its unit's leader, a leader above, an admin; to anyone else it does not exist. */
    webhook: webhook(async (req) => {
      const id = z.uuid().safeParse(at(req, "params", "id"));
      if (!id.success) return undefined;
      const unit = await webhookUnit(pool, id.data);
      return unit === undefined ? null : unit === null ? [] : [unit];
    }, 404),
  } satisfies Record<string, AccessRule>;
}
