import { DossierCode, UnitCode } from "@tthc/contracts";
import type { AccessRule, FastifyRequest, Pool, UnitRule } from "@tthc/service-kit";
import { z } from "zod";
import { errors } from "../errors.js";
import { receivingUnitOf } from "../store/reception.js";
import { submissionUnitOf } from "../store/submissions.js";

/**
 * Intake's rows of docs/access-policy.md. Each route names its rule; service-kit enforces it
 * before validation, so what a rule reads from the request is checked here, not trusted.
 */

const field = (req: FastifyRequest, where: "body" | "params", name: string): unknown =>
  (req[where] as Record<string, unknown> | undefined)?.[name];

/** The unit a body names as its receiving unit; undefined (validation answers) when it names none. */
const bodyUnit = (req: FastifyRequest) => {
  const parsed = UnitCode.safeParse(field(req, "body", "receivingUnitCode"));
  return parsed.success ? [parsed.data] : undefined;
};

const otherUnit: UnitRule["otherUnit"] = (staff) => errors.OTHER_UNIT({ staffUnit: staff.unit });

export function accessRules(pool: Pool) {
  const dossierUnits = async (req: FastifyRequest) => {
    const code = DossierCode.safeParse(field(req, "params", "code"));
    if (!code.success) return undefined;
    const unit = await receivingUnitOf(pool, code.data);
    return unit === undefined ? null : [unit];
  };
  const submissionUnits = async (req: FastifyRequest) => {
    const id = z.uuid().safeParse(field(req, "params", "id"));
    if (!id.success) return undefined;
    const unit = await submissionUnitOf(pool, id.data);
    return unit === undefined ? null : [unit];
  };
  const submissionNotFound = (req: FastifyRequest) =>
    errors.SUBMISSION_NOT_FOUND({ id: field(req, "params", "id") });

  return {
    public: { who: "public" },
    anyStaff: { who: "staff" },
    admin: { who: "admin" },
    /** Reception at the counter: the receptionists of the receiving unit. */
    receive: { who: "unit", roles: ["reception"], units: bodyUnit, otherUnit },
    /** A receipt again: the receiving unit's staff, a leader above it, an admin. */
    receipt: {
      who: "unit",
      parentLeader: true,
      admin: true,
      units: dossierUnits,
      notFound: (req) => errors.DOSSIER_NOT_FOUND({ code: field(req, "params", "code") }),
      otherUnit,
    },
    /** An online submission arrives: the unit's receptionists, or an admin (the portal connector). */
    submit: { who: "unit", roles: ["reception"], admin: true, units: bodyUnit, otherUnit },
    /** A submission is read by its unit's receptionists and leader, a leader above, an admin. */
    readSubmission: {
      who: "unit",
      roles: ["reception", "leader"],
      parentLeader: true,
      admin: true,
      units: submissionUnits,
      outsider: 404,
      notFound: submissionNotFound,
    },
    /** The counter's decisions on a submission: its unit's receptionists. */
    decideSubmission: {
      who: "unit",
      roles: ["reception"],
      units: submissionUnits,
      outsider: 404,
      notFound: submissionNotFound,
    },
    /** What the portal reports on a submission (supplied, withdrawn): its receptionists or an admin. */
    reportSubmission: {
      who: "unit",
      roles: ["reception"],
      admin: true,
      units: submissionUnits,
      outsider: 404,
      notFound: submissionNotFound,
    },
  } satisfies Record<string, AccessRule>;
}
