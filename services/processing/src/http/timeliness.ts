import { DossierCode, DossierId, examples, Instant, StaffId, StepId, UnitCode } from "@tthc/contracts";
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

const stepExample: HandledStep = {
  staffId: examples.staff.specialist,
  dossierId: examples.dossier.id,
  dossierCode: examples.dossier.code,
  stepId: "review",
  unitCode: examples.unit.code,
  startedAt: "2026-03-10T02:40:00.000Z",
  endedAt: "2026-03-11T09:05:00.000Z",
  deadlineAt: "2026-03-12T08:34:30.000Z",
  met: true,
};

const HandledStepView = z.object({
  staffId: StaffId,
  dossierId: DossierId,
  dossierCode: DossierCode,
  stepId: StepId,
  unitCode: UnitCode,
  startedAt: Instant,
  endedAt: Instant,
  deadlineAt: Instant.nullable().meta({
    description: "The run's deadline; null if a pause hid it at its end",
  }),
  met: z.boolean().meta({ description: "Not late, as the deadline monitor judged the run" }),
});

const Timeliness = z
  .object({
    month: z.string().meta({ examples: ["2026-03"] }),
    unit: UnitCode,
    staff: z.array(
      z.object({
        staffId: StaffId,
        handled: z.int().min(0),
        met: z.int().min(0),
        late: z.int().min(0).meta({ description: "Each late product loses 25% (Nghị định 335/2025)" }),
        steps: z.array(HandledStepView),
      }),
    ),
  })
  .meta({
    examples: [
      {
        month: "2026-03",
        unit: examples.unit.code,
        staff: [
          {
            staffId: examples.staff.specialist,
            handled: 1,
            met: 1,
            late: 0,
            steps: [stepExample],
          },
        ],
      },
    ],
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
      schema: {
        operationId: "getStaffTimeliness",
        summary: "Per-staff timeliness of a month (NĐ 335/2025)",
        querystring: Query,
        response: { 200: Timeliness },
      },
    },
    async (req) => {
      const { unit, steps } = await load(staffOf(req), req.query);
      return { month: req.query.month, unit, staff: summarise(steps) };
    },
  );
  ctx.app.get(
    "/v1/staff-timeliness.csv",
    {
      config: auth,
      schema: {
        operationId: "exportStaffTimeliness",
        summary: "The same as CSV, one row per step",
        querystring: Query,
        response: {
          200: {
            description: "One row per step run, as an attachment",
            content: {
              "text/csv": {
                schema: z.string().meta({ examples: [timelinessCsv([stepExample])] }),
              },
            },
          },
        },
      },
    },
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
