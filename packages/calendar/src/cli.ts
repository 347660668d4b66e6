import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CalendarSet } from "./calendar-set.js";
import { CalendarError } from "./errors.js";
import { daysOffRanges, describeCalendarRecords, describeDaysOff } from "./explain.js";
import {
  budgetMs,
  clockStart,
  computeDueAt,
  describeStatutory,
  parseCutoff,
  type Statutory,
} from "./statutory.js";
import { formatIsoLocal, formatLocal, localYearOf, MINUTE_MS, toEpochMs } from "./time.js";
import { readUnitsFile } from "./units-file.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const USAGE = `Usage: pnpm calendar due --from <instant> (--days N | --half-days N | --hours N | --within-day)
                          [--cutoff 15:00|17:00] [--unit CODE] [--units FILE] [--as-of <instant>] [--json]

  --from      reception instant, ISO 8601; without an offset it is read as Asia/Ho_Chi_Minh (+07:00)
  --unit      a unit code from the profiles file (default: the default sessions)
  --units     JSON file of unit profiles (default: packages/calendar/data/units.json)
  --as-of     use the calendar data in force at that instant (default: the latest data)
  --json      print one JSON object (dueAt is ISO 8601 with +07:00)`;

const HINT = "(pnpm calendar --help shows the usage)";

class UsageError extends Error {}

/** Local forms without an offset ("2026-02-13T16:00", "2026-02-13 16:00") are read at UTC+7. */
function parseInstantArg(name: string, value: string): number {
  const local = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  try {
    return toEpochMs(local ? `${value.replace(" ", "T")}+07:00` : value);
  } catch {
    throw new UsageError(`--${name}: not an instant: ${value} (e.g. 2026-02-13T16:00:00+07:00)`);
  }
}

function parseAmount(name: string, value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${name}: must be a positive number: ${value}`);
  return n;
}

function statutoryFrom(values: Record<string, string | boolean | undefined>): Statutory {
  const given: Statutory[] = [];
  if (typeof values.days === "string") given.push({ amount: parseAmount("days", values.days), unit: "days" });
  if (typeof values["half-days"] === "string") {
    given.push({ amount: parseAmount("half-days", values["half-days"]), unit: "half-days" });
  }
  if (typeof values.hours === "string")
    given.push({ amount: parseAmount("hours", values.hours), unit: "hours" });
  if (values["within-day"] === true) given.push({ amount: 1, unit: "within-day" });
  if (given.length !== 1)
    throw new UsageError("give exactly one of --days, --half-days, --hours, --within-day");
  return given[0] as Statutory;
}

function due(args: string[]): CliResult {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: "string" },
      days: { type: "string" },
      "half-days": { type: "string" },
      hours: { type: "string" },
      "within-day": { type: "boolean" },
      cutoff: { type: "string" },
      unit: { type: "string" },
      units: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (values.from === undefined) throw new UsageError("--from is required");
  const receivedAt = parseInstantArg("from", values.from);
  const statutory = statutoryFrom(values);
  let cutoff: ReturnType<typeof parseCutoff>;
  try {
    cutoff = parseCutoff(values.cutoff);
  } catch {
    throw new UsageError(`--cutoff must be 15:00 or 17:00: ${values.cutoff}`);
  }
  const units = values.unit !== undefined || values.units !== undefined ? readUnitsFile(values.units) : [];
  const set = new CalendarSet({ units });
  const calendar =
    values["as-of"] === undefined
      ? set.latest(values.unit)
      : set.asOf(parseInstantArg("as-of", values["as-of"]), values.unit);

  const startedAt = clockStart(calendar, receivedAt, cutoff);
  const dueAt = computeDueAt(calendar, receivedAt, statutory, cutoff);
  const budgetMinutes = budgetMs(calendar, startedAt, statutory) / MINUTE_MS;
  const daysOff = daysOffRanges(calendar, receivedAt, dueAt);
  const records = [];
  for (let y = localYearOf(startedAt); y <= localYearOf(dueAt); y++) {
    const r = calendar.yearRecord(y);
    records.push({
      year: y,
      version: r.version,
      basis: r.basis,
      effectiveFrom: r.effectiveFrom,
      sources: r.sources,
    });
  }
  if (values.json === true) {
    const out = {
      dueAt: formatIsoLocal(dueAt),
      receivedAt: formatIsoLocal(receivedAt),
      startedAt: formatIsoLocal(startedAt),
      statutory,
      cutoff,
      unitCode: calendar.unitCode,
      workingDayMinutes: calendar.workingDayMinutes,
      budgetMinutes,
      daysOff,
      calendar: records,
    };
    return { code: 0, stdout: `${JSON.stringify(out)}\n`, stderr: "" };
  }
  const cutoffApplied = cutoff !== null && startedAt !== clockStart(calendar, receivedAt, null);
  const lines = [
    `Received   ${formatLocal(receivedAt)}`,
    `Counted    from ${formatLocal(startedAt)}${startedAt === receivedAt ? "" : cutoffApplied ? ` (received after the ${cutoff} cut-off: next working day's opening)` : " (next working instant)"}`,
    `Statutory  ${describeStatutory(statutory, calendar.workingDayMinutes)}, cut-off ${cutoff ?? "none"}`,
    `Due        ${formatLocal(dueAt)}   ${formatIsoLocal(dueAt)}`,
    `Days off   ${daysOff.length > 0 ? describeDaysOff(daysOff) : "none besides weekly rest days"}`,
    `Calendar   ${describeCalendarRecords(calendar, startedAt, dueAt)}, unit ${calendar.unitCode}`,
  ];
  return { code: 0, stdout: `${lines.join("\n")}\n`, stderr: "" };
}

export function runCli(argv: readonly string[]): CliResult {
  const [command, ...rest] = argv;
  const asksHelp = (a: string) => a === "--help" || a === "-h";
  try {
    if (
      command === "help" ||
      (command !== undefined && asksHelp(command)) ||
      (command === "due" && rest.some(asksHelp))
    )
      return { code: 0, stdout: `${USAGE}\n`, stderr: "" };
    if (command === undefined) throw new UsageError("missing command");
    if (command !== "due") throw new UsageError(`unknown command: ${command}`);
    return due(rest);
  } catch (error) {
    // One line: what is wrong, and where the usage is.
    if (error instanceof CalendarError || error instanceof UsageError || isParseArgsError(error)) {
      const message = (error as Error).message.replace(/\s+/g, " ");
      return { code: 2, stdout: "", stderr: `calendar: ${message} ${HINT}\n` };
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // pnpm passes a literal "--" through when the caller separates script arguments with it.
  const result = runCli(process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
