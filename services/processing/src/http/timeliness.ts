import { UnitCode } from "@tthc/contracts";
import { type BaseConfig, type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import { type HandledStep, handledSteps } from "../store/timeliness.js";
import type { accessRules } from "./access.js";

const Query = z.object({
  // Up to 9998: the end of December 9999 is past what timestamptz is given here.
  month: z
    .string()
    .regex(/^[1-9]\d{3}-(0[1-9]|1[0-2])$/, "expected YYYY-MM (year 1000 or later)")
    .refine((m) => m < "9999", { message: "expected a year before 9999" }),
  unit: UnitCode.optional().meta({ description: "Default: your unit" }),
});

/**
 * Per staff member: steps handled, met, late (Nghị định 335/2025: each late product loses 25%), late
 * as the deadline monitor judged each run, so that it agrees with the unit at fault.
 */
export function summarise(steps: HandledStep[]) {
  const byStaff = new Map<string, HandledStep[]>();
  for (const s of steps) byStaff.set(s.staffId, [...(byStaff.get(s.staffId) ?? []), s]);
  return [...byStaff].map(([staffId, list]) => {
    const met = list.filter((s) => s.met).length;
    return { staffId, handled: list.length, met, late: list.length - met, steps: list };
  });
}

const csvCell = (v: string | number | boolean | null) => {
  const s = v === null ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function timelinessCsv(steps: HandledStep[]): string {
  const head = "staff_id,dossier_code,step_id,unit_code,started_at,ended_at,deadline_at,met";
  const lines = steps.map((s) =>
    [s.staffId, s.dossierCode, s.stepId, s.unitCode, s.startedAt, s.endedAt, s.deadlineAt, s.met]
      .map(csvCell)
      .join(","),
  );
  return `${[head, ...lines].join("\n")}\n`;
}

export function registerTimeliness<C extends BaseConfig>(
  ctx: ServiceContext<C>,
  access: ReturnType<typeof accessRules>,
): void {
  const auth = { access: access.timeliness };
  const load = async (staff: { unit: string }, q: z.infer<typeof Query>) => {
    const unit = q.unit ?? staff.unit;
    return { unit, steps: await handledSteps(ctx.pool, q.month, unit) };
  };
  ctx.app.get(
    "/v1/staff-timeliness",
    {
      config: auth,
      schema: { summary: "Per-staff timeliness of a month (NĐ 335/2025)", querystring: Query },
    },
    async (req) => {
      const { unit, steps } = await load(staffOf(req), req.query);
      return { month: req.query.month, unit, staff: summarise(steps) };
    },
  );
  ctx.app.get(
    "/v1/staff-timeliness.csv",
    { config: auth, schema: { summary: "The same as CSV, one row per step", querystring: Query } },
    async (req, reply) => {
      const { unit, steps } = await load(staffOf(req), req.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="staff-timeliness-${unit}-${req.query.month}.csv"`,
        )
        .send(timelinessCsv(steps));
    },
  );
}
