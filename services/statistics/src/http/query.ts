import { dayCount, localDay, monthToDate, type Period } from "@tthc/calendar";
import { ProcedureCode, UnitCode, UnitLevel } from "@tthc/contracts";
import { z } from "zod";
import { attributions, DEFAULT_ATTRIBUTION } from "../domain/attribution.js";
import { dossierFigures } from "../domain/dossier-figures.js";

// The ISO pattern admits the year 0000, which PostgreSQL's dates do not have.
const Day = z.iso
  .date()
  .refine((d) => !d.startsWith("0000-"), "there is no year 0000")
  .meta({ description: "Day (Asia/Ho_Chi_Minh), YYYY-MM-DD" });

export const Attribution = z.enum(attributions).default(DEFAULT_ATTRIBUTION).meta({
  description:
    "Which unit a dossier counts for: competent (the default, the unit that decides it, as the 766 index scores) or receiving (the one-stop centre)",
});

export const LevelQ = UnitLevel.optional().meta({
  description: "Only the units at this level (with `unit`: those of its units at this level)",
});

/**
 * `from`, `to` (days, inclusive; default: this month to date), `groupBy`, `unit` (with its units),
 * `level`, `attribution`.
 */
export const StatsQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    groupBy: z.enum(["day", "month"]).optional().meta({ description: "Adds a time series by day or month" }),
    unit: UnitCode.optional().meta({ description: "Only this unit and the units under it" }),
    level: LevelQ,
    attribution: Attribution,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] })
  .refine((q) => !q.from || !q.to || dayCount({ from: q.from, to: q.to }) <= 3 * 366 + 1, {
    message: "a period is at most three years",
    path: ["from"],
  })
  .refine((q) => q.groupBy !== "day" || !q.from || !q.to || dayCount({ from: q.from, to: q.to }) <= 400, {
    message: "groupBy=day covers at most 400 days",
    path: ["groupBy"],
  });
export type StatsQuery = z.infer<typeof StatsQuery>;

export function periodOf(q: { from?: string; to?: string }, now: Date): Period {
  const mtd = monthToDate(now);
  const from = q.from ?? (q.to ? `${q.to.slice(0, 7)}-01` : mtd.from);
  const to = q.to ?? (q.from && q.from > localDay(now) ? q.from : mtd.to);
  return { from, to: [to, from].sort()[1] as string };
}

export const DossierFigureQ = z
  .enum(dossierFigures)
  .meta({ description: "The figure whose dossiers to list (`handled` lists every dossier of H(P))" });

const Cursor = z
  .string()
  .regex(/^\d{1,9}$/, "expected the nextCursor of a previous page")
  .optional();

const dossiersFields = {
  from: Day.optional(),
  to: Day.optional(),
  unit: UnitCode.optional(),
  level: LevelQ,
  procedure: ProcedureCode.optional().meta({ description: "Only the dossiers of this procedure" }),
  attribution: Attribution,
  figure: DossierFigureQ.default("handled"),
  cursor: Cursor,
};

export const DossiersQuery = z
  .object({ ...dossiersFields, limit: z.coerce.number().int().min(1).max(5000).default(100) })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] });

/** The exports of a dossier list: the same query, with a page as large as a report needs. */
export const DossiersExportQuery = z
  .object({ ...dossiersFields, limit: z.coerce.number().int().min(1).max(100_000).default(10_000) })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] });

/** The dashboard's breakdown: a scope's figures by level, unit or procedure, beside the period compared with. */
export const BreakdownQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    unit: UnitCode.optional().meta({ description: "Only this unit and the units under it" }),
    level: LevelQ,
    attribution: Attribution,
    by: z
      .enum(["level", "unit", "procedure"])
      .default("unit")
      .meta({ description: "Rows per level, per unit (ranked) or per procedure" }),
    rankBy: z.enum(["progress", "partial"]).default("progress").meta({
      description:
        "What units are ranked on: the 766 progress score (20 × the 766 on-time rate, the default) or the partial index score (progress + online provision, of 32)",
    }),
    compare: z.enum(["day", "month", "quarter", "year", "span"]).default("span").meta({
      description:
        "The period compared with: the same stretch of the previous month, quarter or year (for a period to date), the day before, or as many days right before (the default)",
    }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(5000)
      .default(500)
      .meta({ description: "At most this many rows" }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] })
  .refine((q) => !q.from || !q.to || dayCount({ from: q.from, to: q.to }) <= 3 * 366 + 1, {
    message: "a period is at most three years",
    path: ["from"],
  });
export type BreakdownQuery = z.infer<typeof BreakdownQuery>;
