import { UnitCode } from "@tthc/contracts";
import { z } from "zod";
import { dayCount, localDay, monthToDate, type Period } from "../domain/period.js";

// The ISO pattern admits the year 0000, which PostgreSQL's dates do not have.
const Day = z.iso
  .date()
  .refine((d) => !d.startsWith("0000-"), "there is no year 0000")
  .meta({ description: "Day (Asia/Ho_Chi_Minh), YYYY-MM-DD" });

/** `from`, `to` (days, inclusive; default: this month to date), `groupBy`, `unit` (with its units). */
export const StatsQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    groupBy: z.enum(["day", "month"]).optional().meta({ description: "Adds a time series by day or month" }),
    unit: UnitCode.optional().meta({ description: "Only this unit and the units under it" }),
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
  .enum([
    "received",
    "handled",
    "finished",
    "early",
    "on_time",
    "late",
    "withdrawn",
    "stopped",
    "open",
    "overdue",
    "due_soon",
    "carried_over",
    "not_on_time_766",
  ])
  .meta({ description: "The figure whose dossiers to list" });

export const DossiersQuery = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    unit: UnitCode.optional(),
    figure: DossierFigureQ.default("handled"),
    cursor: z
      .string()
      .regex(/^\d{1,9}$/, "expected the nextCursor of a previous page")
      .optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] });
