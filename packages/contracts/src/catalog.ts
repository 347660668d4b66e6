import { z } from "zod";
import { OnlineServiceLevel } from "./channels.js";
import { Actor } from "./envelope.js";
import { Instant, LocalDate, ProcedureCode, TimeOfDay, UnitCode, UnitElectronicId } from "./formats.js";
import { customIssue, decodeJson, failure, type ParseResult } from "./parse-result.js";
import { ClockBasis, CutOff, ProcedureStep, StatutoryTime, SupplementRule } from "./procedure-terms.js";

/**
 * Records of the compacted `catalog` topic, written by intake: the latest version of each procedure,
 * unit and yearly calendar, keyed `procedure:<code>`, `unit:<code>`, `calendar:<year>`. A record is
 * never deleted (no tombstones): a procedure or unit that ends is marked inactive, so that old dossiers
 * can still be read.
 */

/** A procedure (thủ tục hành chính) and the terms that decide its clock. */
export const Procedure = z
  .object({
    code: ProcedureCode,
    name: z.string().min(1).meta({ description: "Procedure name (TenTTHC)" }),
    field: z.string().min(1).meta({ description: "Field (lĩnh vực)" }),
    statutoryTime: StatutoryTime,
    cutOff: CutOff,
    supplementRule: SupplementRule,
    maxSupplementRequests: z
      .int()
      .positive()
      .nullable()
      .meta({ description: "How many supplement requests are allowed; null for no limit" }),
    steps: z
      .array(ProcedureStep)
      .min(1)
      .meta({ description: "Internal process (quy trình nội bộ), in order" }),
    onlineServiceLevel: OnlineServiceLevel.nullable().meta({
      description: "Online service level; null when the procedure is not offered online",
    }),
    active: z.boolean().meta({ description: "False once the procedure is abolished or replaced" }),
    clockStartsFrom: ClockBasis.optional().meta({
      description: "What the clock counts from; absent: acceptance of the complete dossier",
    }),
    clockStartsFromSource: z.string().min(1).optional().meta({
      description: "The decree that counts this procedure from the portal submission",
    }),
    acceptanceTime: StatutoryTime.optional().meta({
      description: "The centre's deadline to accept or refuse an online submission; absent: 8 working hours",
    }),
  })
  .refine((p) => new Set(p.steps.map((s) => s.id)).size === p.steps.length, {
    message: "step ids must be unique within a procedure",
    path: ["steps"],
  })
  .refine((p) => p.clockStartsFrom !== "submission" || p.clockStartsFromSource !== undefined, {
    message: "a procedure counted from the submission names the decree that says so",
    path: ["clockStartsFromSource"],
  })
  .meta({ description: "A procedure (thủ tục hành chính) and the terms of its clock" });
export type Procedure = z.infer<typeof Procedure>;

/** Administrative level of a unit. Since 1 July 2025 one-stop centres exist at province and commune level. */
export const UnitLevel = z
  .enum(["province", "department", "provincial-centre", "commune", "ward"])
  .meta({ description: "Level of the unit" });
export type UnitLevel = z.infer<typeof UnitLevel>;

/** One working session on some weekdays (1 = Monday … 7 = Sunday), e.g. Monday–Friday 07:30–11:30. */
export const WorkingSession = z
  .object({
    weekdays: z
      .array(z.int().min(1).max(7))
      .min(1)
      .meta({ description: "ISO weekdays, 1 = Monday … 7 = Sunday" }),
    from: TimeOfDay,
    to: TimeOfDay,
  })
  .refine((s) => s.from < s.to, { message: "a session ends after it starts", path: ["to"] })
  .meta({ description: "A working session on some weekdays" });
export type WorkingSession = z.infer<typeof WorkingSession>;

/** A unit's own working sessions, where they differ from the default (Mon–Fri 07:30–11:30, 13:30–17:00). */
export const WorkingSessions = z
  .object({
    sessions: z.array(WorkingSession).min(1),
    makeUpDaysAreWorking: z.boolean().meta({
      description: "Whether the Government's make-up Saturdays (ngày làm bù) are working days here",
    }),
  })
  .meta({ description: "A unit's working sessions, overriding the default" });
export type WorkingSessions = z.infer<typeof WorkingSessions>;

/** A unit: a province, a department, the provincial centre, a commune or a ward. */
export const Unit = z
  .object({
    code: UnitCode,
    name: z.string().min(1),
    level: UnitLevel,
    parentCode: UnitCode.nullable().meta({ description: "The parent unit; null for a province" }),
    electronicId: UnitElectronicId.meta({
      description: "Electronic identifier, the prefix of its dossier codes",
    }),
    workingSessions: WorkingSessions.nullable().meta({
      description: "Own working sessions, in which statutory time counts; null for the default",
    }),
    workingSessionsSource: z.string().min(1).nullable().optional().meta({
      description: "The decision under which the unit's handling staff work on a weekly rest day",
    }),
    receptionSessions: z.array(WorkingSession).min(1).nullable().optional().meta({
      description:
        "When the counter takes dossiers, where it differs (a Saturday-morning desk); reception hours add no statutory time",
    }),
    active: z.boolean().meta({ description: "False once the unit is merged or abolished" }),
  })
  .refine(
    (u) =>
      !u.workingSessions?.sessions.some((s) => s.weekdays.some((d) => d >= 6)) ||
      (u.workingSessionsSource ?? null) !== null,
    {
      message:
        "working sessions on a Saturday or Sunday count statutory time: name the decision in workingSessionsSource, or list the hours as receptionSessions",
      path: ["workingSessionsSource"],
    },
  )
  .meta({ description: "A unit that receives or handles dossiers" });
export type Unit = z.infer<typeof Unit>;

/** A day in a calendar: a date, or a date with its details. */
export const CalendarDay = z
  .union([LocalDate, z.looseObject({ date: LocalDate, name: z.string().optional() })])
  .meta({ description: "A date, or an object with the date and details" });
export type CalendarDay = z.infer<typeof CalendarDay>;

/**
 * The working calendar of a year, versioned: days off (public holidays, swapped days) and working days
 * that would otherwise be off (make-up Saturdays). Permissive for now: unknown fields are kept.
 */
export const Calendar = z
  .looseObject({
    year: z.int().min(2000).max(2100),
    version: z
      .int()
      .positive()
      .meta({ description: "Version of this year's calendar; a new decree, a new version" }),
    effectiveFrom: Instant.meta({ description: "From when this version applies" }),
    source: z
      .string()
      .min(1)
      .meta({ description: "The decree or notice it follows, e.g. Công văn 9859/VPCP-KGVX" }),
    daysOff: z.array(CalendarDay),
    workingDays: z.array(CalendarDay),
  })
  .meta({ description: "The working calendar of one year (versioned)" });
export type Calendar = z.infer<typeof Calendar>;

/** The key of a catalogue record on the compacted topic. */
export function catalogKey(record: CatalogRecord): string {
  switch (record.type) {
    case "procedure":
      return `procedure:${record.data.code}`;
    case "unit":
      return `unit:${record.data.code}`;
    case "calendar":
      return `calendar:${record.data.year}`;
  }
}

function defineRecord<const T extends string, D extends z.ZodType>(type: T, data: D, description: string) {
  return z
    .object({
      type: z.literal(type),
      version: z.literal(1).meta({ description: "Schema version of the record" }),
      key: z
        .string()
        .min(1)
        .meta({ description: `Kafka key, ${type}:<id>` }),
      revision: z.int().positive().meta({ description: "Catalogue revision; each change adds one" }),
      updatedAt: Instant,
      actor: Actor.optional(),
      data,
    })
    .meta({ title: `catalog ${type} v1`, description });
}

export const ProcedureRecord = defineRecord("procedure", Procedure, "A procedure on the catalog topic");
export type ProcedureRecord = z.infer<typeof ProcedureRecord>;
export const UnitRecord = defineRecord("unit", Unit, "A unit on the catalog topic");
export type UnitRecord = z.infer<typeof UnitRecord>;
export const CalendarRecord = defineRecord("calendar", Calendar, "A year's calendar on the catalog topic");
export type CalendarRecord = z.infer<typeof CalendarRecord>;

/** Any record of the `catalog` topic. */
export const CatalogRecord = z
  .discriminatedUnion("type", [ProcedureRecord, UnitRecord, CalendarRecord])
  .meta({ description: "A record of the catalog topic" });
export type CatalogRecord = z.infer<typeof CatalogRecord>;

/** The catalogue's record types, for the generated documents. */
export const catalogRecordDefinitions = [
  { type: "procedure", version: 1, schema: ProcedureRecord },
  { type: "unit", version: 1, schema: UnitRecord },
  { type: "calendar", version: 1, schema: CalendarRecord },
] as const;

/**
 * Parses a catalogue record (bytes, text or value); never throws. Also checks that `key` is the one
 * the record's content gives.
 */
export function parseCatalogRecord(input: unknown): ParseResult<CatalogRecord> {
  const json = decodeJson(input);
  if (!json.ok) return json;
  const parsed = CatalogRecord.safeParse(json.value);
  if (!parsed.success) return failure("invalid", parsed.error.issues);
  const expected = catalogKey(parsed.data);
  if (parsed.data.key !== expected) {
    return failure("invalid", [customIssue(["key"], `expected key ${expected}`, parsed.data.key)]);
  }
  return { ok: true, value: parsed.data };
}
