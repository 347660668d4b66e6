import { z } from "zod";
import { StepId, UnitCode } from "./formats.js";

/**
 * The terms of a procedure that decide its clock: statutory time, cut-off hour, supplement rule and
 * the steps of its internal process. The catalogue holds them; `dossier.received` carries them as they
 * were at reception, so that a later change of the catalogue never moves an open dossier's deadline.
 */

/** Units a statutory time (thời hạn giải quyết) is counted in. */
export const WorkingTimeUnit = z.enum(["days", "half-days", "hours", "within-day"]).meta({
  description: "Unit of a statutory time: working days, half-days, working hours, or within the day",
});
export type WorkingTimeUnit = z.infer<typeof WorkingTimeUnit>;

/**
 * Statutory time (thời hạn giải quyết), counted in working time from the reception of a complete,
 * valid dossier: e.g. `{ amount: 10, unit: "days" }`. `within-day` (trong ngày) has amount 1.
 */
export const StatutoryTime = z
  .object({
    amount: z.number().positive().meta({ description: "How many units; 1 for within-day" }),
    unit: WorkingTimeUnit,
  })
  .refine((t) => t.unit !== "within-day" || t.amount === 1, {
    message: "a within-day statutory time has amount 1",
    path: ["amount"],
  })
  .meta({ description: "Statutory time (thời hạn giải quyết) in working time" });
export type StatutoryTime = z.infer<typeof StatutoryTime>;

/** A step's share of the statutory time, e.g. `{ amount: 0.25, unit: "days" }`. */
export const StepBudget = z
  .object({
    amount: z.number().positive(),
    unit: z.enum(["days", "half-days", "hours"]),
  })
  .meta({
    description: "Working time allotted to a step; the budgets of the steps sum to the statutory time",
  });
export type StepBudget = z.infer<typeof StepBudget>;

/**
 * Cut-off hour of a procedure: reception after it counts from the next working day. `null` for none;
 * `15:00` for certification (chứng thực); `17:00` for online dossiers under Nghị định 297/2025.
 */
export const CutOff = z.enum(["15:00", "17:00"]).nullable().meta({
  description: "Cut-off hour (Asia/Ho_Chi_Minh) after which reception counts from the next working day",
});
export type CutOff = z.infer<typeof CutOff>;

/**
 * What a supplement request does to the clock: `pause` (the default, as the 766 rules count it: the
 * applicant's time is not counted) or `reset` (the whole time counts again from the complete dossier).
 */
export const SupplementRule = z
  .enum(["pause", "reset"])
  .meta({ description: "Effect of a supplement request on the clock: pause (default) or reset" });
export type SupplementRule = z.infer<typeof SupplementRule>;

/**
 * Role of a step's unit in the procedure (liên thông): `receiving` (cơ quan tiếp nhận), `handling`
 * (cơ quan chủ trì giải quyết), `coordinating` (cơ quan phối hợp), `deciding` (cơ quan có thẩm quyền
 * quyết định).
 */
export const UnitRole = z
  .enum(["receiving", "handling", "coordinating", "deciding"])
  .meta({ description: "Role of the step's unit: receiving, handling (chủ trì), coordinating, deciding" });
export type UnitRole = z.infer<typeof UnitRole>;

/**
 * A step of the procedure's internal process (quy trình nội bộ) as the catalogue defines it. `unitCode`
 * is `null` when the unit depends on the dossier (the receiving commune, for instance) and is fixed at
 * reception.
 */
export const ProcedureStep = z
  .object({
    id: StepId,
    name: z.string().min(1).meta({ description: "Step name as the process describes it, e.g. Thẩm định" }),
    unitRole: UnitRole,
    unitCode: UnitCode.nullable().meta({ description: "The step's unit; null when fixed at reception" }),
    budget: StepBudget,
  })
  .meta({ description: "A step of the procedure's internal process (quy trình nội bộ)" });
export type ProcedureStep = z.infer<typeof ProcedureStep>;

/**
 * What a procedure's clock counts from (docs/domain.md, "Start"): `acceptance` (the default: the
 * clock starts when the centre accepts the complete dossier, "kể từ ngày nhận đủ hồ sơ hợp lệ"),
 * or `submission` where a decree counts from the portal submission.
 */
export const ClockBasis = z
  .enum(["acceptance", "submission"])
  .meta({ description: "What the clock counts from: acceptance (default) or the portal submission" });
export type ClockBasis = z.infer<typeof ClockBasis>;

/**
 * The centre's own deadline to accept or refuse an online submission, when the procedure names none:
 * one working day (8 working hours). The wait for acceptance is not the applicant's statutory time,
 * and a centre that looks at its queue once a working day meets it; docs/domain.md gives the reasoning.
 */
export const DEFAULT_ACCEPTANCE_TIME: StatutoryTime = { amount: 8, unit: "hours" };

/** A step as fixed for one dossier at reception: its unit is known. */
export const DossierStep = ProcedureStep.extend({
  unitCode: UnitCode.meta({ description: "The unit that handles this step for this dossier" }),
}).meta({ description: "A step of the dossier's process, with its unit, as fixed at reception" });
export type DossierStep = z.infer<typeof DossierStep>;

/**
 * The competent unit of a dossier (cơ quan có thẩm quyền giải quyết): the unit whose procedure it is
 * and that decides it, the one the 766 index scores. It is the unit of the last deciding step, else
 * of the last handling step, else the receiving unit (docs/domain.md, "Attribution").
 */
export function competentUnitOf(
  steps: readonly { unitRole: UnitRole; unitCode: string }[],
  receivingUnitCode: string,
): string {
  const last = (role: UnitRole) => [...steps].reverse().find((s) => s.unitRole === role)?.unitCode;
  return last("deciding") ?? last("handling") ?? receivingUnitCode;
}
