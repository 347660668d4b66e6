import { monthOf, startOfDay } from "@tthc/calendar";
import { DossierCode, DossierId, examples, Instant, StaffId, StepId, UnitCode } from "@tthc/contracts";
import { percent } from "@tthc/rates";
import {
  type Column,
  issuingChain,
  localDayOf,
  type OfficialHeading,
  officialHeading,
  periodInWords,
  REPORT_SIGNATURES,
  type Report,
  toCsv,
  toPrintHtml,
  toXlsx,
} from "@tthc/reports";
import { type BaseConfig, fileAnswer, type ServiceContext, staffOf } from "@tthc/service-kit";
import { z } from "zod";
import { catalogUnits } from "../store/catalog.js";
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

/** The CSV's columns: one row per step, under the keys of the JSON's `steps`. */
const STEP_COLUMNS: Column[] = [
  { key: "staffId", header: "Cán bộ", format: "text" },
  { key: "dossierCode", header: "Mã hồ sơ", format: "text" },
  { key: "stepId", header: "Bước", format: "text" },
  { key: "unitCode", header: "Đơn vị", format: "text" },
  { key: "startedAt", header: "Bắt đầu", format: "datetime" },
  { key: "endedAt", header: "Kết thúc", format: "datetime" },
  { key: "deadlineAt", header: "Hạn", format: "datetime" },
  { key: "met", header: "Đúng hạn", format: "flag" },
];

export function timelinessCsv(steps: HandledStep[]): string {
  return toCsv(
    STEP_COLUMNS,
    steps.map((s) => ({ ...s })),
  );
}

const STEPS = "Số bước xử lý đã hoàn thành trong tháng";

/** The month's report for people: one row per staff member, a total row, the unit's heading. */
export function timelinessReport(heading: OfficialHeading, month: string, steps: HandledStep[]): Report {
  const staff = summarise(steps);
  const met = staff.reduce((n, s) => n + s.met, 0);
  const { from, to } = monthOf(startOfDay(`${month}-01`));
  return {
    heading,
    title: "BẢNG THEO DÕI TIẾN ĐỘ XỬ LÝ HỒ SƠ CỦA CÁN BỘ, CÔNG CHỨC",
    subtitle: [
      `Kỳ báo cáo: ${periodInWords({ from, to })}`,
      "Mỗi bước của quy trình nội bộ là một sản phẩm (Nghị định 335/2025/NĐ-CP); đúng hạn hay quá hạn theo thời hạn của bước",
    ],
    sheetName: "Tiến độ cán bộ",
    numbered: true,
    frozenColumns: 1,
    columns: [
      { key: "staffId", header: "Cán bộ, công chức", format: "text" },
      { key: "handled", header: "Tổng số", group: STEPS, format: "integer" },
      { key: "met", header: "Đúng hạn", group: STEPS, format: "integer" },
      { key: "late", header: "Quá hạn", group: STEPS, format: "integer" },
      { key: "onTimeRate", header: "Tỷ lệ đúng hạn (%)", format: "percent" },
    ],
    rows: staff.map((s) => ({
      staffId: s.staffId,
      handled: s.handled,
      met: s.met,
      late: s.late,
      onTimeRate: percent(s.met, s.handled),
    })),
    total: {
      staffId: "Tổng cộng",
      handled: steps.length,
      met,
      late: steps.length - met,
      onTimeRate: percent(met, steps.length),
    },
    signatures: REPORT_SIGNATURES,
  };
}

const HUMAN_FORMATS = {
  xlsx: {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    disposition: "attachment",
    body: (r: Report) => toXlsx(r),
  },
  html: {
    type: "text/html; charset=utf-8",
    disposition: "inline",
    body: async (r: Report) => toPrintHtml(r),
  },
} as const;

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
  for (const [ext, f] of Object.entries(HUMAN_FORMATS))
    ctx.app.get(
      `/v1/staff-timeliness.${ext}`,
      {
        config: auth,
        schema: {
          operationId: ext === "xlsx" ? "exportStaffTimelinessXlsx" : "exportStaffTimelinessHtml",
          summary: `The month per staff member, as a report to file (${ext === "xlsx" ? "XLSX" : "a page to print"})`,
          querystring: Query,
          response: {
            200: fileAnswer(
              ext as keyof typeof HUMAN_FORMATS,
              ext === "xlsx"
                ? "The workbook a unit files (A4 landscape, official heading), as an attachment"
                : "The same report as a page a browser prints to PDF",
            ),
          },
        },
      },
      async (req, reply) => {
        const [{ unit, steps }, units] = await Promise.all([
          load(staffOf(req), req.query),
          catalogUnits(ctx.pool),
        ]);
        const heading = officialHeading(issuingChain(units, unit), localDayOf(ctx.clock.now()));
        return reply
          .type(f.type)
          .header(
            "content-disposition",
            `${f.disposition}; filename="staff-timeliness-${unit}-${req.query.month}.${ext}"`,
          )
          .send(await f.body(timelinessReport(heading, req.query.month, steps)));
      },
    );
}
