export {
  CALENDAR_2025,
  CALENDAR_2026_V1,
  CALENDAR_2026_V2,
  OFFICIAL_CALENDAR_DATA,
} from "./calendar-data/index.js";
export { CalendarSet, type CalendarSetOptions, createCalendarSet, defaultCalendar } from "./calendar-set.js";
export {
  type CatalogCalendar,
  type CatalogDay,
  type CatalogUnit,
  calendarSetFromCatalog,
  calendarVersionsFromCatalog,
  unitSessionsFromCatalog,
} from "./catalog.js";
export {
  type ClockEvent,
  type ClockExtension,
  type ClockPause,
  type ClockState,
  type PauseReason,
  restoreClock,
  SlaClock,
  type StartClockOptions,
  startClock,
} from "./clock.js";
export {
  dueSoonPredicate,
  dueSoonReachedPredicate,
  extensionNoticeInTime,
  isDueSoon,
  isOverdue,
  overduePredicate,
} from "./deadlines.js";
export { type DueSoonRule, dueSoonAt } from "./due-soon.js";
export { CalendarError, type CalendarErrorCode } from "./errors.js";
export { type DaysOffRange, daysOffRanges, describeDaysOff } from "./explain.js";
export {
  type CalendarDay,
  type CalendarSource,
  type CalendarYearData,
  type DayOffKind,
  RULES_SOURCE,
  ruleDaysOff,
  rulesOnlyYear,
  validateYearData,
} from "./holidays.js";
export {
  hungKingsDayNumber,
  type LunarDate,
  lunarFromDayNumber,
  lunarToDayNumber,
  tetDayNumber,
} from "./lunar.js";
export {
  addDays,
  type Bucket,
  buckets,
  dayCount,
  type LocalDay,
  localDay,
  monthOf,
  monthToDate,
  type Period,
  periodEnd,
  periodRef,
  periodStart,
  startOfDay,
} from "./period.js";
export {
  monthsBefore,
  type PeriodKind,
  type PeriodPreset,
  type PresetPeriod,
  periodPresets,
  presetPeriod,
  presetPeriods,
  previousPeriod,
} from "./period-presets.js";
export {
  and,
  compare,
  equals,
  evaluate,
  type FieldValue,
  field,
  fieldsOf,
  holds,
  missing,
  not,
  type Operand,
  or,
  type Predicate,
  present,
  toSql,
} from "./predicate.js";
export {
  type DateOverride,
  DEFAULT_DAY_SESSIONS,
  DEFAULT_UNIT_CODE,
  DEFAULT_UNIT_SESSIONS,
  DEFAULT_WEEKLY_SESSIONS,
  type Session,
  type UnitSessions,
  type Weekday,
  type WeeklySessions,
} from "./sessions.js";
export {
  type ProcessStep,
  type SplitOptions,
  type SplitResult,
  type StepRun,
  type StepShare,
  splitByUnit,
  type UnitShare,
} from "./split.js";
export {
  basisInstant,
  type ClockBasis,
  CUTOFFS,
  type Cutoff,
  clockStart,
  computeDueAt,
  parseCutoff,
  type Statutory,
  type StatutoryUnit,
} from "./statutory.js";
export { type StepBudget, stepBudgetMinutes, stepDeadline } from "./step-budget.js";
export {
  dayNumberFromCivil,
  formatIsoLocal,
  formatLocal,
  formatLocalDate,
  type Instant,
  isoDate,
  localDayNumber,
  parseIsoDate,
  toEpochMs,
  VN_OFFSET_MS,
} from "./time.js";
export { type ClockVerdict, type Verdict, verdictByTime } from "./verdict.js";
export { type DayInfo, type DayStatus, WorkingCalendar } from "./working-time.js";
