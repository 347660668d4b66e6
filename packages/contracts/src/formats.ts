import { formatIsoLocal, localDay } from "@tthc/calendar";
import { z } from "zod";
import { examples } from "./examples.js";

/**
 * Scalar formats shared by events, catalogue records and HTTP bodies: instants, dates, identifiers
 * and the codes of the national public-service portal.
 */

/**
 * An instant: ISO 8601 date and time with an explicit offset (`2026-02-10T09:00:00+07:00` or
 * `2026-02-10T02:00:00Z`). A local time without an offset is refused: it would be ambiguous.
 */
export const Instant = z.iso
  .datetime({
    offset: true,
    error: "expected an ISO 8601 instant with an offset, e.g. 2026-02-10T09:00:00+07:00",
  })
  .meta({
    description: "ISO 8601 instant with an offset, e.g. 2026-02-10T09:00:00+07:00",
    examples: [examples.dossier.receivedAt],
  });
export type Instant = z.infer<typeof Instant>;

/** A calendar date in Asia/Ho_Chi_Minh, `YYYY-MM-DD`. */
export const LocalDate = z.iso
  .date()
  .meta({ description: "Calendar date (Asia/Ho_Chi_Minh), YYYY-MM-DD", examples: ["2026-03-10"] });
export type LocalDate = z.infer<typeof LocalDate>;

/** A time of day in Asia/Ho_Chi_Minh, `HH:MM` (24 h). */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time of day HH:MM")
  .meta({ description: "Time of day (Asia/Ho_Chi_Minh), HH:MM, 24 h", examples: ["07:30"] });
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** Internal identifier of a dossier, fixed from the first event (online submission or reception). */
export const DossierId = z
  .uuid()
  .meta({ description: "Internal dossier id (UUID), the Kafka key", examples: [examples.dossier.id] });
export type DossierId = z.infer<typeof DossierId>;

/** Identifier of an event (UUID). */
export const EventId = z
  .uuid()
  .meta({ description: "Event id (UUID); consumers record it to drop duplicates" });
export type EventId = z.infer<typeof EventId>;

/**
 * Dossier code (mã hồ sơ, MaHoSo), TT 01/2018 Art. 19: `<unit electronic identifier>-<YYMMDD>-<NNNN>`,
 * e.g. `000.00.01.H22-260210-0001`: the receiving unit's electronic identifier, the reception date
 * and the day's sequence at that unit (four digits, more if a unit ever passes 9,999 a day).
 */
export const DossierCode = z
  .string()
  .regex(
    /^[0-9A-Z]+(\.[0-9A-Z]+)*-\d{6}-\d{4,}$/,
    "expected a dossier code <unit identifier>-<YYMMDD>-<NNNN>, e.g. 000.00.01.H22-260210-0001",
  )
  .meta({
    description: "Dossier code (MaHoSo): <unit electronic identifier>-<YYMMDD>-<NNNN>",
    examples: [examples.dossier.code],
  });
export type DossierCode = z.infer<typeof DossierCode>;

/**
 * A unit's code on the national portal: `H44` (a province, here Phú Thọ), `H44.07` (a department),
 * `H44.100` (a commune or ward).
 */
export const UnitCode = z
  .string()
  .regex(/^[A-Z]\d{2}(\.[0-9A-Z]{1,6})*$/, "expected a unit code like H44, H44.07 or H44.100")
  .meta({
    description: "Unit code on the national portal, e.g. H44, H44.07, H44.100",
    examples: [examples.unit.code],
  });
export type UnitCode = z.infer<typeof UnitCode>;

/**
 * A unit's electronic identifier (mã định danh điện tử), the first part of its dossier codes,
 * e.g. `000.00.01.H22`.
 */
export const UnitElectronicId = z
  .string()
  .regex(/^[0-9A-Z]+(\.[0-9A-Z]+)*$/, "expected an electronic identifier like 000.00.01.H22")
  .meta({
    description: "Unit electronic identifier (mã định danh điện tử), e.g. 000.00.01.H22",
    examples: [examples.unit.electronicId],
  });
export type UnitElectronicId = z.infer<typeof UnitElectronicId>;

/** Procedure code (mã TTHC, MaTTHC) in the national database, e.g. `1.001234`, `2.000815`. */
export const ProcedureCode = z
  .string()
  .regex(/^\d\.\d{6}$/, "expected a procedure code like 1.001234")
  .meta({ description: "Procedure code (MaTTHC), e.g. 1.001234", examples: [examples.procedure.code] });
export type ProcedureCode = z.infer<typeof ProcedureCode>;

/** A staff member's identifier, as the bearer token names them (`sub`). Never a citizen's. */
export const StaffId = z
  .string()
  .min(1)
  .max(128)
  .meta({
    description: "Staff member id, as named by the bearer token",
    examples: [examples.staff.specialist],
  });
export type StaffId = z.infer<typeof StaffId>;

/** Identifier of a step of a procedure's internal process, stable within the procedure (e.g. `review`). */
export const StepId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, "expected a step id in kebab-case, e.g. review")
  .max(64)
  .meta({ description: "Step id within the procedure's internal process, kebab-case", examples: ["review"] });
export type StepId = z.infer<typeof StepId>;

/** Working time in minutes of the unit's working sessions (not wall-clock minutes). */
export const WorkingMinutes = z
  .int()
  .nonnegative()
  .meta({ description: "Working minutes (counted on the unit's working sessions)" });
export type WorkingMinutes = z.infer<typeof WorkingMinutes>;

/** An amount of money in Vietnamese đồng. */
export const AmountVnd = z.int().nonnegative().meta({ description: "Amount in Vietnamese đồng (VND)" });
export type AmountVnd = z.infer<typeof AmountVnd>;

/** Whether instant `a` is strictly later than instant `b`, whatever offsets they are written in. */
export function isLater(a: Instant, b: Instant): boolean {
  return Date.parse(a) > Date.parse(b);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/**
 * Formats a moment as an instant in Vietnam time, e.g. `2026-02-10T09:00:00.000+07:00`: the form the
 * services write, so that a reader of the raw event sees the local hour the forms show. The time
 * arithmetic is the calendar package's, the one place Vietnam time is computed.
 */
export function formatInstant(at: Date): Instant {
  return formatIsoLocal(at.getTime(), "always");
}

/**
 * Builds a dossier code from the receiving unit's electronic identifier, the reception instant
 * (its date in Vietnam time) and the day's sequence at that unit.
 */
export function formatDossierCode(
  electronicId: UnitElectronicId,
  receivedAt: Date,
  sequence: number,
): DossierCode {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive integer`);
  const yymmdd = localDay(receivedAt).slice(2).replaceAll("-", "");
  return `${electronicId}-${yymmdd}-${pad(sequence, 4)}`;
}
